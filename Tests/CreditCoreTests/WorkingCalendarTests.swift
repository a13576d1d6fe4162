import CreditCore
import Foundation
import Testing
import TestSupport

@Suite struct WorkingCalendarTests {
    static let calendar: WorkingCalendar = {
        let text = (try? String(contentsOfFile: Repository.path("catalogs/reference/cn-official-calendar.csv"),
                                encoding: .utf8)) ?? ""
        return (try? WorkingCalendar(csv: text)) ?? (try! WorkingCalendar(csv: "date,kind,festival\n2000-01-01,holiday,x\n"))
    }()

    static func date(_ text: String) -> CivilDate {
        guard case .date(let date, _) = CivilDate.parse(text) else { fatalError("bad test date \(text)") }
        return date
    }

    /// credit-data-standard §8: counting weekdays gives 10-07, skipping holidays but not the
    /// 调休 Saturday gives 10-15; the official calendar gives Monday 10-13.
    @Test func theWorkedExampleOfTheSpec() {
        #expect(Self.calendar.years == 2004...2026)
        #expect(Self.calendar.deadline(after: Self.date("2025-09-26"), workingDays: 7) == Self.date("2025-10-13"))
    }

    @Test(arguments: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11", "2026-01-04",
                      "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"])
    func adjustedWeekendsAreWorkingDays(day: String) {
        let date = Self.date(day)
        #expect(date.weekday >= 6)
        #expect(Self.calendar.isWorkingDay(date) == true)
    }

    @Test func holidaysAndWeekends() {
        #expect(Self.calendar.isWorkingDay(Self.date("2025-10-01")) == false)   // National Day, a Wednesday
        #expect(Self.calendar.isWorkingDay(Self.date("2025-11-22")) == false)   // an ordinary Saturday
        #expect(Self.calendar.isWorkingDay(Self.date("2025-11-21")) == true)
    }

    /// Years the State Council has not published are unknown, never guessed.
    @Test func uncoveredYearsAreUnknown() {
        #expect(Self.calendar.isWorkingDay(Self.date("2027-03-01")) == nil)
        #expect(Self.calendar.isWorkingDay(Self.date("2003-03-03")) == nil)
        #expect(Self.calendar.deadline(after: Self.date("2026-12-28"), workingDays: 7) == nil)
        #expect(Self.calendar.deadline(after: Self.date("2026-12-01"), workingDays: 7) == Self.date("2026-12-10"))
    }

    @Test func brokenRowsNameTheirLine() {
        #expect(throws: ReferenceError(file: "cn-official-calendar.csv", line: 3, message: "kind must be `holiday` or `workday`")) {
            try WorkingCalendar(csv: "date,kind,festival\n2025-10-01,holiday,National Day\n2025-10-11,work,National Day\n")
        }
    }

    /// Day numbers round-trip, and weekdays step by one, over every day of 1900–2100.
    @Test func dayNumbersRoundTrip() {
        let start = CivilDate(year: 1900, month: 1, day: 1)!.dayNumber
        let end = CivilDate(year: 2100, month: 12, day: 31)!.dayNumber
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CivilDate(year: 2025, month: 9, day: 26)!.weekday == 5)
        var previous = CivilDate(dayNumber: start - 1)
        for day in start...end {
            let date = CivilDate(dayNumber: day)
            #expect(date.dayNumber == day)
            #expect(date > previous)
            #expect(date.weekday == previous.weekday % 7 + 1)
            previous = date
        }
    }
}
