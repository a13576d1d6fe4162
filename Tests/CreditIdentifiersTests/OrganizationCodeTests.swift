import CreditIdentifiers
import Testing

@Suite struct OrganizationCodeTests {
    /// §6: the three branches of the check character: a digit, `X` (10) and `0` (11).
    @Test(arguments: [("D2143569", "X"), ("MA1FL0LY", "9"), ("MA2EL626", "6"), ("00000000", "0")])
    func checkCharacters(body: String, expected: String) {
        let check = Array(body.utf8).withUnsafeBufferPointer { OrganizationCode.checkCharacter(forBody: $0) }
        #expect(check.map { String(UnicodeScalar($0)) } == expected)
        #expect(OrganizationCode.check(body + expected).status == .valid)
        #expect(OrganizationCode.check(body + "-" + expected).status == .valid)
    }

    @Test func defects() {
        #expect(OrganizationCode.check("").defects == [.orgEmpty])
        #expect(OrganizationCode.check("MA2EL626").defects == [.orgLength])
        #expect(OrganizationCode.check("MA2EL62#6").detail(for: .orgCharset) == "8")
        #expect(OrganizationCode.check("MA2EL626A").detail(for: .orgCharset) == "9")
        let wrong = OrganizationCode.check("MA2EL626-7")
        #expect(wrong.defects == [.orgCheck])
        #expect(wrong.detail(for: .orgCheck) == "6")
        // GB 11714 allows I, O, Z, S, V in the body, unlike the USCC alphabet.
        let body = Array("SOZIV123".utf8)
        let check = body.withUnsafeBufferPointer { OrganizationCode.checkCharacter(forBody: $0) }
        #expect(check == UInt8(ascii: "0"))
        #expect(OrganizationCode.check("SOZIV123-0").status == .valid)
    }

    @Test func displayFormHasTheHyphen() {
        #expect(OrganizationCode.display(Array("MA2EL6266".utf8)) == "MA2EL626-6")
    }
}
