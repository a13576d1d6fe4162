import CreditCore
import CreditIdentifiers
import Testing

@Suite struct ResidentIDTests {
    static let today = CivilDate(year: 2026, month: 11, day: 22)!

    @Test(arguments: ["11010519491231002X", "11010519491231002x", "440524188001010014"])
    func validNumbers(code: String) {
        let result = ResidentID.check(code, today: Self.today)
        // 440524 (a historical county) is valid; its 1880 birth is only implausible.
        #expect(result.status != .invalid, "\(code): \(result.defects.map(\.code))")
    }

    @Test func eachCheckCharacterBranch() {
        // Every remainder 0…10 maps to its character; X is remainder 2.
        var generator = CodeGenerator(seed: 11)
        var seen = Set<UInt8>()
        while seen.count < 11 {
            let code = Array(generator.residentID().utf8)
            seen.insert(code[17])
            #expect(code.withUnsafeBufferPointer { ResidentID.check($0, today: Self.today) }.status == .valid)
        }
    }

    @Test func legacyFifteenDigitsAreRecognisedAndUpgraded() {
        let result = ResidentID.check("110105491231002", today: Self.today)
        #expect(result.defects == [.idLegacy15])
        #expect(result.status == .warning)
        #expect(ResidentID.upgrade(Array("110105491231002".utf8)) == Array("11010519491231002X".utf8))
        #expect(ResidentID.upgrade(Array("11010549123100".utf8)) == nil)
    }

    @Test func birthDates() {
        #expect(ResidentID.check("110105194902300013", today: Self.today).has(.idBirthDate))  // 30 February
        // After `today` is an error; the same number is fine once that day has come.
        let future = Self.withCheck("11010520270101001")
        #expect(ResidentID.check(future, today: Self.today).defects == [.idBirthDate])
        #expect(ResidentID.check(future, today: CivilDate(year: 2027, month: 1, day: 1)!).status == .valid)
        #expect(ResidentID.check(Self.withCheck("11010518991231001"), today: Self.today).defects == [.idBirthDateEarly])
    }

    @Test func divisions() {
        #expect(ResidentID.check(Self.withCheck("33020419800101001"), today: Self.today).status == .valid)
        #expect(ResidentID.check(Self.withCheck("33999919800101001"), today: Self.today).defects == [.idDivisionUnknown])
        #expect(ResidentID.check(Self.withCheck("20010519800101001"), today: Self.today).defects == [.idDivision])
        // 100000 is a national authority, never a place of birth.
        #expect(ResidentID.check(Self.withCheck("10000019800101001"), today: Self.today).defects == [.idDivision])
        // Residence permits of Taiwan residents open with 83.
        #expect(ResidentID.check(Self.withCheck("83000019800101001"), today: Self.today).defects == [.idDivisionUnknown])
    }

    @Test func structuralDefects() {
        #expect(ResidentID.check("", today: Self.today).defects == [.idEmpty])
        #expect(ResidentID.check("1101051949123100", today: Self.today).defects == [.idLength])
        #expect(ResidentID.check("1101051949123A002X", today: Self.today).detail(for: .idCharset) == "14")
        #expect(ResidentID.check("11010519491231002Y", today: Self.today).detail(for: .idCharset) == "18")
        let wrong = ResidentID.check("110105194912310021", today: Self.today)
        #expect(wrong.defects == [.idCheck])
        #expect(wrong.detail(for: .idCheck) == "X")
    }

    static func withCheck(_ prefix: String) -> String {
        let check = Array(prefix.utf8).withUnsafeBufferPointer { ResidentID.checkCharacter(forPrefix: $0) } ?? 0
        return prefix + String(UnicodeScalar(check))
    }
}
