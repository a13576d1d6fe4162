import CreditArchive
import CreditCatalog
import CreditCore
import Foundation

/// The archive on a PostgreSQL server, for platforms that outgrow one SQLite file: the same
/// tables, the same decisions per record (``PostgresArchiveFile``), and a file queue through
/// which several worker processes, on one machine or several, share a run's inbox.
///
/// A worker archives each file inside the transaction that claims it (``claimNextFile(run:worker:)``),
/// so a file, its ledger entry, its outcome and its `done` mark commit together, and a worker
/// that dies leaves nothing of its file and releases the claim with its connection.
///
/// Files of the same item are archived in the inbox's order, one at a time, and the subject
/// registry's files before any other: versions, corrections and 重码 depend on which file came
/// first, and this is what makes several workers give the archive a single process gives.
public final class PostgresArchive: @unchecked Sendable {
    let connection: PostgresConnection
    /// Where the archive is, without any password.
    public var location: String { connection.location }

    /// Set when a file could not be rolled back to its savepoint: the claim's transaction may
    /// hold part of the file, so ``finishClaim(run:file:worker:)`` rolls it all back and fails.
    var claimFailure: ArchiveError?

    /// Advisory lock held while the schema changes (`pg_advisory_lock`): "credit-s".
    static let schemaLock: Int64 = 0x6372_6564_6974_2D73

    /// Connects and brings the schema up to date. `name` is what `pg_stat_activity` shows for
    /// the connection (a worker's `credit-etl <host>:<pid>`), so an operator can tell workers apart.
    public init(_ conninfo: String, name: String = "credit-etl") throws(ArchiveError) {
        connection = try PostgresConnection(conninfo)
        try connection.execute("SET client_min_messages = warning")
        _ = try connection.query("SELECT set_config('application_name', $1, false)", [name])
        try migrate()
    }

