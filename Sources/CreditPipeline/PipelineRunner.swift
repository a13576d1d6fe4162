import CreditAdapters
import CreditArchive
import CreditCatalog
import CreditCore
import CreditNormalization
import CreditReports
import CreditValidation
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Runs a pipeline once over its inbox.
///
/// Files are handled one at a time, each in one archive transaction: a file that turns out to
/// be malformed half-way leaves nothing behind and the run goes on with the next one.
/// Where the files come from and how the run begins and ends on its archive is the
/// ``FileClaims`` of the archive's backend; everything else is the same for both.
public struct PipelineRunner {
    public let configuration: PipelineConfiguration
    let logger: Logger
    /// The run's date in Asia/Shanghai: dates after it (births, decisions) are errors.
    let today: CivilDate
    /// Where SIGTERM/SIGINT are noted; asked between batches.
    let interruption: Interruption?
    /// Whether a file is read and checked on one thread while it is archived on another (the
    /// default), or all on one thread (`run --sequential`, for comparison and debugging).
    let overlapping: Bool
    /// Where progress goes while files are read (a terminal's progress line, periodic log lines).
    let progress: ProgressReporter?
    /// A backfill writes with the rollback journal (faster; readers wait while a file is
    /// written): see ``ArchiveJournal``.
    let backfill: Bool
    /// A backfill commits files together, in groups of at least this many records (see
    /// ``Archive/beginGroup()``); 0 commits each file on its own.
    let commitEvery: Int
    /// `run --worker`: refused on an SQLite archive, which has one writer.
    let asWorker: Bool
    /// `run --recheck`: every record is checked, even one byte-identical to its key's current
    /// version (by default a large file of a feed skips those, ``PrintSet``).
    let recheck: Bool

    /// Records of a backfill committed together by default: large enough that the indexes' pages
    /// are written once per group rather than once per file, small enough that a killed backfill
    /// redoes about a minute of work.
    public static let defaultCommitEvery = 1_000_000

    public init(configuration: PipelineConfiguration, logger: Logger, today: CivilDate = .today(),
                interruption: Interruption? = nil, overlapping: Bool = true, progress: ProgressReporter? = nil,
                backfill: Bool = false, commitEvery: Int = PipelineRunner.defaultCommitEvery, asWorker: Bool = false,
                recheck: Bool = false) {
        self.recheck = recheck
        self.commitEvery = commitEvery
        self.asWorker = asWorker
        self.progress = progress
        self.backfill = backfill
        self.configuration = configuration
        self.logger = logger
        self.today = today
        self.interruption = interruption
        self.overlapping = overlapping
    }

    /// True once SIGTERM or SIGINT arrived.
    var isInterrupted: Bool { interruption?.receivedSignal != nil }

