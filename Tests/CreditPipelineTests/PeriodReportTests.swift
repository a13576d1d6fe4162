import Foundation
import Testing
import TestSupport

/// The demo's two nights (the samples, then corrected feedback sent back), then a month's report
/// and the reports' index, as reviewers read them the next morning.
@Suite struct PeriodReportTests {
    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func aSecondNightShowsCorrectionsAndATrendAndAMonthReportsBoth() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.copyItem(atPath: Repository.path("samples"), toPath: directory.file("inbox"))
        try FileManager.default.copyItem(atPath: Repository.path("samples-resent"), toPath: directory.file("resent"))
        for (name, inbox) in [("nightly", "inbox"), ("resend", "resent")] {
            _ = try directory.write("\(name).yaml", """
                catalog: \(Repository.path("catalogs"))
                inbox: \(inbox)
                archive: var/archive.sqlite
                reports: var/reports
                settle_seconds: 0
                fail_on: []
                """)
        }
        #expect(try CLI.run(["run", directory.file("nightly.yaml")]).status == 0)
        let resent = try CLI.run(["run", directory.file("resend.yaml")])
        #expect(resent.stdout.contains("nb-fgw/credit_commitment_20261123.csv: 2 records, 2 compliant, 0 rejected (100.00%); 2 new, 1 corrected"),
                "\(resent.stdout)")

        // The second night's report: corrections, 纠正率 against the codes the first flagged, a trend.
        let second = try Self.json(directory.file("var/reports/run-000002/report.json"))
        let totals = try #require(second["totals"] as? [String: Any])
        #expect(totals["corrected"] as? Int == 2)
        #expect((totals["correction_rate"] as? [String: Int]) == ["numerator": 1, "denominator": 4])
        let trend = try #require(second["trend"] as? [String: [[String: Any]]])
        #expect(trend["runs"]?.map { $0["label"] as? String } == ["1", "2"])
        #expect(trend["runs"]?.map { ($0["compliance_rate"] as? [String: Int])?["numerator"] } == [48, 4])
        let day = try #require(second["day"] as? String)
        #expect(trend["months"]?.count == 1)
        #expect(trend["months"]?.first?["records"] as? Int == 92)
        #expect(trend["months"]?.first?["label"] as? String == String(day.prefix(7)))

        // The month's report: both nights as one, nothing ingested.
        let month = String(day.prefix(7))
        let before = try CLIQuery.sqlite(directory.file("var/archive.sqlite"), "SELECT COUNT(*), SUM(records) FROM files").1
        let report = try CLI.run(["report", "--pipeline", directory.file("nightly.yaml"), "--period", month])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("runs 1, 2"))
        #expect(try CLIQuery.sqlite(directory.file("var/archive.sqlite"), "SELECT COUNT(*), SUM(records) FROM files").1 == before)
        let period = try Self.json(directory.file("var/reports/period-\(month)/report.json"))
        #expect(period["period"] as? String == month)
        #expect(period["covered_runs"] as? [Int] == [1, 2])
        let periodTotals = try #require(period["totals"] as? [String: Any])
        #expect(periodTotals["records"] as? Int == 92)
        #expect(periodTotals["compliant"] as? Int == 52)
        #expect(periodTotals["corrected"] as? Int == 2)
        #expect((period["files"] as? [[String: Any]])?.filter { $0["outcome"] as? String == "archived" }.count == 12)
        for name in ["index.html", "figures.csv", "findings.csv"] {
            #expect(FileManager.default.fileExists(atPath: directory.file("var/reports/period-\(month)/\(name)")))
        }
        let html = try String(contentsOfFile: directory.file("var/reports/period-\(month)/index.html"), encoding: .utf8)
        #expect(html.contains("期间 \(month)（批次 1、2）"))
        #expect(!html.contains("id=\"feedback\""), "feedback belongs to runs")
        let schema = try ReportSchemaTests.check([directory.file("var/reports/period-\(month)/report.json"),
                                                  directory.file("var/reports/run-000002/report.json")])
        #expect(schema.status == 0, "\(schema.output)")

        // The index: every run with its figures and link, and the month.
        let index = try String(contentsOfFile: directory.file("var/reports/index.html"), encoding: .utf8)
        #expect(index.contains("<tr data-run=\"2\"><td><a href=\"run-000002/index.html\">2</a></td>"))
        #expect(index.contains("<tr data-run=\"1\"><td><a href=\"run-000001/index.html\">1</a></td>"))
        #expect(index.contains("<a href=\"period-\(month)/index.html\">\(month)</a>"))
        #expect(index.contains("<td class=\"n missed\">60.00%</td>"))

        // A period without runs, and one that is not a period.
        let empty = try CLI.run(["report", "--pipeline", directory.file("nightly.yaml"), "--period", "2019-01"])
        #expect(empty.status == 66)
        #expect(empty.stderr.contains("falls in 2019-01; nothing to report"))
        #expect(try CLI.run(["report", "--pipeline", directory.file("nightly.yaml"), "--period", "2026-13"]).status == 64)
    }
}
