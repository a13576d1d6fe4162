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

/// A silent department is 逾期未报送 only when a feed of it is past its cadence (`due_*` in
/// feeds.yaml): the demo's second night no longer paints every department without a file red.
@Suite struct DepartmentCadenceTests {
    @Test func silentDepartmentsAreOverdueOnlyPastTheirFeedsCadence() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.copyItem(atPath: Repository.path("samples"), toPath: directory.file("inbox"))
        let configuration = ReportTestPipeline.configuration(in: directory, language: .zh)
        let catalog = try Repository.catalog()
        func night(_ year: Int, _ month: Int, _ day: Int) throws -> RunReport {
            let today = try #require(CivilDate(year: year, month: month, day: day))
            let summary = try PipelineRunner(configuration: configuration, logger: Logger(label: "test"), today: today).run()
            return try RunReport(run: summary.runID, archive: Archive(path: configuration.archive), catalog: catalog,
                                 language: .zh, today: today)
        }
        func status(_ report: RunReport) -> [String: RunReport.DepartmentFigures.Status] {
            Dictionary(uniqueKeysWithValues: report.departments.filter { $0.status != .noFeed }.map { ($0.department, $0.status) })
        }
        // Night 1: nine departments send; two that have feeds never did.
        let first = try night(2026, 11, 22)
        let never = first.departments.filter { $0.status == .overdue }
        #expect(never.map(\.department).sorted() == ["bl-scjg", "yy-scjg"])
        #expect(never.allSatisfy { ($0.overdueFeeds ?? []).allSatisfy { $0.lastSubmission == nil } })

        // Night 2 (the demo's): only two departments send, their feedback back; the others sent this
        // month, within their cadence: not overdue, not red. Only feeds never sent stay overdue.
        try FileManager.default.removeItem(atPath: directory.file("inbox"))
        for relative in ["nb-scjg/admin_penalty_20261123.csv", "nb-fgw/credit_commitment_20261123.csv"] {
            try FileManager.default.createDirectory(atPath: (directory.file("inbox/\(relative)") as NSString)
                .deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Repository.path("samples-resent/\(relative)"),
                                             toPath: directory.file("inbox/\(relative)"))
        }
        let secondReport = try night(2026, 11, 24)
        let second = status(secondReport)
        #expect(second.filter { $0.value == .reported }.keys.sorted() == ["nb-fgw", "nb-scjg"], "\(second)")
        #expect(second.filter { $0.value == .notDue }.count >= 5, "\(second)")
        for department in secondReport.departments where department.status == .overdue {
            #expect((department.overdueFeeds ?? []).allSatisfy { $0.lastSubmission == nil }, "\(department.overdueFeeds)")
        }

        // Night 3, in December after the 5th, nothing sent since November: every department that
        // sent a monthly feed in November is overdue, the feed with its last submission.
        try FileManager.default.removeItem(atPath: directory.file("inbox"))
        try FileManager.default.createDirectory(atPath: directory.file("inbox"), withIntermediateDirectories: true)
        let third = try night(2026, 12, 8)
        let overdue = third.departments.filter { $0.status == .overdue }
        #expect(overdue.count == 10, "\(status(third))")
        // The tax bureau sends its A-grade list once a year, by April 30: sent in November, not due.
        #expect(status(third)["nb-tax"] == .notDue)
        let penalty = try #require(overdue.first { $0.department == "nb-scjg" }?.overdueFeeds?.first { $0.item == "admin_penalty" })
        // The day it was received (night 2), whatever date its file name carries (11-23).
        #expect(penalty.lastSubmission == "2026-11-24")
        #expect(penalty.cadence == "每月 5 日前")
        let html = HTMLReport.render(third)
        #expect(html.contains("行政处罚：最后报送 2026-11-24（每月 5 日前）"), "the feed, its last submission and its cadence")
    }

    @Test(arguments: [
        // (cadence, last submission, today, overdue)
        (FeedCadence.everyWorkingDays(5), "2026-11-16", "2026-11-23", false),   // Mon → the next Mon: 5 working days
        (FeedCadence.everyWorkingDays(5), "2026-11-13", "2026-11-23", true),    // Fri → Fri 11-20 was the deadline
        (FeedCadence.everyWorkingDays(5), "2026-09-29", "2026-10-09", false),   // National Day week is not working
        (FeedCadence.monthlyBy(day: 5), "2026-11-30", "2026-12-05", false),
        (FeedCadence.monthlyBy(day: 5), "2026-11-30", "2026-12-06", true),
        (FeedCadence.monthlyBy(day: 5), "2025-12-20", "2026-01-04", false),
        (FeedCadence.yearlyBy(month: 4, day: 30), "2025-04-20", "2026-04-30", false),
        (FeedCadence.yearlyBy(month: 4, day: 30), "2025-04-20", "2026-05-01", true),
    ])
    func aCadenceTellsWhenTheLastSubmissionIsTooOld(cadence: FeedCadence, last: String, today: String, overdue: Bool) throws {
        let calendar = try Repository.catalog().calendar
        guard case .date(let lastDate, _) = CivilDate.parse(last), case .date(let day, _) = CivilDate.parse(today) else {
            Issue.record("bad dates")
            return
        }
        #expect(cadence.isOverdue(lastSubmission: lastDate, today: day, calendar: calendar) == overdue)
        #expect(cadence.isOverdue(lastSubmission: nil, today: day, calendar: calendar) == true, "never sent")
    }
}
