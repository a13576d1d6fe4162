import CreditArchive
import CreditArchiveSQLite
import CreditCatalog
import CreditCore
import CreditPipeline
import CreditReports
import Foundation
import Logging
import Testing
import TestSupport

/// Golden files for the reports: re-record with `RECORD_SNAPSHOTS=1 swift test`.
@Suite struct HTMLReportTests {
    func sampleReport(language: Language) throws -> RunReport {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Every sample dump, from several departments: the report the demo shows.
        try FileManager.default.copyItem(atPath: Repository.path("samples"), toPath: directory.file("inbox"))
        let configuration = ReportTestPipeline.configuration(in: directory, language: language)
        let today = CivilDate(year: 2026, month: 11, day: 22)!
        let summary = try PipelineRunner(configuration: configuration, logger: Logger(label: "test"), today: today).run()
        // The report as the run wrote it (with its feedback files), read back.
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let written = try #require(summary.reportDirectory, "a run that ends writes its report")
        var report = try decoder.decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath:
            (written as NSString).appendingPathComponent("report.json"))))
        let rebuilt = try RunReport(run: summary.runID, archive: Archive(path: configuration.archive),
                                    catalog: try Repository.catalog(), language: language, today: today)
        #expect(report.feedback.count == 10)
        #expect(rebuilt.slices == report.slices && rebuilt.departments == report.departments,
                "the report rebuilt from the archive equals the one the run wrote")
        report.run.startedAt = "2026-11-20T18:00:00Z"
        report.run.finishedAt = "2026-11-20T18:00:01Z"
        return report
    }

    func assertGolden(_ text: String, _ name: String) throws {
        let path = Repository.path("Tests/CreditReportsTests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == golden, "\(name) differs from its golden file; re-record with RECORD_SNAPSHOTS=1 if intended")
    }

    @Test func chineseHTMLMatchesItsGoldenFile() throws {
        try assertGolden(HTMLReport.render(try sampleReport(language: .zh)), "sample-run.zh.html")
    }

    @Test func englishHTMLMatchesItsGoldenFile() throws {
        try assertGolden(HTMLReport.render(try sampleReport(language: .en)), "sample-run.en.html")
    }

    @Test func jsonMatchesItsGoldenFile() throws {
        let report = try sampleReport(language: .zh)
        try assertGolden(String(decoding: try report.jsonData(), as: UTF8.self) + "\n", "sample-run.json")
    }

    @Test func csvExportsMatchTheirGoldenFiles() throws {
        let report = try sampleReport(language: .zh)
        let figures = ReportCSV.figures(report), findings = ReportCSV.findings(report)
        #expect(figures.starts(with: [0xEF, 0xBB, 0xBF]), "a byte-order mark, so spreadsheets read the Chinese")
        for (bytes, name) in [(figures, "figures.csv"), (findings, "findings.csv")] {
            // Bytes, not text: decoding would drop the byte-order mark.
            let path = Repository.path("Tests/CreditReportsTests/Golden/\(name)")
            if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            }
            #expect(Data(bytes) == (try Data(contentsOf: URL(fileURLWithPath: path))), "\(name) differs from its golden file")
        }
        // Each slice is a row; its findings add up to the report's.
        let rows = String(decoding: findings.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").dropFirst()
            .filter { !$0.isEmpty }
        #expect(rows.count == report.slices.map(\.figures.findings.count).reduce(0, +))
        #expect(String(decoding: figures.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            .filter { !$0.isEmpty }.count == 1 + report.slices.count)
        #expect(ReportCSV.percent(Ratio(1, of: 12_500)) == "0.0080%", "重错码率 keeps hundredths of a percent")
        #expect(ReportCSV.percent(Ratio(48, of: 80)) == "60.0000%")
        #expect(ReportCSV.percent(Ratio(0, of: 0)) == "")
    }

    /// The HTML needs nothing but `report.json`: decoded back, the JSON renders the same page.
    @Test func theHTMLIsAFunctionOfTheJSONAlone() throws {
        let report = try sampleReport(language: .zh)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let decoded = try decoder.decode(RunReport.self, from: Data(try report.jsonData()))
        #expect(decoded == report)
        #expect(HTMLReport.render(decoded) == HTMLReport.render(report))
    }

    @Test func everyDepartmentOfTheDirectoryAppearsWorstFirst() throws {
        let report = try sampleReport(language: .zh)
        let catalog = try Repository.catalog()
        #expect(report.departments.count == catalog.departments.count)
        #expect(Set(report.departments.map(\.department)) == Set(catalog.departments.keys))
        // Expected by a feed, never sent, past the feed's cadence: first, as 逾期未报送, with the feed.
        let silent = report.departments.prefix { $0.status == .overdue }
        #expect(silent.map(\.department) == ["bl-scjg", "yy-scjg"])
        #expect(silent.allSatisfy { $0.overdueFeeds != nil && ($0.overdueFeeds ?? []).allSatisfy { $0.lastSubmission == nil } })
        let reported = report.departments.filter { $0.status == .reported }
        #expect(reported.count == 9)
        let rates = reported.map { Double($0.compliant) / Double($0.records) }
        #expect(rates == rates.sorted(), "senders by 合规率, lowest first")
        #expect(reported.allSatisfy { $0.meetsComplianceTarget == false })
        #expect(report.departments.drop { $0.status != .noFeed }.allSatisfy { $0.status == .noFeed },
                "departments no feed expects anything from come last")
        let html = HTMLReport.render(report)
        #expect(html.contains("<text x=\"236\" y=\"32\" fill=\"#c92a2a\">逾期未报送</text>"), "the chart's first bar")
        #expect(html.contains("目标 98%</text>"), "the target line is labelled")
    }

    /// Each department × item folds out its own findings and example rows, worst 合规率 first.
    @Test func theDrillDownShowsEachSlicesOwnFindingsAndRows() throws {
        let report = try sampleReport(language: .zh)
        let html = HTMLReport.render(report)
        let blocks = html.components(separatedBy: "<details data-drill=\"").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
        #expect(blocks.count == report.slices.count)
        #expect(blocks.first == "cx-scjg/admin_license", "50% first")
        #expect(blocks.last == "nb-scjg/enterprise_registration", "83.33% last")
        let penalty = try #require(html.components(separatedBy: "<details data-drill=\"nb-scjg/admin_penalty\">").last?
            .components(separatedBy: "</details>").first)
        #expect(penalty.contains("处罚决定日期 <code class=\"id\">cf_jdrq</code>"))
        #expect(penalty.contains("<code>nb-scjg/admin_penalty_20261120.csv</code>"))
        #expect(!penalty.contains("nb-sthjj/"), "another department's rows stay in its own block")
        #expect(!penalty.contains("xk_"), "another item's fields stay in its own block")
    }

    @Test func fieldsAppearByTheirCatalogNames() throws {
        let zh = try sampleReport(language: .zh)
        let dateFormat = try #require(zh.totals.findings.first { $0.rule == "DATE_FORMAT" && $0.field == "cf_jdrq" })
        #expect(dateFormat.fieldName == "处罚决定日期")
        #expect(dateFormat.summary == "日期格式错误或日期不存在")
        #expect(zh.samples.contains { $0.field == "tyshxydm" && $0.fieldName == "统一社会信用代码" })
        #expect(HTMLReport.render(zh).contains("处罚决定日期 <code class=\"id\">cf_jdrq</code>"))
        let en = try sampleReport(language: .en)
        #expect(en.totals.findings.first { $0.field == "cf_jdrq" }?.fieldName == "Penalty decision date")
    }

    @Test func personalDataIsMaskedInTheReport() throws {
        let report = try sampleReport(language: .zh)
        let html = HTMLReport.render(report)
        let json = String(decoding: try report.jsonData(), as: UTF8.self)
        for secret in ["330212199207180621", "330203198503120710", "李某"] {
            #expect(!html.contains(secret))
            #expect(!json.contains(secret))
        }
    }
}
