import CreditArchive
import CreditArchivePostgres
import CreditCatalog
import CreditCore
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The files of a run on the PostgreSQL archive, shared by any number of worker processes on
/// machines that see the same inbox: each joins the pipeline's open run (or starts one with the
/// inbox as its queue) and claims files with `SKIP LOCKED` until none is left. Each file is
/// archived inside the transaction that claims it (``PostgresArchive/claimNextFile(run:)``),
/// so a worker killed mid-file leaves nothing of it and the file goes to whichever worker asks next.
///
/// A single process on a PostgreSQL archive is one worker of its run.
final class QueueClaims: FileClaims {
    let archive: PostgresArchive
    let run: Int64
    let logger: Logger
    let worker: String?
    var location: String { archive.location }
    let listed: [Inbox.Entry]
    var planned: (bytes: Int64, files: Int) { (0, 0) }
    private let byPath: [String: Inbox.Entry]
    private let inbox: String
    /// The file this worker holds, in its open transaction.
    private var held: PostgresArchive.QueuedFile?
    private var claimed = 0

    init(_ runner: PipelineRunner, url: String, catalog: Catalog) throws(PipelineError) {
        let configuration = runner.configuration
        let name = Self.workerName()
        worker = name
        var logger = runner.logger
        logger[metadataKey: "credit.worker"] = "\(name)"
        listed = try runner.orderedEntries(catalog)
        inbox = configuration.inbox
        byPath = Dictionary(listed.map { ($0.relativePath, $0) }, uniquingKeysWith: { first, _ in first })
        let queue = listed.enumerated().map { index, entry in
            PostgresArchive.QueuedFile(seq: index + 1, path: entry.relativePath, item: entry.feed?.item,
                                       isRegistry: runner.isRegistry(entry, catalog))
        }
        let joined: PostgresArchive.JoinedRun
        do {
            archive = try PostgresArchive(url, name: "credit-etl \(name)")
            // A signal cancels the statement the server is running for this worker (a long report
            // query, a wait on a lock), from now on: the worker then rolls back and stops as
            // between two batches (or, before it joined a run, stops with nothing begun).
            runner.interruption?.onSignal { [canceller = archive.canceller, logger] in
                if !canceller.cancel() {
                    logger.warning("cannot ask the server to cancel the running statement; the worker stops when it ends")
                }
            }
            try archive.prepare(items: Array(catalog.items.values))
            joined = try archive.joinRun(pipeline: configuration.name, files: queue, at: Date())
        } catch {
            throw .archive(error)
        }
        run = joined.run
        logger[metadataKey: "credit.run"] = "\(run)"
        self.logger = logger
        logger.info(joined.started ? "run started; other workers may join it" : "joined the open run",
                    metadata: ["credit.pipeline": "\(configuration.file)", "credit.archive": "\(archive.location)"])
        if !joined.abandoned.isEmpty {
            logger.warning("earlier runs ended without finishing; marked interrupted", metadata: [
                "credit.runs": "\(joined.abandoned.map(String.init).joined(separator: ","))"])
        }
        if runner.backfill {
            logger.notice("--backfill sets SQLite's journal and groups; on PostgreSQL each file commits with its claim")
        }
    }

    func next(stop: () -> Bool) throws(PipelineError) -> FileClaim? {
        while !stop() {
            let claim: PostgresArchive.Claim
            do {
                claim = try archive.claimNextFile(run: run)
            } catch {
                throw .archive(error)
            }
            switch claim {
            case .empty:
                return nil
            case .wait:
                // Each file left waits for an earlier file of its item that another worker holds.
                Thread.sleep(forTimeInterval: 0.1)
            case .file(let queued):
                held = queued
                claimed += 1
                // A worker whose inbox lacks a file another listed says so rather than guess.
                let entry = byPath[queued.path] ?? Inbox.Entry(
                    relativePath: queued.path, path: (inbox as NSString).appendingPathComponent(queued.path), feed: nil,
                    refusal: "not in this worker's inbox (\(inbox)); every worker must see the same inbox")
                return FileClaim(entry: entry, number: claimed, position: queued.seq)
            }
        }
        return nil
    }

    func upcoming(from claim: FileClaim, limit: Int, where worth: (Inbox.Entry) -> Bool) -> [FileClaim] {
        // The next claim is not known before it is made: the file is read ahead of its archiving only.
        limit > 0 && worth(claim.entry) ? [claim] : []
    }

    func settle(_ claim: FileClaim, summary: RunSummary.FileSummary?) throws(PipelineError) -> Int {
        guard let queued = held else { return 0 }
        held = nil
        guard summary != nil else {
            archive.releaseClaim()
            return 0
        }
        do {
            try archive.finishClaim(run: run, file: queued, worker: worker ?? "")
        } catch {
            throw .archive(error)
        }
        return 0
    }

    func keepArchived() throws(PipelineError) {}

    func complete(status: RunStatus, day: String) throws(PipelineError) -> RunStatus? {
        do {
            return try archive.finishRunIfDone(run, at: Date(), day: day)
        } catch {
            throw .archive(error)
        }
    }

    func stopBySignal() throws(PipelineError) -> Bool {
        giveBack()
        do {
            return try archive.stopRun(run, status: .interrupted, at: Date(), error: RunCompletion.signalledMessage)
        } catch {
            throw .archive(error)
        }
    }

    func fail(_ error: PipelineError) {
        giveBack()
        do {
            if try !archive.stopRun(run, status: .failed, at: Date(), error: error.description) {
                logger.notice("the run goes on with its other workers")
            }
        } catch {
            logger.error("cannot mark the run failed; the next worker marks it interrupted", metadata: ["credit.error": "\(error)"])
        }
    }

    func close() {}

    /// Gives the held file back to the queue, with everything done to it.
    private func giveBack() {
        guard held != nil else { return }
        held = nil
        archive.releaseClaim()
    }

    /// `<host>:<pid>`: what `run_queue.worker` says archived a file.
    static func workerName() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid())"
    }
}
