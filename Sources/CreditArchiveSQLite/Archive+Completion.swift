import CreditArchive
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


extension Archive {
    /// Closes the connection: in WAL mode SQLite checkpoints and removes the log, so the file on
    /// disk is then the whole archive (what ``IntegrityStamp`` describes). The archive is not
    /// used after.
    public func close() throws(ArchiveError) {
        do {
            try queue.close()
        } catch {
            throw ArchiveError(path: path, doing: "closing the archive", error: error)
        }
    }
}