    /// Runs `body` holding the schema's advisory lock.
    func locked<T>(_ body: () throws(ArchiveError) -> T) throws(ArchiveError) -> T {
        _ = try connection.query("SELECT pg_advisory_lock(\(Self.schemaLock))")
        do {
            let result = try body()
            _ = try connection.query("SELECT pg_advisory_unlock(\(Self.schemaLock))")
            return result
        } catch {
            _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.schemaLock))")
            throw error
        }
    }

    /// Cancels what the archive's connection is running, from any thread: what a signal does to a
    /// worker waiting on the server.
    public var canceller: PostgresCanceller { connection.canceller }

    /// Runs `body` in a transaction of its own, rolled back when it throws.
    func transaction<T>(_ body: () throws(ArchiveError) -> T) throws(ArchiveError) -> T {
        try connection.execute("BEGIN")
        do {
            let result = try body()
            try connection.execute("COMMIT")
            return result
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    // MARK: Runs shared by workers

    /// A file of a run's queue, as a worker claimed it.
    public struct QueuedFile: Sendable, Hashable {
        public var seq: Int
        /// The path relative to the inbox.
        public var path: String
        public var item: String?
        public var isRegistry: Bool

        public init(seq: Int, path: String, item: String?, isRegistry: Bool) {
            self.seq = seq
            self.path = path
            self.item = item
            self.isRegistry = isRegistry
        }
    }

    /// The run a worker joined or started.
    public struct JoinedRun: Sendable, Hashable {
        public var run: Int64
        /// Whether this worker started the run (with its queue).
        public var started: Bool
        /// Runs of the pipeline still `running` whose workers were all gone (killed, or their
        /// machine stopped): marked interrupted, and adopted by the run this worker started.
        public var abandoned: [Int64]
    }

    /// The advisory-lock space of runs' live workers (`pg_advisory_lock_shared(key, run)`): "cred".
    /// Every worker of a run holds the run's lock shared for as long as its connection lives, so
    /// a run nobody holds has lost all its workers, and a worker that can take the lock
    /// exclusively is the run's last one. The server releases a dead worker's lock with its
    /// connection: no heartbeat, no timeout.
    static let workersKey: Int32 = 0x6372_6564

    /// Takes run `run`'s workers lock exclusively if no other session holds it; returns whether it did.
    func tryHoldingAlone(_ run: Int64) throws(ArchiveError) -> Bool {
        try connection.query("SELECT pg_try_advisory_lock(\(Self.workersKey), $1::int)", ["\(run)"]).first?[0] == "t"
    }

    func releaseAlone(_ run: Int64) throws(ArchiveError) {
        _ = try connection.query("SELECT pg_advisory_unlock(\(Self.workersKey), $1::int)", ["\(run)"])
    }

    /// Joins the pipeline's open run if another worker is working on it, or starts one with
    /// `files` as its queue (in the order a single process takes them). An open run whose workers
    /// are all gone is marked interrupted and adopted by the new run, as a single process's next
    /// run adopts a dead run: its committed files are kept, and are duplicates in the new queue.
    public func joinRun(pipeline: String, files: [QueuedFile], at date: Date) throws(ArchiveError) -> JoinedRun {
        try transaction { () throws(ArchiveError) -> JoinedRun in
            // One worker at a time decides, per pipeline.
            _ = try connection.query("SELECT pg_advisory_xact_lock(hashtext('credit-etl run ' || $1))", [pipeline])
            let open = try connection.query("SELECT id FROM runs WHERE pipeline = $1 AND status = 'running' ORDER BY id DESC",
                                            [pipeline]).map { row throws(ArchiveError) in try id(row[0]) }
            var abandoned: [Int64] = []
            var joined: Int64?
            for run in open {
                if try tryHoldingAlone(run) {
                    try connection.execute("""
                        UPDATE runs SET status = 'interrupted', finished_at = $2, error = $3 WHERE id = $1
                        """, ["\(run)", Timestamp.string(date), RunCompletion.abandonedMessage])
                    try releaseAlone(run)
                    abandoned.append(run)
                    continue
                }
                guard joined == nil else { continue }
                // Waits while the run's last worker decides to end it (``stopRun(_:status:at:error:)``).
                _ = try connection.query("SELECT pg_advisory_lock_shared(\(Self.workersKey), $1::int)", ["\(run)"])
                if try connection.query("SELECT status FROM runs WHERE id = $1", ["\(run)"]).first?[0] == "running" {
                    joined = run
                } else {
                    _ = try connection.query("SELECT pg_advisory_unlock_shared(\(Self.workersKey), $1::int)", ["\(run)"])
                }
            }
            if let joined { return JoinedRun(run: joined, started: false, abandoned: abandoned.sorted()) }
            let run = try id(try connection.query("""
                INSERT INTO runs (pipeline, started_at, status) VALUES ($1, $2, 'running') RETURNING id
                """, [pipeline, Timestamp.string(date)]).first?[0])
            _ = try connection.query("SELECT pg_advisory_lock_shared(\(Self.workersKey), $1::int)", ["\(run)"])
            try connection.copy(into: "run_queue", columns: ["run_id", "seq", "path", "item", "registry"],
                                rows: files.map { ["\(run)", "\($0.seq)", $0.path, $0.item, $0.isRegistry ? "t" : "f"] })
            try connection.execute(RunCompletion.adoptionSQL("$1", also: " AND pipeline = $2"), ["\(run)", pipeline])
            return JoinedRun(run: run, started: true, abandoned: abandoned.sorted())
        }
    }

    /// Ends the run as `status` (interrupted or failed) when this worker is its last: no other
    /// worker holds it, so nobody else will finish it. Returns whether it did; when it did not,
    /// the run goes on with its other workers, who finish it and write its report.
    ///
    /// The check and the mark hold the run's workers lock exclusively, so a worker joining at
    /// that moment waits, then sees the run ended and starts the next one.
    public func stopRun(_ run: Int64, status: RunStatus, at date: Date, error: String) throws(ArchiveError) -> Bool {
        // A stopping worker waits on no lock for long: it has seconds before it is killed.
        try connection.execute("SET lock_timeout = '2s'")
        guard try tryHoldingAlone(run) else { return false }
        do {
            let ended = try connection.query("""
                UPDATE runs SET status = $2, finished_at = $3, error = $4 WHERE id = $1 AND status = 'running' RETURNING id
                """, ["\(run)", status.rawValue, Timestamp.string(date), error])
            try releaseAlone(run)
            return !ended.isEmpty
        } catch {
            try? releaseAlone(run)
            throw error
        }
    }

    /// What a worker is to do next.
    public enum Claim: Sendable, Hashable {
        /// This file is the worker's, inside an open transaction: archive it, then
        /// ``finishClaim(run:file:worker:)`` or ``releaseClaim()``.
        case file(QueuedFile)
        /// Files remain, but each waits for an earlier file of its item that another worker holds.
        case wait
        /// Nothing is left to claim.
        case empty
    }

    /// Claims the run's next file that no earlier unfinished file of the same item (or of the
    /// registry) holds back, skipping files other workers hold; opens the file's transaction.
    public func claimNextFile(run: Int64) throws(ArchiveError) -> Claim {
        try connection.execute("BEGIN")
        do {
            let rows = try connection.query("""
                SELECT q.seq, q.path, q.item, q.registry FROM run_queue q
                WHERE q.run_id = $1 AND q.state = 'pending'
                  AND NOT EXISTS (
                      SELECT 1 FROM run_queue e
                      WHERE e.run_id = q.run_id AND e.seq < q.seq AND e.state = 'pending'
                        AND (e.item = q.item OR e.registry OR q.registry))
                ORDER BY q.seq
                LIMIT 1
                FOR UPDATE OF q SKIP LOCKED
                """, ["\(run)"])
            if let row = rows.first, let seq = row[0].flatMap({ Int($0) }), let path = row[1] {
                return .file(QueuedFile(seq: seq, path: path, item: row[2], isRegistry: row[3] == "t"))
            }
            try connection.execute("ROLLBACK")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
        let pending = try connection.query("SELECT EXISTS (SELECT 1 FROM run_queue WHERE run_id = $1 AND state = 'pending')",
                                           ["\(run)"])
        return pending.first?[0] == "t" ? .wait : .empty
    }

    /// Marks the claimed file done and commits it with everything the worker did to it (its
    /// records, ledger entry and outcome, ``note(_:run:)``).
    public func finishClaim(run: Int64, file: QueuedFile, worker: String) throws(ArchiveError) {
        if let failure = claimFailure {
            claimFailure = nil
            releaseClaim()
            throw failure
        }
        do {
            try connection.execute("UPDATE run_queue SET state = 'done', worker = $3 WHERE run_id = $1 AND seq = $2",
                                   ["\(run)", "\(file.seq)", worker])
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Gives the claimed file back, with everything done to it (a signal stopped the worker).
    public func releaseClaim() {
        claimFailure = nil
        // A failed ROLLBACK means the connection is gone, and the server rolls back without it.
        try? connection.execute("ROLLBACK")
    }

    /// Marks the run finished if no file of it is left, and returns its status then; nil when
    /// files remain (other workers hold them) or another worker finished the run first. Exactly one
    /// worker gets the status: the one that writes the report. The run's 重错码 flags and figures
    /// are recorded in the same transaction (``Archive/completeRun(_:status:at:day:)``): the
    /// run is complete when this commits, and its report only reads.
    public func finishRunIfDone(_ run: Int64, at date: Date, day: String) throws(ArchiveError) -> RunStatus? {
        try transaction { () throws(ArchiveError) -> RunStatus? in
            let rows = try connection.query("""
                UPDATE runs SET finished_at = $2,
                    status = CASE WHEN EXISTS (SELECT 1 FROM run_files WHERE run_id = $1 AND outcome IN ('failed', 'refused'))
                                  THEN 'completed_with_failures' ELSE 'completed' END
                WHERE id = $1 AND status = 'running'
                  AND NOT EXISTS (SELECT 1 FROM run_queue WHERE run_id = $1 AND state = 'pending')
                RETURNING status
                """, ["\(run)", Timestamp.string(date)])
            guard let status = rows.first?[0].flatMap({ RunStatus(rawValue: $0) }) else { return nil }
            let scope = ReportScope.run(run)
            try connection.execute(RunCompletion.flagsSQL(scope, duplicates: try prepareDuplicateCodes(scope),
                                                          insert: "INSERT INTO", conflict: "\nON CONFLICT DO NOTHING"))
            let totals = try connection.query(RunCompletion.totalsSQL(scope, run: run)).first
            let figures = RunCompletion.figures(run: run, day: day, totals: try (0..<6).map { column throws(ArchiveError) in try int(totals?[column]) })
            try connection.execute("""
                INSERT INTO run_figures (run_id, day, records, compliant, timely, late, distinct_codes, dup_error_codes)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (run_id) DO UPDATE SET day = excluded.day, records = excluded.records,
                    compliant = excluded.compliant, timely = excluded.timely, late = excluded.late,
                    distinct_codes = excluded.distinct_codes, dup_error_codes = excluded.dup_error_codes
                """, ["\(figures.run)", figures.day, "\(figures.records)", "\(figures.compliant)", "\(figures.timely)",
                      "\(figures.late)", "\(figures.distinctCodes)", "\(figures.dupErrorCodes)"])
            return status
        }
    }

    public func finishRun(_ run: Int64, status: RunStatus, at date: Date, error: String? = nil) throws(ArchiveError) {
        try connection.execute("UPDATE runs SET finished_at = $2, status = $3, error = $4 WHERE id = $1",
                               ["\(run)", Timestamp.string(date), status.rawValue, error])
    }

    /// Notes what the run did with a file it saw, in the claim's transaction.
    public func note(_ outcome: FileOutcome, run: Int64) throws(ArchiveError) {
        try connection.execute("""
            INSERT INTO run_files (run_id, path, sha256, outcome, file_id, feed, line, message)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, ["\(run)", outcome.path, outcome.sha256, outcome.kind.rawValue, outcome.fileID.map(String.init),
                  outcome.feed, outcome.line.map(String.init), outcome.message])
    }

    // MARK: Ledger and files

    /// The ledger entry of a file with this content, if one was archived before.
    public func ledgerEntry(sha256: String, department: String) throws(ArchiveError) -> LedgerEntry? {
        guard let row = try connection.query("""
            SELECT id, run_id, path, ingested_at FROM files WHERE sha256 = $1 AND department = $2
            """, [sha256, department]).first else { return nil }
        // A row that does not read is an error: taken as "not in the ledger", the file would be archived twice.
        return LedgerEntry(fileID: try id(row[0]), run: try id(row[1]), path: row[2] ?? "", ingestedAt: row[3] ?? "")
    }

    public func mayLoadPrints(feed: String, fileSize: Int64) throws(ArchiveError) -> Bool {
        PrintSource.mayLoad(fileSize: fileSize, tableBytes: try tableBytes(feed: feed))
    }

    /// The feed's table in bytes (``PrintSource/tableBytesSQL(feed:)``).
    func tableBytes(feed: String) throws(ArchiveError) -> Double {
        let text = try connection.query(PrintSource.tableBytesSQL(feed: "$1"), [feed]).first?[0] ?? nil
        guard let text, let value = Double(text) else {
            throw ArchiveError(.statement, path: location, message: "the size of a feed's files did not read as a number")
        }
        return value
    }

    /// Enters the claimed file in the ledger, behind a savepoint: a file that turns out malformed
    /// is rolled back to it, and its `failed` outcome still commits with the claim.
    public func beginFile(_ draft: FileDraft, run: Int64, item: CatalogItem) throws(ArchiveError) -> PostgresArchiveFile {
        try connection.execute("SAVEPOINT file")
        do throws(ArchiveError) {
            guard let id = try connection.query("""
                INSERT INTO files (sha256, size, path, feed, department, item, format, header, run_id, ingested_at,
                                   submitted, encoding)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                RETURNING id
                """, [draft.sha256, "\(draft.size)", draft.path, draft.feed, draft.department, draft.item, draft.format,
                      draft.headerJSON, "\(run)", Timestamp.string(Date()), draft.submitted, draft.encoding])
                .first?[0].flatMap({ Int64($0) }) else {
                throw ArchiveError(.statement, path: location, message: "entering the file in the ledger returned no id")
            }
            return try PostgresArchiveFile(archive: self, fileID: id, item: item, feed: draft.feed)
        } catch {
            try? connection.execute("ROLLBACK TO SAVEPOINT file")
            throw error
        }
    }
}
