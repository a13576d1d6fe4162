import CreditArchive
import GRDB

/// What `credit-etl doctor` reads of an SQLite archive, opened read-only so that a check never
/// changes it (no migration, no journal mode): its `integrity_check` and its unfinished runs.
public struct ArchiveInspection: Sendable {
    /// `["ok"]`, or up to five problems as SQLite words them.
    public var integrity: [String]
    /// Up to five runs no report covers yet (still `running`, or ended without completing and not
    /// yet adopted by a later run), newest first (`run 12 interrupted (started …)`).
    public var unfinishedRuns: [String]

    public init(path: String) throws(ArchiveError) {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            integrity = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check(5)") }
            unfinishedRuns = try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, status, started_at FROM runs WHERE status = 'running' OR (\(RunCompletion.unreportedRuns))
                    ORDER BY id DESC LIMIT 5
                    """).map { "run \($0[0] as Int64) \($0[1] as String) (started \($0[2] as String))" }
            }
        } catch {
            throw ArchiveError(path: path, doing: "inspecting the archive", error: error)
        }
    }
}
