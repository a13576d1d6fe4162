import CreditArchive
import CreditCatalog
import CreditCore
import Foundation
import GRDB
import GRDBSQLite

/// The embedded SQLite archive.
///
/// Opening it creates or migrates the schema. Each file is archived in one transaction
/// (``beginFile(_:run:item:)`` … ``ArchiveFile/commit()``), so a file that fails half-way leaves
/// nothing behind; and because what validation remembers lives in the same transaction, a run
/// killed between files and resumed gives the same archive as one clean run.
public final class Archive: @unchecked Sendable {
    public let path: String
    let queue: DatabaseQueue
    /// The connection's raw handle, for the per-record statements of a file being archived.
    let connection: OpaquePointer
    /// Whether files are committed together (see ``beginGroup()``): a file then runs inside the
    /// group's transaction, and a failing one rolls the whole group back.
    public private(set) var isGroupOpen = false

    public init(path: String) throws(ArchiveError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw ArchiveError(.open, path: path, message: "cannot create the archive's folder; check its "
                    + "permissions and the disk", cause: "\(error)")
            }
        }
        SQLiteSettings.apply()
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A file's transaction spans many calls (begin, one append per batch, commit).
        configuration.allowsUnsafeTransactions = true
        // With the rollback journal (a backfill), a reader's moment on the archive makes a commit
        // wait rather than fail; readers wait for a file being written, up to the same bound.
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // WAL lets reviewers read reports while a run writes. A 96 MiB page cache keeps more of
            // the B-trees that every record touches at random (record_keys, subject_names, the
            // subject indexes) in memory: at 1M records 25 s against 29 s with 64 MiB, and a peak
            // RSS of 233 MB, under the 256 MB a backfill may take (128 MiB: 24 s but 269 MB).
            // With SQLite's 2 MiB default a large file's transaction spilled and re-read pages
            // for each record (docs/performance.md).
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -\(Archive.cacheKiB)")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
            guard let handle = queue.inDatabase({ $0.sqliteConnection }) else {
                throw ArchiveError(.open, path: path, message: "the archive's connection is closed")
            }
            connection = handle
        } catch {
            var failure = ArchiveError(path: path, doing: "opening the archive", error: error)
            if failure.code == .statement { failure.code = .open }
            throw failure
        }
    }

    /// The page cache, in KiB (see `init`).
    static let cacheKiB = 98304
    /// The page cache while SQLite sorts a large set (subject pairs, the report's GROUP BYs).
    static let sortingCacheKiB = 8192

    /// Runs `body` with a small page cache. SQLite's sorter may take as much memory as the page
    /// cache, so a large sort with the full cache would hold about twice it at its peak. Left
    /// small when `body` throws: the file or the report is failing then, and speed no longer matters.
    static func sorting<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA cache_size = -\(sortingCacheKiB)")
        let result = try body()
        try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
        return result
    }

    /// Runs `body`, which builds indexes over whole tables, as ``sorting(_:_:)`` with SQLite's
    /// sorter on two threads: nothing else runs while a load's indexes are built, and the second
    /// thread merges sorted runs while the first reads the table (building the code index of a
    /// 10,000,000-record table: 6.6–6.8 s against 7.8–8.0 s; with the 96 MiB cache, 12.7 s).
    static func indexing<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA threads = 2")
        let result = try sorting(db, body)
        try db.execute(sql: "PRAGMA threads = 0")
        return result
    }

    func write<T>(_ body: (Database) throws -> T) throws(ArchiveError) -> T {
        do {
            return try queue.write(body)
        } catch {
            throw ArchiveError(path: path, doing: "writing to the archive", error: error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(ArchiveError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw ArchiveError(path: path, doing: "reading the archive", error: error)
        }
    }

    /// Runs `body` on the connection without opening a transaction of its own (a file's
    /// transaction may be open).
    func access<T>(doing: String, _ body: (Database) throws -> T) throws(ArchiveError) -> T {
        do {
            return try queue.inDatabase(body)
        } catch {
            throw ArchiveError(path: path, doing: doing, error: error)
        }
    }

    /// Rolls back the open file, if any, with its transaction: within a group, the whole group
    /// (``isGroupOpen`` then turns false, and the caller archives the group's earlier files
    /// again). A failed rollback leaves SQLite to roll back at the next open, from the WAL or the
    /// rollback journal: nothing of the file is kept either way.
    func rollbackOpenTransaction() {
        queue.inDatabase { db in
            if db.isInsideTransaction { try? db.rollback() }
        }
        isGroupOpen = false
        stagedSubjects = 0
    }

    /// Ends the current file's transaction, keeping it; within a group, the group's commit does.
    func commitFile(_ db: Database) throws {
        if !isGroupOpen { try db.commit() }
    }

    // MARK: Groups of files

    /// Starts committing files together, in one transaction, until ``commitGroup()``. A backfill
    /// of many files does so: each file's transaction would otherwise write every page of the
    /// archive's random-access indexes it touched (keys, subjects), again for every file, and
    /// 100 files of 10,000 records took 2.5 times as long as the same records in one file.
    ///
    /// Files are not savepoints of the group: SQLite copies every page a savepoint changes that
    /// an earlier file of the group had changed to its sub-journal, which cost a backfill of ten
    /// files a quarter of its time. So a file that fails rolls the whole group back (the runner
    /// then archives the group's earlier files again), and a process that dies or is stopped
    /// loses the group's files, which the next run archives again (the ledger has none of them).
    public func beginGroup() throws(ArchiveError) {
        guard !isGroupOpen else { return }
        try access(doing: "starting a group of files") { db in
            try db.beginTransaction(.immediate)
        }
        isGroupOpen = true
    }

    /// Commits the group's files at once; nothing when no group is open.
    public func commitGroup() throws(ArchiveError) {
        guard isGroupOpen else { return }
        try access(doing: "committing a group of files") { db in
            do {
                try flushStagedSubjects(db)
                try db.commit()
            } catch {
                if db.isInsideTransaction { try? db.rollback() }
                isGroupOpen = false
                stagedSubjects = 0
                throw error
            }
        }
        isGroupOpen = false
    }

    /// Forgets the group's files (after a failure that leaves their commit in doubt).
    public func rollbackGroup() {
        guard isGroupOpen else { return }
        rollbackOpenTransaction()
    }

    // MARK: Subject pairs

    /// Subject pairs waiting in `temp.staged_subjects` for subject_codes, in the open
    /// transaction (a file's, or a group's). The temporary table is part of the transaction:
    /// a rollback takes its rows back with everything else.
    var stagedSubjects = 0

    /// Staged subject pairs moved to subject_codes at once (at most).
    static let subjectFlushSize = 1 << 19

    /// At most this many staged pairs go in one statement each (a night's file).
    static let rowByRowFlush = 65_536

    /// Moves the staged subject pairs to subject_codes, sorted by code, with the small cache of
    /// ``sorting(_:_:)``; done every ``subjectFlushSize`` pairs, so the sort stays bounded
    /// whatever the file's size, and when a file (outside a group) or a group commits.
    ///
    /// A night's few pairs go one statement each: one `INSERT … SELECT` of many rows keeps a
    /// statement journal (the original of every page it changes, in a temporary file, in case it
    /// must be undone alone), and a night's pairs land at random places in large indexes, so that
    /// journal was a third of what a 10,000-record night wrote against a 10M-record archive
    /// (135 MB; docs/performance.md). A large flush (a backfill) stays one sorted statement.
    func flushStagedSubjects(_ db: Database) throws {
        guard stagedSubjects > 0 else { return }
        if stagedSubjects <= Self.rowByRowFlush {
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO subject_codes (file_id, code, name_key, name, valid, personal) VALUES (?, ?, ?, ?, ?, ?)
                """)
            let rows = try Row.fetchCursor(db, sql: """
                SELECT file_id, code, name_key, name, valid, personal FROM temp.staged_subjects
                ORDER BY code, name_key, file_id
                """)
            while let row = try rows.next() {
                try insert.execute(arguments: StatementArguments((0..<6).map { row[$0] as DatabaseValue }))
            }
            try db.execute(sql: "DELETE FROM temp.staged_subjects")
            stagedSubjects = 0
            return
        }
        try Archive.sorting(db) {
            try db.execute(sql: """
                INSERT OR IGNORE INTO subject_codes (file_id, code, name_key, name, valid, personal)
                SELECT file_id, code, name_key, name, valid, personal FROM temp.staged_subjects
                ORDER BY code, name_key, file_id;
                DELETE FROM temp.staged_subjects;
                """)
        }
        stagedSubjects = 0
    }

    /// A write of its own, or part of the open group.
    func writeInGroup<T>(doing: String, _ body: (Database) throws -> T) throws(ArchiveError) -> T {
        isGroupOpen ? try access(doing: doing, body) : try write(body)
    }

    // MARK: Runs

    /// Starts a run and returns its id.
    public func startRun(pipeline: String, at date: Date) throws(ArchiveError) -> Int64 {
        try write { db in
            try db.execute(sql: "INSERT INTO runs (pipeline, started_at, status) VALUES (?, ?, 'running')",
                           arguments: [pipeline, Timestamp.string(date)])
            return db.lastInsertedRowID
        }
    }

    public func finishRun(_ run: Int64, status: RunStatus, at date: Date, error: String? = nil) throws(ArchiveError) {
        try write { db in
            try db.execute(sql: "UPDATE runs SET finished_at = ?, status = ?, error = ? WHERE id = ?",
                           arguments: [Timestamp.string(date), status.rawValue, error, run])
        }
    }

    /// Marks every run still `running`, other than `run`, as interrupted: called while holding the
    /// run lock, so their processes are gone. Returns their ids.
    ///
    /// `run` also adopts every earlier run that never completed (died, stopped by a signal, or
    /// failed) and was not adopted yet: their committed files stay, and `run`'s report and
    /// completion cover them, so the archive and figures are those of one clean run.
    public func markAbandonedRuns(except run: Int64, at date: Date) throws(ArchiveError) -> [Int64] {
        try write { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM runs WHERE status = 'running' AND id <> ?",
                                         arguments: [run])
            try db.execute(sql: """
                UPDATE runs SET status = 'interrupted', finished_at = ?1, error = ?3 WHERE status = 'running' AND id <> ?2
                """, arguments: [Timestamp.string(date), run, RunCompletion.abandonedMessage])
            try db.execute(sql: RunCompletion.adoptionSQL("?1"), arguments: [run])
            return ids
        }
    }

    /// Notes what the run did with a file it saw.
    public func note(_ outcome: FileOutcome, run: Int64) throws(ArchiveError) {
        try writeInGroup(doing: "noting the file's outcome") { db in
            try db.execute(sql: """
                INSERT INTO run_files (run_id, path, sha256, outcome, file_id, feed, line, message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run, outcome.path, outcome.sha256, outcome.kind.rawValue, outcome.fileID,
                                 outcome.feed, outcome.line, outcome.message])
        }
    }

    // MARK: Ledger

    /// The ledger entry of `department`'s file with this content, if one was archived before.
    public func ledgerEntry(sha256: String, department: String) throws(ArchiveError) -> LedgerEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, run_id, path, ingested_at FROM files WHERE sha256 = ? AND department = ?",
                             arguments: [sha256, department]).map { row in
                LedgerEntry(fileID: row[0], run: row[1], path: row[2], ingestedAt: row[3])
            }
        }
    }

    public func mayLoadPrints(feed: String, fileSize: Int64) throws(ArchiveError) -> Bool {
        PrintSource.mayLoad(fileSize: fileSize, tableBytes: try tableBytes(feed: feed))
    }

    /// The feed's table in bytes (``PrintSource/tableBytesSQL(feed:)``), inside a file's
    /// transaction or outside one.
    func tableBytes(feed: String) throws(ArchiveError) -> Double {
        try access(doing: "sizing the feed's table") { db in
            try Double.fetchOne(db, sql: PrintSource.tableBytesSQL(feed: "?1"), arguments: [feed]) ?? 0
        }
    }

    /// Opens one file's transaction and enters it in the ledger. Append its checked batches to
    /// the returned sink, then commit; anything else rolls the file back.
    public func beginFile(_ draft: FileDraft, run: Int64, item: CatalogItem) throws(ArchiveError) -> ArchiveFile {
        let grouped = isGroupOpen
        let fileID: Int64
        do {
            fileID = try access(doing: "starting the file") { db in
                if !grouped { try db.beginTransaction(.immediate) }
                try db.execute(sql: """
                    INSERT INTO files (sha256, size, path, feed, department, item, format, header, run_id, ingested_at,
                                       submitted, encoding)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [draft.sha256, draft.size, draft.path, draft.feed, draft.department, draft.item,
                                     draft.format, draft.headerJSON, run, Timestamp.string(Date()), draft.submitted,
                                     draft.encoding])
                return db.lastInsertedRowID
            }
        } catch {
            // The insert's error is the one to report; a failed rollback is SQLite's to finish.
            rollbackOpenTransaction()
            throw error
        }
        do {
            return try ArchiveFile(archive: self, connection: connection, fileID: fileID, item: item, feed: draft.feed)
        } catch {
            rollbackOpenTransaction()
            throw error
        }
    }
}


