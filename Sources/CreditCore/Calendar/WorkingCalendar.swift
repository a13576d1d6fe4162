/// The official working-day calendar: Monday to Friday, minus public holidays, plus the
/// weekend days made working days (调休) — for deadlines counted in working days.
///
/// It covers only the years the State Council has published; outside them it answers nil
/// rather than guess, so timeliness there is "unknown", never a silent weekday count.
///
/// ```swift
/// let friday = CivilDate(year: 2025, month: 9, day: 26)!
/// calendar.deadline(after: friday, workingDays: 7)   // 2025-10-13: 09-28 and 10-11 are 调休 workdays
/// ```
public struct WorkingCalendar: Sendable {
    /// The years whose holidays and 调休 days are known.
    public let years: ClosedRange<Int>
    /// Day numbers that break the Monday–Friday rule: true for a 调休 workday, false for a holiday.
    private let exceptions: [Int: Bool]
    /// The day number of January 1 of the first covered year.
    private let firstDay: Int
    /// For each covered day, how many working days come before it (from `firstDay`): a deadline
    /// is then one lookup instead of a walk through the calendar.
    private let workingBefore: [Int32]
    /// The covered working days, in order.
    private let workingDays: [Int32]

    public static let columns = ["date", "kind", "festival"]
    public static let file = "cn-official-calendar.csv"

    /// Reads `catalogs/reference/cn-official-calendar.csv` (`date,kind,festival`, kind `holiday` or
    /// `workday`). The years covered are the first to the last year that has a row.
    public init(csv text: String, name: String = WorkingCalendar.file) throws(ReferenceError) {
        let table = try ReferenceTable(name: name, text: text, columns: Self.columns)
        var exceptions: [Int: Bool] = [:]
        var first = Int.max, last = Int.min
        for (line, fields) in table.rows {
            guard case .date(let date, false) = CivilDate.parse(String(fields[0])) else {
                throw ReferenceError(file: name, line: line, message: "`\(fields[0])` is not a date YYYY-MM-DD")
            }
            switch fields[1] {
            case "holiday": exceptions[date.dayNumber] = false
            case "workday": exceptions[date.dayNumber] = true
            default: throw ReferenceError(file: name, line: line, message: "kind must be `holiday` or `workday`")
            }
            first = min(first, date.year)
            last = max(last, date.year)
        }
        guard first <= last else { throw ReferenceError(file: name, line: 1, message: "the calendar has no rows") }
        years = first...last
        self.exceptions = exceptions
        let start = CivilDate(year: first, month: 1, day: 1)!.dayNumber
        let end = CivilDate(year: last, month: 12, day: 31)!.dayNumber
        var before: [Int32] = []
        var working: [Int32] = []
        before.reserveCapacity(end - start + 1)
        for day in start...end {
            before.append(Int32(working.count))
            let weekday = CivilDate(dayNumber: day).weekday
            if exceptions[day] ?? (weekday <= 5) { working.append(Int32(day - start)) }
        }
        firstDay = start
        workingBefore = before
        workingDays = working
    }

    /// Whether `date` is a working day; nil outside the covered years.
    public func isWorkingDay(_ date: CivilDate) -> Bool? {
        guard years.contains(date.year) else { return nil }
        return exceptions[date.dayNumber] ?? (date.weekday <= 5)
    }

    /// The `workingDays`-th working day strictly after `date` (the day itself does not count);
    /// nil when the count runs into a year the calendar does not cover.
    public func deadline(after date: CivilDate, workingDays count: Int) -> CivilDate? {
        let offset = date.dayNumber - firstDay
        guard offset >= 0, offset < workingBefore.count, count >= 1 else { return count == 0 ? date : nil }
        // Working days strictly after `date` start at index workingBefore[offset + 1] (or the end).
        let after = offset + 1 < workingBefore.count ? Int(workingBefore[offset + 1]) : workingDays.count
        let index = after + count - 1
        guard index < workingDays.count else { return nil }
        return CivilDate(dayNumber: firstDay + Int(workingDays[index]))
    }
}