    /// The catalog, checked against the pipeline file, with the inbox there and the process's
    /// umask set: what a run and a worker need before they touch an archive.
    func loadCatalog() throws(PipelineError) -> Catalog {
        let catalog: Catalog
        do {
            catalog = try Catalog.load(directory: configuration.catalog)
        } catch {
            throw .configuration(error)
        }
        let contradictions = configuration.problems(against: catalog)
        if !contradictions.isEmpty { throw .configuration(ConfigurationError(contradictions)) }
        // A missing inbox is a mistake in the pipeline file: say so before anything is created.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: configuration.inbox, isDirectory: &isFolder), isFolder.boolValue else {
            throw PipelineError.inboxMissing(configuration.inbox)
        }
        // Archive, reports and quarantine hold personal data: readable by the owner only, or also
        // by the group when the pipeline says `group_readable: true`.
        umask(configuration.groupReadable ? 0o027 : 0o077)
        return catalog
    }

    /// The inbox's files in the order a run takes them: the subject registry's feeds first, so
    /// the other items of the run are compared with it, then the inbox's order.
    func orderedEntries(_ catalog: Catalog) throws(PipelineError) -> [Inbox.Entry] {
        let entries = try Inbox(directory: configuration.inbox).entries(feeds: catalog.feeds)
        return entries.filter { isRegistry($0, catalog) } + entries.filter { !isRegistry($0, catalog) }
    }

    /// Runs the pipeline: one process over its inbox on SQLite, or one worker of the pipeline's
    /// run on PostgreSQL. Either way the same driver archives the files it claims (``FileClaims``),
    /// and the process that ends the run marks it and writes its report.
    public func run() throws(PipelineError) -> RunSummary {
        let catalog = try loadCatalog()
        if let url = configuration.postgresURL {
            return try drive(QueueClaims(self, url: url, catalog: catalog), catalog: catalog)
        }
        if asWorker {
            throw PipelineError(.configuration, "\(configuration.file): archive: `run --worker` needs a PostgreSQL archive "
                + "(postgresql://…); an SQLite archive has one writer: run without --worker")
        }
        return try drive(InboxClaims(self, catalog: catalog), catalog: catalog)
    }

    /// Archives the files `claims` gives, then ends the run when this process is the one to.
    ///
    /// A signal stops between two batches (or cancels the statement a worker waits on): the file
    /// being read is rolled back, the files before it are kept, and when no other worker goes on
    /// the run is marked interrupted and reported so far; the next run adopts it. A failure marks
    /// the run failed the same way. A completed run is complete when its figures are recorded,
    /// and its report only reads.
    func drive<Claims: FileClaims>(_ claims: Claims, catalog: Catalog) throws(PipelineError) -> RunSummary {
        defer { claims.close() }
        let logger = claims.logger
        let watched = claims.listed.filter { $0.feed != nil && $0.refusal == nil }
        let changing = Self.changingFiles(watched, watchingFor: configuration.settleSeconds)
        TestHook.afterListing.pause()
        let settled = watched.isEmpty ? 0 : configuration.settleSeconds
        let meter = ProgressMeter(reporting: progress, bytesTotal: claims.planned.bytes, fileCount: claims.planned.files)
        var files: [RunSummary.FileSummary] = []
        var sizes: [Int64] = []
        var totals = QualityCounts()
        // Files read ahead of the archiver (with two threads): the one being archived and the
        // next one to archive. Whatever is left when the run ends is stopped here.
        var readAhead: [String: FileReadAhead] = [:]
        defer { for file in readAhead.values { file.cancel() } }
        func worthReading(_ entry: Inbox.Entry) -> Bool {
            entry.refusal == nil && entry.feed.flatMap { catalog.items[$0.item] } != nil && !changing.contains(entry.path)
        }
        /// A failure stops the run: it is marked failed where it can be (and the archive keeps no
        /// integrity stamp), and the error goes up.
        func failing(_ error: PipelineError) -> PipelineError {
            claims.fail(error)
            logger.error("run failed", metadata: ["credit.error": "\(error)"])
            return error
        }
        var ended: RunStatus?
        do throws(PipelineError) {
            while !isInterrupted, let claim = try claims.next(stop: { isInterrupted }) {
                let entry = claim.entry
                let counted = entry.feed != nil && entry.refusal == nil
                if counted { meter.startFile(entry.relativePath, number: claim.number) }
                if overlapping, !claim.redone {
                    for next in claims.upcoming(from: claim, limit: 2, where: worthReading)
                    where readAhead[next.entry.path] == nil {
                        readAhead[next.entry.path] = startReadingAhead(next.entry, catalog: catalog,
                                                                       archive: claims.archive, meter: meter,
                                                                       number: next.number)
                    }
                }
                let processed = try process(entry, catalog: catalog, archive: claims.archive, run: claims.run,
                                            logger: logger, changing: changing.contains(entry.path), meter: meter,
                                            number: claim.number,
                                            readAhead: claim.redone ? nil : readAhead.removeValue(forKey: entry.path))
                let undone = try claims.settle(claim, summary: processed)
                if undone > 0 {
                    // Rolled back with the file: taken back from the summary and the progress.
                    for (summary, size) in zip(files.suffix(undone), sizes.suffix(undone)) {
                        meter.undoFile(size: size, records: summary.outcome.kind == .archived ? summary.counts?.records ?? 0 : 0)
                    }
                    files.removeLast(undone)
                    sizes.removeLast(undone)
                    totals = files.reduce(into: QualityCounts()) { sum, file in file.counts.map { sum += $0 } }
                }
                guard let summary = processed else { break }
                let size = counted ? Self.size(of: entry.path) : 0
                if counted { meter.finishFile(size: size, kept: summary.outcome.kind == .archived) }
                if let counts = summary.counts { totals += counts }
                files.append(summary)
                sizes.append(size)
            }
            // Interrupted or done: the files finished so far are kept.
            try claims.keepArchived()
            KillPoint.beforeCompletion.reach()
            if !isInterrupted {
                let seen: RunStatus = files.contains { $0.outcome.kind == .failed || $0.outcome.kind == .refused }
                    ? .completedWithFailures : .completed
                ended = try claims.complete(status: seen, day: today.description)
            }
        } catch where isInterrupted {
            // A statement a signal cancelled (a worker waiting on the server): stopped, as between batches.
            logger.warning("stopped by a signal while waiting on the archive", metadata: ["credit.error": "\(error)"])
        } catch {
            throw failing(error)
        }
        if isInterrupted, ended == nil {
            // Interrupted runs are not complete: the next run adopts their files, and the report
            // here only shows what was archived so far.
            let endedRun: Bool
            do {
                endedRun = try claims.stopBySignal()
            } catch {
                throw failing(error)
            }
            if endedRun {
                ended = .interrupted
            } else {
                logger.notice("stopped by a signal; the file being read went back to the run's queue, and the run goes on with its other workers")
            }
        }
        var summary = RunSummary(runID: claims.run, status: ended ?? .running, files: files, totals: totals,
                                 archivePath: claims.location, settleSeconds: settled, failOn: configuration.failOn)
        summary.worker = claims.worker
        // A signal that came once the run was complete stopped nothing (but the report, below).
        summary.stoppedBySignal = isInterrupted && (ended == nil || ended == .interrupted)
        guard let status = ended else {
            if !isInterrupted { logger.info("worker done; the worker that archives the run's last file finishes the run") }
            return summary
        }
        KillPoint.afterCompletion.reach()
        let writer = ReportWriter(root: configuration.reports)
        let report: RunReport
        do {
            let rendered = try writer.writeMissing(before: claims.run, archive: claims.archive, catalog: catalog,
                                                   language: configuration.language, targets: configuration.targets,
                                                   pipeline: configuration.file)
            if !rendered.isEmpty {
                logger.notice("reports of completed runs were missing (their process stopped while writing them); rendered again",
                              metadata: ["credit.runs": "\(rendered.map(String.init).joined(separator: ","))"])
            }
            let written = try writer.write(run: claims.run, archive: claims.archive, catalog: catalog,
                                           language: configuration.language, targets: configuration.targets, today: today,
                                           pipeline: configuration.file)
            summary.reportDirectory = written.directory
            report = written.report
        } catch where isInterrupted {
            // Cancelled by a signal: a completed run's report is written by the next run, an
            // interrupted run's is the adopting run's.
            logger.notice("stopped by a signal while writing the report; the next run writes it",
                          metadata: ["credit.error": "\(error)"])
            summary.stoppedBySignal = true
            return summary
        } catch {
            throw .report(error)
        }
        summary.missedTargets = report.targetChecks.filter { $0.met == false }
        summary.feedbackFiles = report.feedback.count
        for check in summary.missedTargets {
            logger.info("target missed", metadata: [
                "credit.figure": "\(check.figure.rawValue)", "credit.item": "\(check.item ?? "all")",
                "credit.value": "\(check.value.percentText)", "credit.target": "\(check.target)"])
        }
        logger.info("run finished", metadata: ["credit.status": "\(status.rawValue)", "credit.records": "\(totals.records)",
                                               "credit.targets_missed": "\(summary.missedTargets.count)"])
        return summary
    }

    /// Copies a file that could not be read to `<quarantine>/run-NNNNNN/<path>`, with the reason in
    /// `<path>.error.txt`, so the department's exact bytes are kept for the reply; the inbox is left
    /// as it is. Returns the copy's path, or nil when it could not be made (logged, not fatal).
    func quarantine(_ entry: Inbox.Entry, run: Int64, reason: String) -> String? {
        let target = ((configuration.quarantine as NSString).appendingPathComponent(ReportWriter.directoryName(run: run))
            as NSString).appendingPathComponent(entry.relativePath)
        do {
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: target)
            try Self.copyBytes(of: entry, to: target)
            try Data((reason + "\n").utf8).write(to: URL(fileURLWithPath: target + ".error.txt"))
            return target
        } catch {
            logger.error("cannot quarantine the file", metadata: ["credit.error": "\(error)"])
            return nil
        }
    }

    /// The files whose size or modification time moves while they are watched for `seconds`:
    /// still being written. One watch for the whole inbox, so the wait does not grow with it.
    static func changingFiles(_ entries: [Inbox.Entry], watchingFor seconds: Double) -> Set<String> {
        guard seconds > 0, !entries.isEmpty else { return [] }
        func snapshot() -> [String: [Int]] {
            var result: [String: [Int]] = [:]
            for entry in entries {
                var info = stat()
                if stat(entry.path, &info) == 0 {
                    result[entry.path] = [Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec]
                }
            }
            return result
        }
        let before = snapshot()
        TestHook.whileSettling.pause()
        Thread.sleep(forTimeInterval: seconds)
        let after = snapshot()
        return Set(entries.map(\.path).filter { before[$0] != after[$0] })
    }

    /// Copies an inbox file's bytes a MiB at a time: for a symbolic link, what the link led to
    /// when the inbox was listed, and only if it is still that file (never a file swapped in since).
    static func copyBytes(of entry: Inbox.Entry, to target: String) throws {
        let input = try FileByteSource(path: entry.target, displayPath: entry.relativePath, expected: entry.identity)
        guard FileManager.default.createFile(atPath: target, contents: nil),
              let output = FileHandle(forWritingAtPath: target) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: target])
        }
        defer { try? output.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try input.read(into: buffer)
            if count == 0 { break }
            try output.write(contentsOf: Data(UnsafeRawBufferPointer(rebasing: buffer[0..<count])))
        }
        try output.synchronize()
    }

    /// What a file's records are checked against: the run's date, the file's submission date (from
    /// its name, else the run's date; never after the run's date, which would let future decisions
    /// pass and count them timely), the catalog's identifier tables and calendar.
    func settings(for entry: Inbox.Entry, _ catalog: Catalog) -> ValidationSettings {
        SubmissionDate.settings(path: entry.relativePath, today: today, catalog: catalog)
    }

    /// Starts hashing, opening and reading a file on a thread of its own (see ``FileReadAhead``).
    /// A file too small against its feed to be a re-send of its table is checked whole from the
    /// start, without waiting for the archiver (``FileArchiving/mayLoadPrints(feed:fileSize:)``).
    func startReadingAhead<Store: FileArchiving>(_ entry: Inbox.Entry, catalog: Catalog, archive: Store,
                                                 meter: ProgressMeter, number: Int) -> FileReadAhead? {
        guard let feed = entry.feed, let item = catalog.items[feed.item] else { return nil }
        let settings = settings(for: entry, catalog)
        // Not knowing is waiting: the archiver then decides when it begins the file, and reports
        // an archive that cannot answer.
        let expectsPrints = !recheck
            && ((try? archive.mayLoadPrints(feed: feed.id, fileSize: Self.size(of: entry.target))) ?? true)
        return FileReadAhead(expectsPrints: expectsPrints) { stop in
            OpenedFile.open(entry, feed: feed, item: item, settings: settings,
                            observe: { meter.read(bytes: $0, ofFile: number) }, stop: stop)
        }
    }

    /// Whether the file belongs to the subject registry (企业登记注册).
    func isRegistry(_ entry: Inbox.Entry, _ catalog: Catalog) -> Bool {
        entry.feed.flatMap { catalog.items[$0.item] }?.isRegistry ?? false
    }

    /// A file's size in bytes, 0 when it cannot be read (its outcome says why).
    static func size(of path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Archives one inbox file in its own transaction, or notes why not. Only archive failures
    /// escape: they stop the run, with the file rolled back. Returns nil when a signal stopped the
    /// run while the file was read: the file was rolled back and is left for the next run.
    /// `readAhead` is the file already being hashed, opened and read on another thread.
    func process<Store: FileArchiving>(_ entry: Inbox.Entry, catalog: Catalog, archive: Store, run: Int64,
                                       logger: Logger, changing: Bool, meter: ProgressMeter, number: Int,
                                       readAhead: FileReadAhead?) throws(PipelineError)
        -> RunSummary.FileSummary?
    {
        var logger = logger
        logger[metadataKey: "credit.file"] = "\(entry.relativePath)"
        func note(_ outcome: FileOutcome, counts: QualityCounts? = nil, firstRun: Int64? = nil)
            throws(PipelineError) -> RunSummary.FileSummary
        {
            do {
                try archive.note(outcome, run: run)
            } catch {
                throw .archive(error)
            }
            return RunSummary.FileSummary(outcome: outcome, counts: counts, firstRun: firstRun)
        }

        if let refusal = entry.refusal {
            logger.error("file refused", metadata: ["credit.reason": "\(refusal)"])
            return try note(FileOutcome(kind: .refused, path: entry.relativePath, feed: entry.feed?.id,
                                        message: refusal))
        }
        if changing {
            logger.warning("still being written; left for the next run")
            return try note(FileOutcome(kind: .pending, path: entry.relativePath, feed: entry.feed?.id,
                                        message: "its size or time changed within \(configuration.settleSeconds) s"))
        }
        guard let feed = entry.feed, let item = catalog.items[feed.item] else {
            logger.warning("no feed matches this file; it was not read")
            return try note(FileOutcome(kind: .unmatched, path: entry.relativePath,
                                        message: "no feed in the catalog matches this path"))
        }
        // With two threads the file was hashed and opened ahead; on one, it is done here.
        defer { readAhead?.cancel() }
        let opened = readAhead?.file() ?? OpenedFile.open(entry, feed: feed, item: item, settings: settings(for: entry, catalog),
                                                          observe: { meter.read(bytes: $0, ofFile: number) })
        let hash: (hex: String, size: Int64)
        switch opened.hash {
        case .success(let hashed):
            hash = hashed
        case .failure(let error):
            logger.error("cannot read the file", metadata: ["credit.error": "\(error)"])
            return try note(FileOutcome(kind: .failed, path: entry.relativePath, feed: feed.id, message: error.message))
        }
        let ledger: LedgerEntry?
        do {
            ledger = try archive.ledgerEntry(sha256: hash.hex, department: feed.department)
        } catch {
            throw .archive(error)
        }
        if let ledger {
            logger.info("already archived; skipped", metadata: ["credit.first_run": "\(ledger.run)"])
            return try note(FileOutcome(kind: .duplicate, path: entry.relativePath, sha256: hash.hex,
                                        fileID: ledger.fileID, feed: feed.id,
                                        message: "same content as \(ledger.path), archived in run \(ledger.run)"),
                            firstRun: ledger.run)
        }
        var file: Store.File?
        let archived: ArchivedFile
        do throws(FileFlow.Failure<ArchiveError>) {
            guard let opening = opened.reading else { preconditionFailure("a hashed file is opened or refused") }
            let reading: FileReading
            do {
                reading = try opening.get()
            } catch {
                throw .source(error)
            }
            let flow = reading.flow
            let draft = FileDraft(sha256: hash.hex, size: hash.size, path: entry.relativePath, feed: feed.id,
                                  department: feed.department, item: item.id, format: feed.format.rawValue,
                                  header: reading.source.header, submitted: flow.submitted.description,
                                  encoding: reading.source.textEncoding)
            let sink: Store.File
            do {
                sink = try archive.beginFile(draft, run: run, item: flow.item)
            } catch {
                throw .sink(error)
            }
            file = sink
            let prints: FeedPrints?
            do {
                let expected = readAhead?.expectsPrints ?? true
                prints = flow.printer == nil || recheck || !expected ? nil : try sink.currentPrints(fileSize: hash.size)
            } catch {
                throw .sink(error)
            }
            var metered = MeteredSink(base: sink, meter: meter)
            if let readAhead {
                try flow.archive(from: readAhead.handoff, into: &metered, prints: prints, stop: { isInterrupted })
            } else {
                try flow.run(reading.source, into: &metered, prints: prints, stop: { isInterrupted })
                do {
                    try reading.finish()
                } catch {
                    throw .source(error)
                }
            }
            if reading.parsed.hex != hash.hex {
                sink.rollback()
                archived = .changed(read: reading.parsed.size)
            } else {
                do {
                    archived = .kept(try sink.commit(), fileID: sink.fileID)
                } catch {
                    throw .sink(error)
                }
            }
        } catch {
            file?.rollback()
            switch error {
            case .stopped:
                logger.warning("stopped by a signal; the file was rolled back and is left for the next run")
                return nil
            case .source(let error):
                logger.error("file not archived", metadata: ["credit.error": "\(error)"])
                var message = error.description
                if let copy = quarantine(entry, run: run, reason: error.description) {
                    message += " (quarantined: \(copy))"
                }
                return try note(FileOutcome(kind: .failed, path: entry.relativePath, sha256: hash.hex, feed: feed.id,
                                            line: error.line, message: message))
            case .sink(let error) where isInterrupted:
                // A statement a signal cancelled (a worker waiting on the server): stopped, as between batches.
                logger.warning("stopped by a signal; the file was rolled back and is left for the next run",
                               metadata: ["credit.error": "\(error)"])
                return nil
            case .sink(let error):
                throw .archive(ArchiveError(error.code, path: error.path,
                                            message: "archiving \(entry.relativePath): \(error.message); nothing of this "
                                                + "file was kept", cause: error.cause))
            }
        }
        switch archived {
        case .changed(let read):
            logger.warning("changed while it was read; rolled back and left for the next run")
            return try note(FileOutcome(kind: .pending, path: entry.relativePath, sha256: hash.hex, feed: feed.id,
                                        message: "it changed while it was read (\(hash.size) bytes hashed, \(read) read)"))
        case .kept(let counts, let fileID):
            logger.info("archived", metadata: ["credit.records": "\(counts.records)",
                                               "credit.rejected": "\(counts.rejected)",
                                               "credit.unchanged": "\(counts.history.unchanged)"])
            return try note(FileOutcome(kind: .archived, path: entry.relativePath, sha256: hash.hex, fileID: fileID,
                                        feed: feed.id), counts: counts)
        }
    }
}

/// How archiving one file ended, short of a failure.
private enum ArchivedFile {
    case kept(QualityCounts, fileID: Int64)
    /// The file's bytes changed between hashing and reading: rolled back.
    case changed(read: Int64)
}
