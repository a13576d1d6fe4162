import CreditArchive
import CreditCore
import CreditReports
import Logging

/// Where a run's files come from, and how the run begins and ends on its archive: what differs
/// between one process on SQLite (``InboxClaims``: the inbox in order, backfill groups) and
/// workers sharing a run on PostgreSQL (``QueueClaims``: `SKIP LOCKED` claims on the run's queue).
///
/// The run driver (``PipelineRunner/run()``) owns everything else: the settle watch, reading
/// ahead, archiving a file, the signal, failure and report semantics. So a worker stopped by
/// SIGTERM leaves its run exactly as a single process does.
protocol FileClaims: AnyObject {
    associatedtype Store: FileArchiving & ReportArchive

    var archive: Store { get }
    var run: Int64 { get }
    /// The run's logger, with the run (and worker) in its metadata.
    var logger: Logger { get }
    /// The worker's name (`host:pid`) when several processes may share the run.
    var worker: String? { get }
    /// Where the archive is, for the summary (no password).
    var location: String { get }
    /// The inbox as this process listed it, in the order a run takes it.
    var listed: [Inbox.Entry] { get }
    /// The bytes and files the progress meter expects this process to read (0 when unknown).
    var planned: (bytes: Int64, files: Int) { get }

    /// The next file to archive, or nil when none is left for this process.
    func next(stop: () -> Bool) throws(PipelineError) -> FileClaim?
    /// Claims worth reading ahead while `claim` is archived, `claim` first when it is one: at most `limit`.
    func upcoming(from claim: FileClaim, limit: Int, where worth: (Inbox.Entry) -> Bool) -> [FileClaim]
    /// The claimed file was archived or its outcome noted (`summary`), or a signal stopped it
    /// (nil, rolled back): keeps it. Returns how many of this process's earlier files were taken
    /// back with it (a backfill group rolled back), whose summaries the driver forgets.
    func settle(_ claim: FileClaim, summary: RunSummary.FileSummary?) throws(PipelineError) -> Int
    /// No file is left, or a signal stopped the run: commits what is pending.
    func keepArchived() throws(PipelineError)
    /// Completes the run when this process is the one to (`status` is what this process saw;
    /// the archive may know better). Returns the run's status, or nil when other workers go on.
    func complete(status: RunStatus, day: String) throws(PipelineError) -> RunStatus?
    /// A signal stopped this process: ends the run as interrupted when no other process works on
    /// it. Returns whether it did.
    func stopBySignal() throws(PipelineError) -> Bool
    /// A failure stopped this process: keeps what can be kept and marks the run failed when no
    /// other process works on it. Never throws: the failure is what the caller reports.
    func fail(_ error: PipelineError)
    /// Gives back what the run borrowed (the journal mode a backfill set).
    func close()
}

/// A file this process is to archive.
struct FileClaim {
    var entry: Inbox.Entry
    /// Its number among the files read, for progress.
    var number: Int
    /// Archived again after its backfill group was rolled back: not read ahead.
    var redone = false
    /// Where it is in the claim source (its index in the inbox's order, or its queue position).
    var position: Int
}
