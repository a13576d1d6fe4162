import Testing
import TestSupport

@Suite struct ExplainAndCatalogCommandTests {
    @Test func explainListsEveryRuleAndExplainsOne() throws {
        let list = try CLI.run(["explain"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count >= 60)
        #expect(lines.contains { $0.hasPrefix("USCC_CHECK ") && $0.contains("错误") })
        #expect(lines.contains { $0.hasPrefix("TIMELINESS_LATE ") && $0.contains("警告") })
        let one = try CLI.run(["explain", "dup_record", "--language", "en"])
        #expect(one.status == 0)
        #expect(one.stdout.hasPrefix("DUP_RECORD  Duplicate record\nSeverity: error (the record is non-compliant)\n"))
        let unknown = try CLI.run(["explain", "NO_SUCH_RULE"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("没有规则 NO_SUCH_RULE"))
    }

    @Test func catalogCheckSummarisesACleanCatalog() throws {
        let run = try CLI.run(["catalog", "check", Repository.path("catalogs")])
        #expect(run.status == 0, "\(run.stderr)")
        // The figures are the catalog's own, counted here independently of the command.
        let catalog = try Repository.catalog()
        let years = try #require(catalog.calendar?.years)
        #expect(catalog.items.count >= 8 && catalog.departments.count >= 104)
        #expect(run.stdout.contains("\(catalog.items.count) items"), "\(run.stdout)")
        #expect(run.stdout.contains("\(catalog.departments.count) departments"), "\(run.stdout)")
        #expect(run.stdout.contains("working-day calendar: \(years.lowerBound)–\(years.upperBound)"), "\(run.stdout)")
    }

    @Test func catalogCheckReportsEveryProblemWithItsPlace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("items/a.yaml", "id: a\nname: 甲\nfields:\n  - id: x\n    name: 乙\n    type: money\n")
        try directory.write("departments.yaml", "departments: []\n")
        try directory.write("feeds.yaml", "feeds:\n  - id: f\n    department: d\n    item: a\n    format: csv\n    files: \"*\"\n")
        let run = try CLI.run(["catalog", "check", directory.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(directory.file("items/a.yaml")):6:11: fields[0].type: unknown field type 'money'"))
        #expect(run.stderr.contains("\(directory.file("feeds.yaml")):2:5: feeds[0].department: no department 'd'"))
    }
}
