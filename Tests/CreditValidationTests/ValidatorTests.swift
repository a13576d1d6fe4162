import Foundation
import CreditAdapters
import CreditCatalog
import CreditCore
import CreditIdentifiers
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
    subjectKindField: "lb", subjectKinds: ["法人": .organization, "自然人": .naturalPerson])

/// A fixed run date: results never depend on when the tests run.
let testToday = CivilDate(year: 2026, month: 11, day: 22)!

func validate(_ rows: String, item: CatalogItem = testItem, header: String = "名称,类别,代码,日期") throws
    -> (ValidationOutcome, RecordBatch)
{
    var source = try CSVSource(bytes: MemoryByteSource(header + "\n" + rows), file: SourceFile(path: "t.csv"))
    let header = try source.header()
    let validator = Validator(item: item, layout: item.layout(forHeader: header).layout, today: testToday)
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
        ("宁波甲公司,法人,91330200MA2EL626,2026/10/08", "USCC_LENGTH", "dm", "16"),
        ("宁波甲公司,法人,9133020OMA2EL6266C,2026/10/08", "USCC_CHARSET", "dm", "8"),
        ("宁波甲公司,法人,B1330200MA2EL6266A,2026/10/08", "USCC_DEPT", "dm", nil),
        ("宁波甲公司,法人,91330200MA2EL6267F,2026/10/08", "USCC_ORGCODE_CHECK", "dm", "6"),
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

    /// Every code kind of the catalog is checked with its standard's validator, and warnings
    /// (a legacy 15-digit ID, an allow-listed pilot code) leave the record compliant.
    @Test func everyIdentifierKindIsChecked() throws {
        let item = CatalogItem(
            id: "k", name: "代码", nameEnglish: "Codes",
            fields: [FieldSpec(id: "uscc", name: "信用代码", type: .code(.uscc)),
                     FieldSpec(id: "org", name: "组织机构代码", type: .code(.org)),
                     FieldSpec(id: "sfz", name: "身份证号", type: .code(.id), personal: .always),
                     FieldSpec(id: "zch", name: "注册号", type: .code(.regno)),
                     FieldSpec(id: "qt", name: "其他", type: .code(.other))])
        let header = "信用代码,组织机构代码,身份证号,注册号,其他"
        let (clean, _) = try validate("91330200MA2EL6266C,MA2EL626-6,11010519491231002X,310230001716146,ABC-1\n",
                                      item: item, header: header)
        #expect(clean.findings.isEmpty)
        let (bad, _) = try validate("91330200MA2EL6266C,MA2EL626-7,110105194912310021,310230001716147,x\n",
                                    item: item, header: header)
        #expect(bad.findings.map(\.rule.rawValue) == ["ORG_CHECK", "ID_CHECK", "REGNO_CHECK"])
        #expect(bad.findings.map(\.detail) == ["6", "X", "6"])
        #expect(bad.findings.map(\.isPersonal) == [false, true, false])
        let (warned, _) = try validate("91350100M0001TGQXM,,110105491231002,,\n", item: item, header: header)
        #expect(warned.findings.map(\.rule.rawValue) == ["USCC_CHECK_LEGACY", "ID_LEGACY15"])
        #expect(warned.findings.allSatisfy { $0.severity == .warning })
        #expect(warned.rejected == [false])
    }

    @Test func everyIdentifierDefectIsDescribed() {
        for defect in IdentifierDefect.allCases {
            let description = RuleDescription.describing(RuleID(defect.code))
            #expect(description?.severity == defect.severity, "\(defect.code)")
        }
        let finding = Finding(record: 0, rule: "USCC_CHECK", severity: .error, field: "dm", value: "x", detail: "C")
        #expect(RuleDescription.describing("USCC_CHECK")?.message(for: finding, language: .zh)
            == "统一社会信用代码校验码错误（校验码应为 C）")
    }

    /// Every rule id the sources can emit (each `RuleID` literal of every module, and each
    /// identifier defect) is described in both languages, and every description belongs to a rule
    /// some code emits: a rule added without its description, or a description left behind by a
    /// removed rule, turns this red.
    @Test func everyEmittedRuleIsDescribedInBothLanguages() throws {
        let emitted = try Self.ruleLiteralsInSources().union(IdentifierDefect.allCases.map(\.code))
        #expect(emitted.count >= 40, "the scan found too few rules: \(emitted.sorted())")
        for id in emitted.sorted() {
            let description = RuleDescription.describing(RuleID(id))
            #expect(description != nil, "\(id) has no description")
            #expect(description?.summary.zh.isEmpty == false, "\(id)")
            #expect(description?.summary.en.isEmpty == false, "\(id)")
        }
        let described = Set(RuleDescription.all.keys.map(\.rawValue))
        #expect(described.subtracting(emitted).isEmpty, "described but never emitted: \(described.subtracting(emitted).sorted())")
    }

    /// The ids in `RuleID` literals (`: RuleID = "X"`, `RuleID("X")`) of every source file.
    static func ruleLiteralsInSources() throws -> Set<String> {
        let pattern = try Regex(#"(?::\s*RuleID\s*=\s*|RuleID\()"([A-Z][A-Z0-9_]+)""#)
        var ids: Set<String> = []
        let sources = Repository.path("Sources")
        let files = FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: (sources as NSString).appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let id = match.output[1].substring { ids.insert(String(id)) }
            }
        }
        return ids
    }
}
