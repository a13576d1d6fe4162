import CreditArchive
import CreditCore

extension RunReport {
    /// Each figure across earlier runs and per month, from what earlier reports recorded
    /// (`run_figures`), this report's own last.
    public struct Trend: Sendable, Hashable, Codable {
        /// The last ``RunReport/trendRuns`` reported runs, oldest first.
        public var runs: [TrendPoint]
        /// The last ``RunReport/trendRuns`` days with a reported run, oldest first.
        public var days: [TrendPoint]
        /// Every month with a reported run, oldest first.
        public var months: [TrendPoint]
    }

    public struct TrendPoint: Sendable, Hashable, Codable {
        /// The run's id (`12`) or the month (`2026-11`).
        public var label: String
        /// The run's day, or the month's first and last run days.
        public var days: String
        public var runs: Int
        public var records: Int
        public var complianceRate: Ratio
        public var timelinessRate: Ratio
        /// Per month, the runs' terms added up: a code carried in two runs counts in both.
        public var dupErrorCodeRate: Ratio

        init(label: String, figures: [RunFigures]) {
            self.label = label
            let days = figures.map(\.day)
            self.days = days.first == days.last ? days.first ?? "" : "\(days.first!)–\(days.last!)"
            runs = figures.count
            records = figures.reduce(0) { $0 + $1.records }
            complianceRate = Ratio(figures.reduce(0) { $0 + $1.compliant }, of: records)
            let timely = figures.reduce(0) { $0 + $1.timely }
            timelinessRate = Ratio(timely, of: timely + figures.reduce(0) { $0 + $1.late })
            dupErrorCodeRate = Ratio(figures.reduce(0) { $0 + $1.dupErrorCodes }, of: figures.reduce(0) { $0 + $1.distinctCodes })
        }
    }

    /// How many runs the trend shows.
    public static let trendRuns = 30

    /// What this report records for later trends.
    public func figures(day: String) -> RunFigures {
        RunFigures(run: run.id, day: day, records: totals.records, compliant: totals.compliant, timely: totals.timely,
                   late: totals.late, distinctCodes: totals.distinctCodes, dupErrorCodes: totals.dupErrorCodes)
    }

    static func trend(previous: [RunFigures], current: RunFigures?) -> Trend {
        let all = previous + (current.map { [$0] } ?? [])
        let runs = all.suffix(trendRuns).map { TrendPoint(label: String($0.run), figures: [$0]) }
        func grouped(_ key: (RunFigures) -> String) -> [TrendPoint] {
            var groups: [String: [RunFigures]] = [:]
            for figures in all { groups[key(figures), default: []].append(figures) }
            return groups.keys.sorted().map { TrendPoint(label: $0, figures: groups[$0]!) }
        }
        return Trend(runs: runs, days: Array(grouped(\.day).suffix(trendRuns)), months: grouped { String($0.day.prefix(7)) })
    }
}
