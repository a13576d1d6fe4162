import CreditArchive
import CreditCatalog
import CreditCore
import CreditReports
import Testing
import TestSupport

/// 公示及时率: a record's first export within its deadline of the decision, on the official
/// calendar (samples/README.md: a decision of Friday 2026-11-20 is due by Tuesday 2026-12-01).
@Suite struct PublicationTimelinessTests {
    @Test func aFirstExportIsJudgedOnTheOfficialCalendar() throws {
        let calendar = try #require(try Repository.catalog().calendar)
        func judge(_ decided: String?, _ exported: String, calendar: WorkingCalendar?) -> Bool? {
            PublicationTimeliness.judge(FirstExport(department: "d", decided: decided, exported: exported),
                                        workingDays: 7, calendar: calendar)
        }
        #expect(judge("2026-11-20", "2026-12-01", calendar: calendar) == true)
        #expect(judge("2026-11-20", "2026-12-02", calendar: calendar) == false)
        // 国庆 2026: October 1–7 are holidays, so a decision of 2026-09-30 is due well after the 9th.
        #expect(judge("2026-09-30", "2026-10-09", calendar: calendar) == true)
        #expect(judge(nil, "2026-12-01", calendar: calendar) == nil)
        #expect(judge("2026-11-20", "2026-12-01", calendar: nil) == nil)
    }
}
