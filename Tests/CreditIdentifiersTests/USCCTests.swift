import CreditCore
import CreditIdentifiers
import Testing

@Suite struct USCCTests {
    /// The vectors of credit-data-standard §6, real Ningbo codes of retired divisions, and the
    /// codes of the samples.
    @Test(arguments: ["91350100M000100Y43", "91330200MA2EL6266C", "113302000028765169", "92330206MA2K1L3A2C",
                      "93330283MA28T0W93E"])
    func validCodes(code: String) {
        let result = USCC.check(code)
        #expect(result.status == .valid, "\(code): \(result.defects.map(\.code))")
    }

    @Test func wrongCheckCharacterNamesTheExpectedOne() {
        let result = USCC.check("91330200MA2EL6266D")
        #expect(result.defects == [.usccCheck])
        #expect(result.detail(for: .usccCheck) == "C")
        #expect(result.message(for: .usccCheck, language: .zh) == "统一社会信用代码校验码错误（校验码应为 C）")
        #expect(result.message(for: .usccCheck, language: .en).hasSuffix("(the check character should be C)"))
    }

    /// A weighted sum divisible by 31 must give `0`, the branch many validators get wrong.
    @Test func remainderZeroGivesZero() {
        var prefix = Array("00000000000000000".utf8)
        #expect(prefix.withUnsafeBufferPointer { USCC.checkCharacter(forPrefix: $0) } == UInt8(ascii: "0"))
        prefix = Array("91330200MA2EL6266".utf8)
        #expect(prefix.withUnsafeBufferPointer { USCC.checkCharacter(forPrefix: $0) } == UInt8(ascii: "C"))
        // A real-shaped code whose sum is divisible by 31 ends in 0 and is valid.
        var generator = CodeGenerator(seed: 7)
        var found = 0
        while found < 5 {
            let code = Array(generator.uscc().utf8)
            guard code[17] == UInt8(ascii: "0") else { continue }
            found += 1
            #expect(code.withUnsafeBufferPointer { USCC.check($0) }.status == .valid)
            var wrong = code
            wrong[17] = UInt8(ascii: "Y")
            #expect(wrong.withUnsafeBufferPointer { USCC.check($0) }.detail(for: .usccCheck) == "0")
        }
    }

    @Test func thePlaceholderIsItsOwnDefect() {
        #expect(USCC.check("00000000000000000X").defects == [.usccPlaceholder])
        // Its check character would be 0, so it is not a valid code in disguise.
        #expect(USCC.check("000000000000000000").has(.usccAuthority))
    }

    @Test func structuralDefects() {
        #expect(USCC.check("").defects == [.usccEmpty])
        let short = USCC.check("91330200MA2EL626")
        #expect(short.defects == [.usccLength])
        #expect(short.detail(for: .usccLength) == "16")
        #expect(USCC.check("91330200MA2EL6266CC").defects == [.usccLength])
        #expect(USCC.check("9133O200MA2EL6266C").detail(for: .usccCharset) == "5")
        #expect(USCC.check("91330200MA2EL626IC").detail(for: .usccCharset) == "17")
        #expect(USCC.check("91330A00MA2EL6266C").detail(for: .usccCharset) == "6")
        #expect(USCC.check("91330200MA2EL6266S").detail(for: .usccCharset) == "18")
    }

    @Test func inputIsFoldedBeforeChecking() {
        for spelling in ["９１３３０２００ＭＡ２ＥＬ６２６６Ｃ", " 91330200ma2el6266c ", "91330200-MA2EL626-6C", "9133 0200 MA2E L626 6C"] {
            #expect(USCC.check(spelling).status == .valid, "\(spelling)")
        }
    }

    /// §2.4's policy, in its order: extended pair → warning; 99 → warning; unknown authority →
    /// error; unlisted category → error for 1, 5, 9, Y and a warning for the others.
    @Test(arguments: [
        ("91", [IdentifierDefect]()), ("N2", []), ("A1", []), ("Y1", []), ("31", []),
        ("54", [.usccRareCategory]), ("G1", [.usccRareCategory]), ("Q3", [.usccRareCategory]),
        ("99", [.usccCategoryUnlisted]),
        ("B1", [.usccAuthority]), ("01", [.usccAuthority]), ("G5", [.usccAuthority]),
        ("94", [.usccCategory]), ("17", [.usccCategory]), ("Y2", [.usccCategory]), ("56", [.usccCategory]),
        ("25", [.usccCategoryUnlisted]), ("N5", [.usccCategoryUnlisted]), ("A3", [.usccCategoryUnlisted]),
    ])
    func authorityAndCategoryPolicy(pair: String, expected: [IdentifierDefect]) {
        let code = Self.code(pair + "330200" + "MA2EL6266")
        #expect(USCC.check(code).defects == expected, "\(code)")
    }

    /// Division codes are for life: retired districts and the derived 市辖区 / national codes pass.
    @Test(arguments: [("330201", [IdentifierDefect]()), ("330204", []), ("330283", []), ("100000", []),
                      ("330000", []), ("339999", [.usccDivisionUnknown]), ("200000", [.usccDivision]),
                      ("000000", [.usccDivision]), ("910101", [.usccDivision])])
    func divisionCodes(division: String, expected: [IdentifierDefect]) {
        #expect(USCC.check(Self.code("91" + division + "MA2EL6266")).defects == expected)
    }

    @Test func theEmbeddedOrganizationCodeIsChecked() {
        let result = USCC.check(Self.code("91330200" + "MA2EL6267"))
        #expect(result.defects == [.usccOrgCodeCheck])
        #expect(result.detail(for: .usccOrgCodeCheck) == "6")
    }

    @Test func legacyPilotCodesAreDowngradedExactly() {
        let legacy = USCC.check("91350100M0001TGQXM")
        #expect(legacy.defects == [.usccCheckLegacy])
        #expect(legacy.status == .warning)
        #expect(legacy.detail(for: .usccCheckLegacy) == "1")
        // One character away from an allow-listed code is an ordinary error.
        #expect(USCC.check("91350100M0001TGQXL").defects == [.usccCheck])
        // Without the allow-list the pilot code is an error.
        let reference = IdentifierReference(divisions: IdentifierReference.standard.divisions,
                                            categories: IdentifierReference.standard.categories, legacyUSCC: [])
        #expect(USCC.check("91350100M0001TGQXM", reference: reference).defects == [.usccCheck])
    }

    @Test func everyDefectIsReportedTogether() {
        // Authority B, division 20…, a wrong embedded code and a wrong check character at once.
        var code = Array(Self.code("B1" + "200000" + "MA2EL6267").utf8)
        code[17] = code[17] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let result = code.withUnsafeBufferPointer { USCC.check($0) }
        #expect(result.defects == [.usccAuthority, .usccDivision, .usccOrgCodeCheck, .usccCheck])
        #expect(result.status == .invalid)
    }

    /// 17 characters completed with their right check character.
    static func code(_ prefix: String) -> String {
        let bytes = Array(prefix.utf8)
        let check = bytes.withUnsafeBufferPointer { USCC.checkCharacter(forPrefix: $0) } ?? 0
        return prefix + String(UnicodeScalar(check))
    }
}
