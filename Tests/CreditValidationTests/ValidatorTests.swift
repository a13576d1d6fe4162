import CreditAdapters
import CreditCatalog
import CreditCore
import CreditValidation
import Testing
import TestSupport

/// A small item with one field of each checked kind.
let testItem = CatalogItem(
    id: "t", name: "测试", nameEnglish: "Test",
    fields: [
        FieldSpec(id: "mc", name: "名称", type: .text, required: true, personal: .naturalPerson),
        FieldSpec(id: "lb", name: "类别", type: .enumeration(["法人", "自然人"]), required: true),
        FieldSpec(id: "dm", name: "代码", type: .code(.uscc)),
        FieldSpec(id: "rq", name: "日期", type: .date, required: true),
    ],
    subjectKindField: "lb", naturalPersonValues: ["自然人"])

func validate(_ rows: String) throws -> (ValidationOutcome, RecordBatch) {
    var source = try CSVSource(bytes: MemoryByteSource("名称,类别,代码,日期\n" + rows), file: SourceFile(path: "t.csv"))
    let header = try source.header()
    let validator = Validator(item: testItem, layout: testItem.layout(forHeader: header).layout)
    var batch = RecordBatch()
    var outcome = ValidationOutcome()
    _ = try source.next(into: &batch)
    validator.validate(batch, into: &outcome)
    return (outcome, batch)
}

@Suite struct ValidatorTests {
    @Test func aCleanRecordHasNoFindings() throws {
        let (outcome, _) = try validate("宁波甲公司,法人,91330200MA2EL6266C,2026/10/08\n")
        #expect(outcome.findings.isEmpty)
        #expect(outcome.rejected == [false])
    }

    @Test(arguments: [
        ("宁波甲公司,法人,91330200MA2EL6266D,2026/10/08", "USCC_CHECK", "dm", "C"),
        ("宁波甲公司,法人,91330200MA2EL626,2026/10/08", "USCC_LENGTH", "dm", nil),
        ("宁波甲公司,法人,9133020OMA2EL6266C,2026/10/08", "USCC_CHARSET", "dm", nil),
        (",法人,91330200MA2EL6266C,2026/10/08", "REQUIRED", "mc", nil),
        ("宁波甲公司,无,91330200MA2EL6266C,2026/10/08", "REQUIRED", "lb", nil),
        ("宁波甲公司,法人,91330200MA2EL6266C,2026/02/30", "DATE_FORMAT", "rq", "日期不存在 / no such day"),
        ("宁波甲公司,法人,91330200MA2EL6266C,10/08/26", "DATE_FORMAT", "rq", nil),
        ("宁波甲公司,法人,91330200MA2EL6266C", "ROW_FIELD_COUNT", nil, "3 / 4"),
    ] as [(String, String, String?, String?)])
    func eachDefectIsAnErrorWithItsRule(row: String, rule: String, field: String?, detail: String?) throws {
        let (outcome, _) = try validate(row + "\n")
        #expect(outcome.findings.count == 1)
        let finding = try #require(outcome.findings.first)
        #expect(finding.rule.rawValue == rule)
        #expect(finding.severity == .error)
        #expect(finding.field == field)
        #expect(finding.detail == detail)
        #expect(outcome.rejected == [true])
        #expect(outcome.rejectedCount == 1)
    }

    @Test(arguments: [" 宁波甲公司 ,法人, ９１３３０２００ＭＡ２ＥＬ６２６６Ｃ ,2026-10-08",
                      "宁波甲公司,法人,91330200ma2el6266c,２０２６／１０／０８",
                      "宁波甲公司,法人,/,2026年10月08日",
                      "宁波甲公司,法人,,20261008 09:30"])
    func benignVariationsStayCompliant(row: String) throws {
        let (outcome, _) = try validate(row + "\n")
        #expect(outcome.findings.isEmpty)
    }

    @Test func unpaddedDatesWarnButStayCompliant() throws {
        let (outcome, _) = try validate("宁波甲公司,法人,,2026/9/5\n")
        #expect(outcome.findings.map(\.rule.rawValue) == ["DATE_UNPADDED"])
        #expect(outcome.findings.first?.severity == .warning)
        #expect(outcome.rejected == [false])
    }

    @Test func everyRuleRunsAndFindingsAreCombined() throws {
        let (outcome, _) = try validate(",法人,91330200MA2EL6266D,2026/13/01\n宁波乙公司,法人,,2026/10/08\n")
        #expect(outcome.findings.map(\.rule.rawValue) == ["REQUIRED", "USCC_CHECK", "DATE_FORMAT"])
        #expect(outcome.findings.allSatisfy { $0.record == 0 })
        #expect(outcome.rejected == [true, false])
    }

    @Test func naturalPersonsNamesAreMarkedPersonal() throws {
        let (outcome, _) = try validate("张三,自然人,,2026/02/30\n张三,自然人,,\n宁波甲公司,法人,,\n")
        #expect(outcome.findings.map(\.isPersonal) == [false, false, false])
        let (named, _) = try validate("张三,自然人,X,2026/10/08\n")
        #expect(named.findings.map(\.rule.rawValue) == ["USCC_LENGTH"])
        let (empty, _) = try validate("\"\",自然人,,2026/10/08\n")
        #expect(empty.findings.first?.isPersonal == true)
    }

    @Test func everyEmittedRuleIsDescribedInBothLanguages() {
        for id in ["ROW_FIELD_COUNT", "REQUIRED", "DATE_FORMAT", "DATE_UNPADDED", "USCC_EMPTY", "USCC_LENGTH",
                   "USCC_CHARSET", "USCC_CHECK", "HEADER_UNKNOWN_COLUMN", "HEADER_MISSING_FIELD",
                   "HEADER_REPEATED_COLUMN"] {
            let description = RuleDescription.describing(RuleID(id))
            #expect(description != nil, "\(id) has no description")
            #expect(description?.summary.zh.isEmpty == false)
            #expect(description?.summary.en.isEmpty == false)
        }
    }
}
