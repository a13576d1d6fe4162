import CreditAdapters
import CreditArchive
import CreditArchivePostgres
import CreditCatalog
import CreditCore
import CreditReports
import CreditValidation
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

extension PipelineRunner {
    /// Runs as one worker of a run on the PostgreSQL archive (`run --worker`): joins the
    /// pipeline's open run or starts one with the inbox as its queue, archives the files it
    /// claims until none is left, and finishes the run when it is the last worker.
    ///
    /// Any number of workers, on any machines that see the same inbox, may run at once; each
    /// file is archived by exactly one of them (``PostgresArchive/claimNextFile(run:)``). A worker
    /// killed mid-file leaves nothing of the file, and the file goes to whichever worker asks
    /// next; starting a worker again after a crash goes on with the same run.
    public func runWorker() throws(PipelineError) -> WorkerSummary {
        guard let url = configuration.postgresURL else {
            throw PipelineError(.configuration, "\(configuration.file): archive: `run --worker` needs a PostgreSQL archive "
                + "(postgresql://…); an SQLite archive has one writer: run without --worker")
        }
        let catalog = try loadCatalog()
        let worker = Self.workerName()
        var logger = self.logger
        logger[metadataKey: "credit.worker"] = "\(worker)"
        let ordered = try orderedEntries(catalog)
        let queue = ordered.enumerated().map { index, entry in
            PostgresArchive.QueuedFile(seq: index + 1, path: entry.relativePath, item: entry.feed?.item,
                                       isRegistry: isRegistry(entry, catalog))
        }
        let byPath = Dictionary(ordered.map { ($0.relativePath, $0) }, uniquingKeysWith: { first, _ in first })
        // Files still being written are left pending, as a single process leaves them: one watch
        // of the inbox per worker (`settle_seconds`), before it claims anything.
        let changing = Self.changingFiles(ordered.filter { $0.feed != nil && $0.refusal == nil },
                                          watchingFor: configuration.settleSeconds)
        let archive: PostgresArchive
        let run: Int64
        do {
            archive = try PostgresArchive(url, name: "credit-etl \(worker)")
            try archive.prepare(items: Array(catalog.items.values))
            let joined = try archive.joinRun(pipeline: configuration.name, files: queue, at: Date())
            run = joined.run
            logger[metadataKey: "credit.run"] = "\(run)"
            logger.info(joined.started ? "run started; other workers may join it" : "joined the open run",
                        metadata: ["credit.pipeline": "\(configuration.file)", "credit.archive": "\(archive.location)"])
        } catch {
            throw .archive(error)
        }
        // A signal cancels the statement the server is running for this worker (a long report
        // query, a wait on a lock): the worker then rolls back and stops as between two batches.
        interruption?.onSignal { [canceller = archive.canceller, logger] in
            if !canceller.cancel() {
                logger.warning("cannot ask the server to cancel the running statement; the worker stops when it ends")
            }
        }
        if backfill {
            logger.notice("--backfill sets SQLite's journal and groups; on PostgreSQL each file commits with its claim")
        }
        let meter = ProgressMeter(reporting: progress, bytesTotal: 0, fileCount: 0)
        var files: [RunSummary.FileSummary] = []
        var totals = QualityCounts()
        var number = 0
        while !isInterrupted {
            let claim: PostgresArchive.Claim
            do {
                claim = try archive.claimNextFile(run: run)
            } catch {
                if isInterrupted { break }
                throw .archive(error)
            }
            guard case .file(let queued) = claim else {
                if claim == .empty { break }
                // Each file left waits for an earlier file of its item that another worker holds.
                Thread.sleep(forTimeInterval: 0.1)
                continue
            }
            number += 1
            // A worker whose inbox lacks a file another listed says so rather than guess.
            let entry = byPath[queued.path] ?? Inbox.Entry(
                relativePath: queued.path, path: (configuration.inbox as NSString).appendingPathComponent(queued.path),
                feed: nil, refusal: "not in this worker's inbox (\(configuration.inbox)); every worker must see the same inbox")
            let summary: RunSummary.FileSummary?
            do {
                summary = try process(entry, catalog: catalog, archive: archive, run: run, logger: logger,
                                      changing: changing.contains(entry.path), meter: meter, number: number,
                                      // Read and checked on one thread while archived on another.
                                      readAhead: overlapping && entry.refusal == nil && !changing.contains(entry.path)
                                          ? startReadingAhead(entry, catalog: catalog, meter: meter, number: number) : nil)
            } catch {
                archive.releaseClaim()
                // A statement a signal cancelled: stopped like between two batches.
                if isInterrupted { break }
                logger.error("worker stopped; its file was rolled back and is left to the other workers",
                             metadata: ["credit.error": "\(error)"])
                throw error
            }
            guard let summary else {
                archive.releaseClaim()
                break
            }
            do {
                try archive.finishClaim(run: run, file: queued, worker: worker)
            } catch {
                throw .archive(error)
            }
            if let counts = summary.counts { totals += counts }
            files.append(summary)
        }
        if isInterrupted {
            logger.notice("stopped by a signal; the file being read was given back to the run")
            return WorkerSummary(run: run, worker: worker, files: files, totals: totals, runStatus: nil, interrupted: true)
        }
        let status: RunStatus?
        do {
            status = try archive.finishRunIfDone(run, at: Date(), day: today.description)
        } catch {
            // Cancelled by a signal: the completion rolled back, the run stays open for the next worker.
            if isInterrupted {
                logger.notice("stopped by a signal while completing the run; the next worker completes it")
                return WorkerSummary(run: run, worker: worker, files: files, totals: totals, runStatus: nil, interrupted: true)
            }
            throw .archive(error)
        }
        var summary = WorkerSummary(run: run, worker: worker, files: files, totals: totals, runStatus: status,
                                    interrupted: false)
        summary.failOn = configuration.failOn
        guard let status else {
            logger.info("worker done; the worker that archives the run's last file finishes the run")
            return summary
        }
        KillPoint.afterCompletion.reach()
        // The last worker: the run's report, once, from the archive all workers wrote.
        let writer = ReportWriter(root: configuration.reports)
        let directory: String, report: RunReport
        do {
            _ = try writer.writeMissing(before: run, archive: archive, catalog: catalog, language: configuration.language,
                                        targets: configuration.targets, pipeline: configuration.file)
            (directory, report) = try writer
                .write(run: run, archive: archive, catalog: catalog, language: configuration.language,
                       targets: configuration.targets, today: today, pipeline: configuration.file)
        } catch {
            // The run is complete; its report, cancelled by a signal, is rendered by the next run.
            if isInterrupted {
                logger.notice("stopped by a signal while writing the report; the next run writes it")
                summary.interrupted = true
                return summary
            }
            throw .report(error)
        }
        summary.reportDirectory = directory
        summary.missedTargets = report.targetChecks.filter { $0.met == false }
        summary.feedbackFiles = report.feedback.count
        logger.info("last worker: run finished, report written", metadata: [
            "credit.status": "\(status.rawValue)", "credit.report": "\(directory)",
            "credit.targets_missed": "\(summary.missedTargets.count)"])
        return summary
    }

