import CreditIdentifiers
import Testing

@Suite struct USCCTests {
    @Test(arguments: ["91350100M000100Y43", "91330200MA2EL6266C", "113302000028765169", "92330206MA2K1L3A2C",
                      "93330283MA28T0W93E"])
    func validCodes(code: String) {
        #expect(USCC.validate(code) == .valid)
    }

    @Test func wrongCheckCharacterNamesTheExpectedOne() {
        #expect(USCC.validate("91330200MA2EL6266D") == .invalid(.checkCharacter(expected: "C")))
    }

    /// A weighted sum divisible by 31 must give `0`, the branch many validators get wrong.
    @Test func remainderZeroGivesZero() {
        var prefix = Array("00000000000000000".utf8)
        #expect(prefix.withUnsafeBufferPointer { USCC.checkCharacter(forPrefix: $0) } == UInt8(ascii: "0"))
        #expect(USCC.validate("000000000000000000") == .valid)
        #expect(USCC.validate("00000000000000000X") == .invalid(.checkCharacter(expected: "0")))
        prefix = Array("91330200MA2EL6266".utf8)
        #expect(prefix.withUnsafeBufferPointer { USCC.checkCharacter(forPrefix: $0) } == UInt8(ascii: "C"))
    }

    @Test func structuralDefects() {
        #expect(USCC.validate("") == .invalid(.empty))
        #expect(USCC.validate("91330200MA2EL626") == .invalid(.length(16)))
        #expect(USCC.validate("91330200MA2EL6266CC") == .invalid(.length(19)))
        #expect(USCC.validate("9133O200MA2EL6266C") == .invalid(.charset(position: 5)))
        #expect(USCC.validate("91330200MA2EL626IC") == .invalid(.charset(position: 17)))
        #expect(USCC.validate("91330A00MA2EL6266C") == .invalid(.charset(position: 6)))
        #expect(USCC.validate("91330200ma2el6266c") == .invalid(.charset(position: 9)))
    }

    @Test func defectCodesAreStable() {
        #expect(USCCDefect.checkCharacter(expected: "0").code == "USCC_CHECK")
        #expect(USCCDefect.length(3).code == "USCC_LENGTH")
        #expect(USCCDefect.charset(position: 1).code == "USCC_CHARSET")
        #expect(USCCDefect.empty.code == "USCC_EMPTY")
    }

    /// Any single-character substitution of a valid code is caught: the weights are distinct
    /// non-zero residues modulo the prime 31.
    @Test func everySingleSubstitutionIsDetected() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var code = (0..<17).map { index -> UInt8 in
                let pool = (2..<8).contains(index) ? Array(USCC.alphabet[0..<10]) : USCC.alphabet
                return pool.randomElement(using: &generator)!
            }
            let check = code.withUnsafeBufferPointer { USCC.checkCharacter(forPrefix: $0) }!
            code.append(check)
            #expect(code.withUnsafeBufferPointer { USCC.validate($0) } == .valid)
            for position in 0..<18 {
                for replacement in USCC.alphabet where replacement != code[position] {
                    if (2..<8).contains(position), replacement > UInt8(ascii: "9") { continue }
                    var mutated = code
                    mutated[position] = replacement
                    #expect(mutated.withUnsafeBufferPointer { USCC.validate($0) } != .valid)
                }
            }
        }
    }
}
