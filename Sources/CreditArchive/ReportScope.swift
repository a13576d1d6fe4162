/// What a report covers: one run (with the runs whose process died before they could report,
/// which it reports for them), or every run of a period (`credit-etl report --period 2026-11`).
/// The archive's report queries take a scope, so a period report is the same report over more files.
public struct ReportScope: Sendable, Hashable {
    /// SQL: the ids of the runs covered.
    package let runs: String
    /// The last run covered: 重码 counts what the archive held up to it.
    public let upto: Int64
    /// The first run covered: 纠正率 counts the codes flagged by reports of runs before it.
    public let since: Int64
    /// Suffix of the temporary tables the report's queries share.
    package let tag: String

    /// SQL: the ids of the files covered.
    package var files: String { "SELECT id FROM files WHERE run_id IN (\(runs))" }

    /// One run's report.
    public static func run(_ id: Int64) -> ReportScope {
        ReportScope(runs: "SELECT id FROM runs WHERE id = \(id) OR reported_in = \(id)", upto: id, since: id,
                    tag: "\(id)")
    }

    /// Every run from `first` to `last`.
    public static func runs(_ first: Int64, through last: Int64) -> ReportScope {
        ReportScope(runs: "SELECT id FROM runs WHERE id BETWEEN \(first) AND \(last)", upto: last, since: first,
                    tag: "\(first)_\(last)")
    }
}