    /// `<host>:<pid>`: what `run_queue.worker` says archived a file.
    static func workerName() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid())"
    }
}

/// What one worker did: the files it archived, and the run's status when it was the last.
public struct WorkerSummary: Sendable {
    public var run: Int64
    public var worker: String
    public var files: [RunSummary.FileSummary]
    public var totals: QualityCounts
    /// Set for the worker that finished the run.
    public var runStatus: RunStatus?
    public var interrupted: Bool
    /// The run's report folder, written by the worker that finished the run.
    public var reportDirectory: String?
    /// The report's target checks that failed (the finishing worker's exit code).
    public var missedTargets: [RunReport.TargetCheck] = []
    public var feedbackFiles = 0
    /// What the pipeline lets fail the job (`fail_on:`).
    public var failOn: Set<PipelineConfiguration.JobFailure> = Set(PipelineConfiguration.JobFailure.allCases)

    /// A worker answers for its own files, and the one that finished the run for the run's
    /// targets too: the same policy as a single run's (``RunSummary/exitCode(unreadableFiles:missedTargets:failOn:)``).
    public var exitCode: Int32 {
        let unreadable = files.contains { $0.outcome.kind == .failed || $0.outcome.kind == .refused }
            || runStatus == .completedWithFailures
        return RunSummary.exitCode(unreadableFiles: unreadable, missedTargets: !missedTargets.isEmpty, failOn: failOn)
    }
}
