import CreditArchive
import GRDB

/// How the archive journals a file's transaction.
///
/// The archive is opened in WAL mode: readers (`subject`, `trace`, `doctor`) see the last
/// committed file while a run writes the next. A backfill (`run --backfill`) trades that for
/// speed: SQLite's rollback journal keeps only the original of each page a file changes, where
/// the WAL appends every page written, read back through its index (on 1,000,000 records, 18.5 s
/// against 23 s, and no WAL as large as the file: docs/performance.md). Readers then wait while
/// a file is written. Durability per file holds in both: WAL with `synchronous = NORMAL` loses at
/// most the last committed file on power loss and is never corrupt; the rollback journal runs
/// with `synchronous = FULL`, so a committed file is on disk and a half-written one is rolled
/// back from the journal at the next open.
public enum ArchiveJournal: String, Sendable {
    case writeAheadLog = "wal"
    case rollback = "delete"
}

extension Archive {
    /// Switches the journal; returns the one in effect, which stays the WAL when another
    /// connection has the archive open (SQLite cannot leave WAL mode then). Call between files.
    @discardableResult
    public func use(_ journal: ArchiveJournal) throws(ArchiveError) -> ArchiveJournal {
        try access(doing: "changing the archive's journal") { db in
            let synchronous = journal == .rollback ? "FULL" : "NORMAL"
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = \(journal.rawValue)") ?? ""
            let current = ArchiveJournal(rawValue: mode.lowercased()) ?? .writeAheadLog
            try db.execute(sql: "PRAGMA synchronous = \(current == .rollback ? synchronous : "NORMAL")")
            return current
        }
    }
}
