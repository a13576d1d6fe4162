import CreditCore

/// How often a department is expected to send a feed, so that a report calls a department
/// 逾期未报送 only when its last submission is older than that: departments send on their own
/// cadence (双公示 as decisions occur, the registry weekly, tax ratings yearly), and a report that
/// paints every department without a file tonight red teaches reviewers to ignore red.
///
/// In `feeds.yaml`: `due_every_working_days: 5`, `due_monthly_by: 5` (each month's data by the
/// 5th of the next), or `due_yearly_by: "04-30"`. A feed without one is not judged.
public enum FeedCadence: Sendable, Hashable {
    /// At least one submission every N working days (official calendar).
    case everyWorkingDays(Int)
    /// A submission each month, by day D of the month.
    case monthlyBy(day: Int)
    /// A submission each year, by month/day.
    case yearlyBy(month: Int, day: Int)

    /// The last day a submission could have been made on and still keep the feed up to date on
    /// `today`: a last submission before it means overdue. Nil when the calendar cannot tell
    /// (working days beyond the years it covers): then the feed is not judged.
    public func earliestCurrent(today: CivilDate, calendar: WorkingCalendar?) -> CivilDate? {
        switch self {
        case .everyWorkingDays(let count):
            // The last submission L is current while today ≤ the N-th working day after L: walk back
            // to the earliest L for which that holds.
            guard let calendar else { return nil }
            var candidate = today
            for _ in 0..<(count * 3 + 30) {
                let earlier = CivilDate(dayNumber: candidate.dayNumber - 1)
                guard let deadline = calendar.deadline(after: earlier, workingDays: count) else { return nil }
                if deadline < today { return candidate }
                candidate = earlier
            }
            return candidate
        case .monthlyBy(let day):
            // By day D of this month, this month's submission is due; before it, last month's.
            let thisMonth = CivilDate(year: today.year, month: today.month, day: 1)!
            if today.day > day { return thisMonth }
            return today.month == 1 ? CivilDate(year: today.year - 1, month: 12, day: 1)!
                : CivilDate(year: today.year, month: today.month - 1, day: 1)!
        case .yearlyBy(let month, let day):
            let due = CivilDate(year: today.year, month: month, day: day) ?? CivilDate(year: today.year, month: month, day: 28)!
            return today > due ? CivilDate(year: today.year, month: 1, day: 1)! : CivilDate(year: today.year - 1, month: 1, day: 1)!
        }
    }

    /// Whether a feed last submitted on `last` (nil: never) is overdue on `today`; nil when it
    /// cannot be told.
    public func isOverdue(lastSubmission last: CivilDate?, today: CivilDate, calendar: WorkingCalendar?) -> Bool? {
        guard let earliest = earliestCurrent(today: today, calendar: calendar) else { return nil }
        guard let last else { return true }
        return last < earliest
    }

    /// The cadence in words, for reports.
    public func text(_ language: Language) -> String {
        switch self {
        case .everyWorkingDays(let count): language == .zh ? "每 \(count) 个工作日至少报送一次" : "at least every \(count) working days"
        case .monthlyBy(let day): language == .zh ? "每月 \(day) 日前" : "monthly by day \(day)"
        case .yearlyBy(let month, let day): language == .zh ? "每年 \(month) 月 \(day) 日前" : "yearly by \(month)-\(day)"
        }
    }
}
