import CreditCore
import Testing

@Suite struct CivilDateTests {
    @Test(arguments: [
        ("2025/09/26", "2025-09-26", false),
        ("2025-09-26", "2025-09-26", false),
        ("20250926", "2025-09-26", false),
        ("2025.09.26", "2025-09-26", false),
        ("2025年9月26日", "2025-09-26", true),
        ("2025年09月26日", "2025-09-26", false),
        ("2025/9/6", "2025-09-06", true),
        (" 2025/09/26 ", "2025-09-26", false),
        ("２０２５／０９／２６", "2025-09-26", false),
        ("2025-09-26 14:30", "2025-09-26", false),
        ("2025-09-26 14:30:05", "2025-09-26", false),
        ("2025-09-26T14:30:05.123", "2025-09-26", false),
        ("2024/02/29", "2024-02-29", false),
    ])
    func acceptsTheStandardLayouts(input: String, iso: String, unpadded: Bool) {
        guard case .date(let date, let isUnpadded) = CivilDate.parse(input) else {
            Issue.record("\(input) was not parsed")
            return
        }
        #expect(date.description == iso)
        #expect(isUnpadded == unpadded)
    }

    @Test(arguments: ["25/09/26", "2025/09", "2025-09/26", "2025年9月", "26.9.2025", "2025/09/26x", "abc", "",
                      "2025-09-26 14", "2025-09-26 1430"])
    func refusesOtherLayouts(input: String) {
        #expect(CivilDate.parse(input) == .invalid(.layout))
    }

    @Test(arguments: ["2025-02-29", "2026-02-30", "2026/13/01", "2026/04/31", "2026/00/10", "1900-02-29"])
    func refusesDaysThatDoNotExist(input: String) {
        #expect(CivilDate.parse(input) == .invalid(.nonexistentDay))
    }

    @Test func longTermIsTheFarEndDate() {
        #expect(CivilDate.parse("长期") == .longTerm)
        #expect(CivilDate.parse(" 永久 ") == .longTerm)
        #expect(CivilDate.longTerm.description == "2099-12-31")
    }

    @Test func leapYears() {
        #expect(CivilDate.isLeap(2000))
        #expect(!CivilDate.isLeap(1900))
        #expect(CivilDate.isLeap(2024))
        #expect(!CivilDate.isLeap(2026))
    }

    /// Periods in months keep the day, or the month's last day when it has no such day.
    @Test func addingMonthsClampsToTheMonthsLastDay() {
        let date = { (y: Int, m: Int, d: Int) in CivilDate(year: y, month: m, day: d)! }
        #expect(date(2026, 11, 12).adding(months: 3) == date(2027, 2, 12))
        #expect(date(2026, 1, 31).adding(months: 1) == date(2026, 2, 28))
        #expect(date(2028, 1, 31).adding(months: 1) == date(2028, 2, 29))
        #expect(date(2026, 11, 30).adding(months: 36) == date(2029, 11, 30))
        #expect(date(2026, 12, 15).adding(months: 1) == date(2027, 1, 15))
    }
}
