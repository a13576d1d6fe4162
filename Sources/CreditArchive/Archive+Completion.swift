import CreditCore
import Foundation
import GRDB

extension Archive {
    /// Marks a run finished and records, in the same transaction, what later runs need from it:
    /// its 重错码 flags per department × item (`report_flags`, 纠正率's "flagged earlier") and its
    /// headline figures (`run_figures`, the trends).
    ///
    /// A run is complete when this commits, and rendering its report only reads: a process killed
    /// before the commit leaves the run `running` for the next run to adopt (``markAbandonedRuns``),
    /// one killed after it leaves a complete archive whose report can be rendered again.
    public func completeRun(_ run: Int64, status: RunStatus, at date: Date, day: String) throws(ArchiveError) {
        try write { db in try Self.sorting(db) {
            let scope = ReportScope.run(run)
            try db.execute(sql: RunCompletion.flagsSQL(scope, duplicates: try prepareDuplicateCodes(db, scope),
                                                       insert: "INSERT OR IGNORE INTO", conflict: "")
            )
            let totals = try Row.fetchOne(db, sql: RunCompletion.totalsSQL(scope, run: run))
            let figures = RunCompletion.figures(run: run, day: day, totals: (0..<6).map { totals?[$0] ?? 0 })
            try db.execute(sql: """
                INSERT OR REPLACE INTO run_figures (run_id, day, records, compliant, timely, late, distinct_codes,
                                                   dup_error_codes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [figures.run, figures.day, figures.records, figures.compliant, figures.timely,
                                 figures.late, figures.distinctCodes, figures.dupErrorCodes])
            try db.execute(sql: "UPDATE runs SET finished_at = ?, status = ?, error = NULL WHERE id = ?",
                           arguments: [Timestamp.string(date), status.rawValue, run])
        } }
    }
}

extension Archive {
    public func lastSubmissions(upto run: Int64) throws(ArchiveError) -> [String: String] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: RunCompletion.lastSubmissionsSQL("?1"),
                                                              arguments: [run]).map { ($0[0] as String, $0[1] as String) })
        }
    }
}

/// What completing a run records, in the SQL both backends share: the statements differ only in
/// how each dialect says "insert unless present".
enum RunCompletion {
    /// The scope's 重错码 codes per department × item (错码, or in the 重码 set `duplicates`), as
    /// flags of the run `?1` / `$1`.
    static func flagsSQL(_ scope: ReportScope, duplicates: String, insert: String, conflict: String) -> String {
        """
        \(insert) report_flags (department, item, code, run_id)
        SELECT f.department, f.item, s.code, \(scope.upto) FROM subject_codes s JOIN files f ON f.id = s.file_id
        WHERE f.id IN (\(scope.files))
          AND (s.valid = 0 OR EXISTS (SELECT 1 FROM \(duplicates) d WHERE d.code = s.code))
        GROUP BY f.department, f.item, s.code\(conflict)
        """
    }

    /// Records, compliant, timely and late over the scope's files; its distinct codes (one pass
    /// over subject_codes' covering index, in code order: no sort); its 重错码, which are the codes
    /// the run has just flagged (``flagsSQL(_:duplicates:insert:conflict:)``), so the report's
    /// per-code figures are not computed twice.
    static func totalsSQL(_ scope: ReportScope, run: Int64) -> String {
        """
        SELECT COALESCE(SUM(records), 0), COALESCE(SUM(compliant), 0), COALESCE(SUM(timely), 0), COALESCE(SUM(late), 0),
               (SELECT COUNT(DISTINCT code) FROM subject_codes WHERE file_id IN (\(scope.files))),
               (SELECT COUNT(DISTINCT code) FROM report_flags WHERE run_id = \(run))
        FROM files WHERE id IN (\(scope.files))
        """
    }

    /// Each feed's last submission up to the run named by `parameter`: the day the platform
    /// received it, which is the day of the run that archived the file or received its content
    /// again (a department re-sending its whole table unchanged has still sent it). A file whose
    /// run never completed counts from its own submission date.
    static func lastSubmissionsSQL(_ parameter: String) -> String {
        """
        SELECT feed, MAX(day) FROM (
            SELECT f.feed, COALESCE(g.day, f.submitted) AS day FROM files f
            LEFT JOIN run_figures g ON g.run_id = f.run_id
            WHERE f.run_id <= \(parameter)
            UNION ALL
            SELECT r.feed, g.day FROM run_files r JOIN run_figures g ON g.run_id = r.run_id
            WHERE r.run_id <= \(parameter) AND r.outcome = 'duplicate' AND r.feed IS NOT NULL
        ) AS submissions WHERE day IS NOT NULL GROUP BY feed
        """
    }

    static func figures(run: Int64, day: String, totals: [Int]) -> RunFigures {
        RunFigures(run: run, day: day, records: totals[0], compliant: totals[1], timely: totals[2], late: totals[3],
                   distinctCodes: totals[4], dupErrorCodes: totals[5])
    }
}

extension Archive {
    /// Refuses a damaged archive before a run writes to it: `PRAGMA quick_check` (every page and
    /// index entry's shape, not the cross-check of every index against its table that
    /// `integrity_check` adds, which `credit-etl doctor` runs). A run into a damaged B-tree would
    /// add records to it and report figures over it; restoring a backup is the only repair.
    ///
    /// Reads the whole file once: about 1 s per GB with the file in the page cache, 5 s per GB from
    /// disk, on this project's benchmark machine (docs/performance.md).
    public func verifyIntegrity() throws(ArchiveError) {
        let problems: [String]
        do {
            problems = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
        } catch {
            let failure = ArchiveError(path: path, doing: "checking the archive", error: error)
            guard failure.code == .corrupt else { throw failure }
            throw ArchiveError(.corrupt, path: path, message: "the archive is damaged (its check stopped on a page "
                + "it cannot read); nothing was written: restore it from a backup (credit-etl doctor shows the details)",
                cause: failure.cause)
        }
        guard problems == ["ok"] else {
            throw ArchiveError(.corrupt, path: path, message: "the archive is damaged (\(problems.joined(separator: "; "))); "
                + "nothing was written: restore it from a backup (credit-etl doctor shows the details)")
        }
    }
}

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
                    SELECT id, status, started_at FROM runs WHERE status = 'running' OR (\(Archive.unreportedRuns))
                    ORDER BY id DESC LIMIT 5
                    """).map { "run \($0[0] as Int64) \($0[1] as String) (started \($0[2] as String))" }
            }
        } catch {
            throw ArchiveError(path: path, doing: "inspecting the archive", error: error)
        }
    }
}
