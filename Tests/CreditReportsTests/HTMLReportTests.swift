import CreditArchive
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
        let configuration = PipelineConfiguration(
            file: directory.file("p.yaml"), name: "nightly", catalog: Repository.path("catalogs"),
            inbox: directory.file("inbox"), archive: directory.file("a.sqlite"), reports: directory.file("reports"),
            language: language, settleSeconds: 0)
        let today = CivilDate(year: 2026, month: 11, day: 22)!
        let summary = try PipelineRunner(configuration: configuration, logger: Logger(label: "test"), today: today).run()
        var report = try RunReport(run: summary.runID, archive: Archive(path: configuration.archive),
                                   catalog: try Repository.catalog(), language: language, today: today)
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
