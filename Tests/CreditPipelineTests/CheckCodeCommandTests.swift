import Testing

/// `credit-etl check-code` as an operator or a script uses it.
@Suite struct CheckCodeCommandTests {
    @Test func explainsEveryPartOfAValidCode() throws {
        let run = try CLI.run(["check-code", "91330204MA2EL62666"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "91330204MA2EL62666  统一社会信用代码（按形式判断）  有效")
        #expect(lines.contains("  登记管理部门          9  工商（市场监管）"))
        #expect(lines.contains("  机构类别              1  企业"))
        #expect(lines.contains("  登记管理机关行政区划  330204  浙江省宁波市江东区（历史区划，1983–2016，现为 330212）"))
        #expect(lines.contains("  组织机构代码          MA2EL626-6  校验位正确"))
        #expect(lines.contains("  校验码                6  正确"))
    }

    @Test func anInvalidCodeExitsOneAndNamesTheExpectedCharacter() throws {
        let run = try CLI.run(["check-code", "--language", "en", "91330200MA2EL6266C", "91330200-ma2el6266d"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("91330200MA2EL6266C  unified social credit code (told from its shape)  valid\n"))
        #expect(run.stdout.contains("91330200MA2EL6266D  unified social credit code (told from its shape)  invalid\n"))
        #expect(run.stdout.contains(
            "  ✗ USCC_CHECK  The check character of the unified social credit code is wrong (the check character should be C)"))
    }

    @Test func aGivenKindReadsTheCodeSo() throws {
        let run = try CLI.run(["check-code", "--kind", "id", "110105491231002"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("110105491231002  公民身份号码  有效（有提示）\n"))
        #expect(run.stdout.contains("  升位后号码      11010519491231002X"))
        #expect(run.stdout.contains("  ! ID_LEGACY15  身份证号码为旧式 15 位号码"))
    }

    @Test func stdinGivesOneTabSeparatedLinePerCode() throws {
        let run = try CLI.run(["check-code", "--stdin"], input: "91330200MA2EL6266C\r\nMA2EL626-7\n91350100M0001TGQXM")
        #expect(run.status == 1)
        #expect(run.stdout == "91330200MA2EL6266C\tvalid\t\nMA2EL626-7\tinvalid\tORG_CHECK\n91350100M0001TGQXM\twarning\tUSCC_CHECK_LEGACY\n")
        let clean = try CLI.run(["check-code", "--stdin", "--kind", "uscc"], input: "91330200MA2EL6266C\n")
        #expect(clean.status == 0)
    }

    @Test func aWrongCommandLineIsAUsageError() throws {
        #expect(try CLI.run(["check-code"]).status == 64)
        #expect(try CLI.run(["check-code", "--stdin", "91330200MA2EL6266C"]).status == 64)
        #expect(try CLI.run(["check-code", "--kind", "passport", "x"]).status == 64)
    }
}
