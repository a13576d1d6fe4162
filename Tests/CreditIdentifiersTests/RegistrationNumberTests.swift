import CreditIdentifiers
import Testing

@Suite struct RegistrationNumberTests {
    @Test(arguments: ["310230001716146", "110108000000016"])
    func validNumbers(code: String) {
        #expect(RegistrationNumber.check(code).status == .valid)
    }

    @Test func defects() {
        let wrong = RegistrationNumber.check("310230001716147")
        #expect(wrong.defects == [.regnoCheck])
        #expect(wrong.detail(for: .regnoCheck) == "6")
        #expect(RegistrationNumber.check("").defects == [.regnoEmpty])
        #expect(RegistrationNumber.check("31023000171614").defects == [.regnoLength])
        #expect(RegistrationNumber.check("3102300017161#6").detail(for: .regnoCharset) == "14")
        #expect(RegistrationNumber.check("31023000A716146").defects == [.regnoNonstandard])
        #expect(RegistrationNumber.check("31023000A716146").status == .warning)
    }

    /// Every check digit 0…9 is produced by some prefix, and each validates.
    @Test func everyCheckDigitBranch() {
        var generator = CodeGenerator(seed: 3)
        var seen = Set<UInt8>()
        while seen.count < 10 {
            let code = Array(generator.regno().utf8)
            seen.insert(code[14])
            #expect(code.withUnsafeBufferPointer { RegistrationNumber.check($0) }.status == .valid)
        }
    }
}
