import CreditAdapters
import CreditArchive
import CreditArchiveSQLite
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

    /// Records of a backfill committed together by default: large enough that the indexes' pages
    /// are written once per group rather than once per file, small enough that a killed backfill
    /// redoes about a minute of work.
    public static let defaultCommitEvery = 1_000_000

    public init(configuration: PipelineConfiguration, logger: Logger, today: CivilDate = .today(),
                interruption: Interruption? = nil, overlapping: Bool = true, progress: ProgressReporter? = nil,
                backfill: Bool = false, commitEvery: Int = PipelineRunner.defaultCommitEvery) {
        self.commitEvery = commitEvery
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

    public func run() throws(PipelineError) -> RunSummary {
        let catalog = try loadCatalog()
        // The lock comes first: a second run must not touch the archive at all. It is held until
        // this function returns (ARC could otherwise release it after its last use).
        let lock = try RunLock(archive: configuration.archive)
        defer { withExtendedLifetime(lock) {} }
        let archive: Archive
        let runID: Int64
        let abandoned: [Int64]
        let started = Date()
        do {
            archive = try Archive(path: configuration.archive)
            // A damaged archive is refused before anything is written to it.
            try archive.verifyIntegrity()
            try archive.prepare(items: Array(catalog.items.values))
            runID = try archive.startRun(pipeline: configuration.name, at: started)
            // Holding the lock, any other run still `running` belongs to a process that died.
            abandoned = try archive.markAbandonedRuns(except: runID, at: started)
        } catch {
            throw .archive(error)
        }
        let described = lock.describe(run: runID, since: Timestamp.string(started))
        var logger = self.logger
        logger[metadataKey: "credit.run"] = "\(runID)"
        if !described {
            logger.warning("cannot write who holds the run lock; a second run will not be told which run blocks it",
                           metadata: ["credit.lock": "\(lock.path)", "credit.error": "\(String(cString: strerror(errno)))"])
        }
        logger.info("run started", metadata: ["credit.pipeline": "\(configuration.file)"])
        if !abandoned.isEmpty {
            logger.warning("earlier runs ended without finishing; marked interrupted", metadata: [
                "credit.runs": "\(abandoned.map(String.init).joined(separator: ","))",
                "credit.lock": "\(lock.previousHolder ?? "")",
            ])
        }

        var files: [RunSummary.FileSummary] = []
        var totals = QualityCounts()
        var journal = ArchiveJournal.writeAheadLog
        var settled = 0.0
        defer {
            if journal == .rollback {
                do {
                    try archive.use(.writeAheadLog)
                } catch {
                    logger.warning("cannot return the archive to its write-ahead log; the next open does",
                                   metadata: ["credit.error": "\(error)"])
                }
            }
        }
        do throws(PipelineError) {
            let ordered = try orderedEntries(catalog)
            let watched = ordered.filter { $0.feed != nil && $0.refusal == nil }
            let changing = Self.changingFiles(watched, watchingFor: configuration.settleSeconds)
            TestHook.afterListing.pause()
            if !watched.isEmpty { settled = configuration.settleSeconds }
            do {
                if backfill, try archive.use(.rollback) == .rollback {
                    journal = .rollback
                    logger.info("backfill: the rollback journal for this run; readers wait while a file is written")
                } else if backfill {
                    logger.warning("backfill: another process has the archive open, so it keeps its write-ahead log")
                }
            } catch {
                throw .archive(error)
            }
            let readable = ordered.filter { $0.feed != nil && $0.refusal == nil }
            let sizes = Dictionary(readable.map { ($0.path, Self.size(of: $0.path)) }, uniquingKeysWith: { first, _ in first })
            let meter = ProgressMeter(reporting: progress, bytesTotal: sizes.values.reduce(0, +), fileCount: readable.count)
            // The files read ahead of the archiver (with two threads): the one being archived and
            // the next one to archive. Whatever is left when the run ends is stopped here.
            var readAhead: [Int: FileReadAhead] = [:]
            defer { for file in readAhead.values { file.cancel() } }
            let worthReading = ordered.indices.filter { index in
                let entry = ordered[index]
                return entry.refusal == nil && entry.feed.flatMap { catalog.items[$0.item] } != nil
                    && !changing.contains(entry.path)
            }
            var number = 0
            // The files of the open group (their indices in `ordered` and their numbers), in order:
            // archived again when a later file of the group fails and takes the group with it.
            var group: [(index: Int, number: Int)] = []
            var groupRecords = 0
            func commitGroup() throws(PipelineError) {
                guard archive.isGroupOpen else { return }
                do {
                    try archive.commitGroup()
                } catch {
                    throw .archive(error)
                }
                logger.info("committed a group of files", metadata: ["credit.files": "\(group.count)",
                                                                     "credit.records": "\(groupRecords)"])
                group = []
                groupRecords = 0
            }
            /// Takes back the summaries of the group's files, which a rollback has undone.
            func forgetGroup() -> [(index: Int, number: Int)] {
                let undone = group
                for (summary, file) in zip(files.suffix(undone.count), undone) {
                    meter.undoFile(size: sizes[ordered[file.index].path] ?? 0,
                                   records: summary.outcome.kind == .archived ? summary.counts?.records ?? 0 : 0)
                }
                files.removeLast(undone.count)
                totals = files.reduce(into: QualityCounts()) { sum, file in file.counts.map { sum += $0 } }
                group = []
                groupRecords = 0
                return undone
            }
            var next = 0
            var again: [(index: Int, number: Int)] = []
            while !isInterrupted {
                let index: Int
                let redone = !again.isEmpty
                if redone {
                    index = again[0].index
                } else if next < ordered.count {
                    index = next
                    next += 1
                } else {
                    break
                }
                let entry = ordered[index]
                if backfill, commitEvery > 0 {
                    do {
                        try archive.beginGroup()
                    } catch {
                        throw .archive(error)
                    }
                }
                let counted = entry.feed != nil && entry.refusal == nil
                let fileNumber: Int
                if redone {
                    fileNumber = again.removeFirst().number
                } else {
                    if counted { number += 1 }
                    fileNumber = number
                }
                if counted { meter.startFile(entry.relativePath, number: fileNumber) }
                if overlapping, !redone, let position = worthReading.firstIndex(where: { $0 >= index }) {
                    for next in worthReading[position..<min(position + 2, worthReading.count)] where readAhead[next] == nil {
                        readAhead[next] = startReadingAhead(ordered[next], catalog: catalog, meter: meter,
                                                            number: number + ordered[index..<next].count(where: {
                                                                $0.feed != nil && $0.refusal == nil }))
                    }
                }
                let grouped = archive.isGroupOpen
                let processed = try process(entry, catalog: catalog, archive: archive, run: runID, logger: logger,
                                            changing: changing.contains(entry.path),
                                            meter: meter, number: fileNumber,
                                            readAhead: redone ? nil : readAhead.removeValue(forKey: index))
                if grouped, !archive.isGroupOpen, !group.isEmpty {
                    // The file rolled the group back: its earlier files are archived again next
                    // (or, when a signal stopped the run, by the next run).
                    let undone = forgetGroup()
                    if processed != nil { again = undone + again }
                    logger.notice(processed == nil ? "the open group of files was rolled back; the next run archives its files"
                                      : "a file of the group was rolled back, and the group with it; archiving its earlier files again",
                                  metadata: ["credit.files": "\(undone.count)"])
                }
                guard let summary = processed else { break }
                if counted { meter.finishFile(size: sizes[entry.path] ?? 0, kept: summary.outcome.kind == .archived) }
                if let counts = summary.counts { totals += counts }
                files.append(summary)
                if archive.isGroupOpen {
                    group.append((index, fileNumber))
                    groupRecords += summary.counts?.records ?? 0
                    if groupRecords >= commitEvery { try commitGroup() }
                }
            }
            // Interrupted or done: the files finished so far are kept.
            try commitGroup()
        } catch {
            if archive.isGroupOpen {
                // The failing file is rolled back; the group's finished files are kept if they can be.
                do {
                    try archive.commitGroup()
                } catch let committing {
                    archive.rollbackGroup()
                    logger.error("cannot commit the files archived since the last commit; the next run archives them again",
                                 metadata: ["credit.error": "\(committing)"])
                }
            }
            do {
                try archive.finishRun(runID, status: .failed, at: Date(), error: error.description)
            } catch let marking {
                // The archive itself is failing (a full disk): the run row stays `running`; say so.
                logger.error("cannot mark the run failed", metadata: ["credit.error": "\(marking)"])
            }
            logger.error("run failed", metadata: ["credit.error": "\(error)"])
            throw error
        }

        let status: RunStatus = isInterrupted ? .interrupted
            : files.contains { $0.outcome.kind == .failed || $0.outcome.kind == .refused } ? .completedWithFailures
            : .completed
        do {
            // An interrupted run is not complete: the next run adopts its files, and its report
            // here only shows what it archived so far.
            KillPoint.beforeCompletion.reach()
            if isInterrupted {
                try archive.finishRun(runID, status: status, at: Date(),
                                      error: "stopped by a signal; the file being read was rolled back")
            } else {
                try archive.completeRun(runID, status: status, at: Date(), day: today.description)
            }
        } catch {
            throw .archive(error)
        }
        KillPoint.afterCompletion.reach()
        let writer = ReportWriter(root: configuration.reports)
        let reportDirectory: String, report: RunReport
        do {
            let rendered = try writer.writeMissing(before: runID, archive: archive, catalog: catalog,
                                                   language: configuration.language, targets: configuration.targets,
                                                   pipeline: configuration.file)
            if !rendered.isEmpty {
                logger.notice("reports of completed runs were missing (their process stopped while writing them); rendered again",
                              metadata: ["credit.runs": "\(rendered.map(String.init).joined(separator: ","))"])
            }
            (reportDirectory, report) = try writer
                .write(run: runID, archive: archive, catalog: catalog, language: configuration.language,
                       targets: configuration.targets, today: today, pipeline: configuration.file)
        } catch {
            throw .report(error)
        }
        let missed = report.targetChecks.filter { $0.met == false }
        for check in missed {
            logger.info("target missed", metadata: [
                "credit.figure": "\(check.figure.rawValue)", "credit.item": "\(check.item ?? "all")",
                "credit.value": "\(check.value.percentText)", "credit.target": "\(check.target)"])
        }
        logger.info("run finished", metadata: ["credit.status": "\(status.rawValue)",
                                               "credit.records": "\(totals.records)",
                                               "credit.targets_missed": "\(missed.count)"])
        return RunSummary(runID: runID, status: status, files: files, totals: totals,
                          archivePath: configuration.archive, reportDirectory: reportDirectory, settleSeconds: settled,
                          missedTargets: missed, feedbackFiles: report.feedback.count, failOn: configuration.failOn)
    }

    /// Archives one inbox file, or notes why not. Only archive failures escape.
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
    func startReadingAhead(_ entry: Inbox.Entry, catalog: Catalog, meter: ProgressMeter,
                                   number: Int) -> FileReadAhead? {
        guard let feed = entry.feed, let item = catalog.items[feed.item] else { return nil }
        let settings = settings(for: entry, catalog)
        return FileReadAhead { stop in
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
            var metered = MeteredSink(base: sink, meter: meter)
            if let readAhead {
                try flow.archive(from: readAhead.handoff, into: &metered, stop: { isInterrupted })
            } else {
                try flow.run(reading.source, into: &metered, stop: { isInterrupted })
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
