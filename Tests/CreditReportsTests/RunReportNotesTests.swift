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

/// What a report tells reviewers about its own figures.
@Suite struct RunReportNotesTests {
    /// The notes of a run on `today` over one penalty file submitted that day whose records were
    /// decided on the same day.
    static func notes(today: CivilDate) throws -> (notes: [String], unknown: Int) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stamp = today.description.replacingOccurrences(of: "-", with: "")
        let slashed = today.description.replacingOccurrences(of: "-", with: "/")
        let sample = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"), encoding: .utf8)
        // Every decision on `today`, so each deadline is 7 working days after it.
        let pattern = try Regex(#",20\d\d[/.]?\d\d?[/.]?\d\d?,"#)
        let dated = sample.replacing(pattern, maxReplacements: .max) { _ in ",\(slashed)," }
        try directory.write("inbox/nb-scjg/admin_penalty_\(stamp).csv", dated)
        let configuration = ReportTestPipeline.configuration(in: directory, language: .zh)
        let summary = try PipelineRunner(configuration: configuration, logger: Logger(label: "test"), today: today).run()
        let report = try RunReport(run: summary.runID, archive: Archive(path: configuration.archive),
                                   catalog: try Repository.catalog(), language: .zh, today: today)
        return (report.notes, report.totals.timelinessUnknown)
    }

    /// Decisions of late December have deadlines in a year the calendar may not cover yet: the
    /// report says why their timeliness is unknown and what to do, and says nothing of it in November.
    @Test func unknownTimelinessInAnUncoveredYearIsExplained() throws {
        let calendar = try #require(try Repository.catalog().calendar)
        let last = calendar.years.upperBound
        let december = try Self.notes(today: try #require(CivilDate(year: last, month: 12, day: 24)))
        #expect(december.unknown > 0)
        let note = december.notes.first { $0.contains("\(last + 1) 年") }
        #expect(note != nil, "\(december.notes)")
        #expect(note?.contains("cn-official-calendar.csv") == true)
        #expect(note?.contains("\(december.unknown) 条") == true)

        let november = try Self.notes(today: try #require(CivilDate(year: last, month: 11, day: 2)))
        #expect(!november.notes.contains { $0.contains("\(last + 1) 年") }, "\(november.notes)")
    }
}
