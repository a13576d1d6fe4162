import CreditCore
import Testing

@Suite struct ByteTextTests {
    func trimmed(_ text: String) -> String {
        var text = text
        return text.withUTF8 { ByteText.string(ByteText.trimmed($0)) }
    }

    func canonical(_ text: String, hyphens: Bool = false) -> String {
        var output: [UInt8] = []
        var text = text
        text.withUTF8 { CodeCanonicalForm.append($0, removingHyphens: hyphens, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    @Test func trimsAsciiNoBreakAndIdeographicSpace() {
        #expect(trimmed("  abc \t\r\n") == "abc")
        #expect(trimmed("\u{3000}宁波\u{3000}") == "宁波")
        #expect(trimmed("\u{00A0}x\u{00A0}") == "x")
        #expect(trimmed(" a b ") == "a b")
        #expect(trimmed("   ") == "")
        #expect(trimmed("") == "")
    }

    @Test func codesFoldToHalfWidthUpperCaseWithoutSpaces() {
        #expect(canonical("９１３３０２０３ＭＡ２ＢＢ５Ｑ１８１") == "91330203MA2BB5Q181")
        #expect(canonical("91330203 ma2bb5q181") == "91330203MA2BB5Q181")
        #expect(canonical("MA2EL626-6", hyphens: true) == "MA2EL6266")
        #expect(canonical("MA2EL626-6") == "MA2EL626-6")
    }

    @Test(arguments: ["", "/", "-", "无", "空", "null", "NULL", " / "])
    func emptyTokens(value: String) {
        var value = value
        #expect(value.withUTF8 { EmptyTokens.standard.isEmpty(ByteText.trimmed($0)) })
    }

    @Test(arguments: ["0", "无锡", "N/A ok", "nullable"])
    func valuesThatAreNotEmpty(value: String) {
        var value = value
        #expect(!value.withUTF8 { EmptyTokens.standard.isEmpty(ByteText.trimmed($0)) })
    }

    @Test func jsonStringsAreEscaped() {
        var output: [UInt8] = []
        JSONText.appendString("a\"b\\c\nd\u{01}宁", to: &output)
        #expect(String(decoding: output, as: UTF8.self) == #""a\"b\\c\nd\u0001宁""#)
    }

    @Test func personalDataIsMasked() {
        #expect(PersonalData.maskIdentifier("330203198503120710") == "3302**********0710")
        #expect(PersonalData.maskName("张三") == "张*")
        #expect(PersonalData.maskName("欧阳娜娜") == "欧***")
        #expect(PersonalData.maskName("李") == "李*")
    }

    /// Names are judged by how they read: an organization's ending, not a person's name nor a
    /// word too short to be a name of either.
    @Test func organizationNamesAreToldByTheirEnding() {
        for name in ["宁波未知有限公司", "宁波市第一医院", "象山县某某专业合作社", "某某律师事务所", "中国银行宁波分行"] {
            #expect(PersonalData.looksLikeOrganizationName(name), "\(name)")
        }
        for name in ["王小明", "欧阳娜娜", "张三", "公司", "宁波某某", "李四便利店"] {
            #expect(!PersonalData.looksLikeOrganizationName(name), "\(name)")
        }
    }

    @Test func ratiosKeepTheirCounts() {
        let rate = Ratio(11, of: 20)
        #expect(rate.percentText == "55.00%")
        #expect(Ratio(2, of: 3).percentText == "66.67%")
        #expect(Ratio(0, of: 0).value == nil)
        #expect(Ratio(0, of: 0).percentText == "—")
    }
}
