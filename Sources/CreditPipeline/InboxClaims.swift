import CreditArchive
import CreditArchiveSQLite
import CreditCatalog
import CreditCore
import Foundation
import Logging

/// The files of a run on the SQLite archive: one process, holding the run lock, takes the inbox
/// in order. A backfill commits files in groups (``Archive/beginGroup()``); a file that rolls
/// its group back takes the group's earlier files with it, and they are archived again next.
final class InboxClaims: FileClaims {
    let archive: Archive
    let run: Int64
    let logger: Logger
    var worker: String? { nil }
    let location: String
    let listed: [Inbox.Entry]
    let planned: (bytes: Int64, files: Int)
    /// Held until the run ends (the claims are released): a second run must not touch the archive.
    private let lock: RunLock
    /// Each listed file's number among the files read (the number of the last one read before it
    /// for a file that is not read).
    private let numbers: [Int]
    private let groupRecordsToCommit: Int
    private let grouping: Bool
    private var journal = ArchiveJournal.writeAheadLog
    /// The items whose subject lookup indexes a large backfill dropped, to build after the load.
    private var lookupIndexesDropped: [CatalogItem]?
    /// The next listed file to claim.
    private var cursor = 0
    /// Files of a rolled-back group, archived again before the next new one.
    private var again: [Int] = []
    /// The open group's files (their positions) and records.
    private var group: [Int] = []
    private var groupRecords = 0
    /// Whether a group was open when the current file was claimed: a file that closes it rolled it back.
    private var claimedInGroup = false
    /// When the archive was last checked whole (seconds since 1970): carried into the stamp the
    /// run leaves when it closes the archive cleanly (``IntegrityStamp``).
    private let fullCheck: Int64
    /// Cleared by a failure: a run that failed leaves no stamp, and the next run checks the archive whole.
    private var endsClean = true

    /// Takes the run lock, opens and checks the archive, starts the run (adopting runs that
    /// never completed) and lists the inbox.
    init(_ runner: PipelineRunner, catalog: Catalog) throws(PipelineError) {
        let configuration = runner.configuration
        // The lock comes first: a second run must not touch the archive at all.
        lock = try RunLock(archive: configuration.archive)
        location = configuration.archive
        let abandoned: [Int64]
        let started = Date()
        // Read before the archive is opened (opening may write), and removed before anything is
        // written: a run that does not end cleanly leaves no stamp.
        let stamp = IntegrityStamp.read(archive: configuration.archive)
        let vouched = stamp?.vouches(for: configuration.archive, at: started) ?? false
        do {
            try IntegrityStamp.remove(archive: configuration.archive)
            archive = try Archive(path: configuration.archive)
            // A damaged archive is refused before anything is written to it; one exactly as a
            // clean run left it, checked whole within the week, is not read whole again.
            if let stamp, vouched {
                fullCheck = stamp.fullCheck
            } else {
                try archive.verifyIntegrity()
                fullCheck = Int64(started.timeIntervalSince1970)
            }
            try archive.prepare(items: Array(catalog.items.values))
            run = try archive.startRun(pipeline: configuration.name, at: started)
            // Holding the lock, any other run still `running` belongs to a process that died.
            abandoned = try archive.markAbandonedRuns(except: run, at: started)
        } catch {
            throw .archive(error)
        }
        var logger = runner.logger
        logger[metadataKey: "credit.run"] = "\(run)"
        self.logger = logger
        if !lock.describe(run: run, since: Timestamp.string(started)) {
            logger.warning("cannot write who holds the run lock; a second run will not be told which run blocks it",
                           metadata: ["credit.lock": "\(lock.path)", "credit.error": "\(String(cString: strerror(errno)))"])
        }
        logger.info("run started", metadata: ["credit.pipeline": "\(configuration.file)"])
        if let stamp, vouched {
            logger.info("the archive is as run \(stamp.run) closed it, checked whole on \(Timestamp.string(Date(timeIntervalSince1970: Double(stamp.fullCheck)))); not read whole again")
        } else {
            logger.info("the archive was checked whole (PRAGMA quick_check)")
        }
        if !abandoned.isEmpty {
            logger.warning("earlier runs ended without finishing; marked interrupted", metadata: [
                "credit.runs": "\(abandoned.map(String.init).joined(separator: ","))",
                "credit.lock": "\(lock.previousHolder ?? "")",
            ])
        }
        grouping = runner.backfill && runner.commitEvery > 0
        groupRecordsToCommit = runner.commitEvery
        let ordered: [Inbox.Entry]
        do throws(PipelineError) {
            ordered = try runner.orderedEntries(catalog)
            if runner.backfill {
                do {
                    if try archive.use(.rollback) == .rollback {
                        journal = .rollback
                        logger.info("backfill: the rollback journal for this run; readers wait while a file is written")
                    } else {
                        logger.warning("backfill: another process has the archive open, so it keeps its write-ahead log")
                    }
                } catch {
                    throw .archive(error)
                }
            }
            if Self.isLargeLoad(ordered, archive: configuration.archive) {
                let items = Array(catalog.items.values)
                do {
                    try archive.dropSubjectIndexes(items: items)
                } catch {
                    throw .archive(error)
                }
                lookupIndexesDropped = items
                logger.info("a large load: the subject lookup's indexes are built after it (subject scans until then)")
            }
        } catch {
            do {
                try archive.finishRun(run, status: .failed, at: Date(), error: error.description)
            } catch let marking {
                logger.error("cannot mark the run failed; the next run marks it interrupted",
                             metadata: ["credit.error": "\(marking)"])
            }
            throw error
        }
        listed = ordered
        var number = 0
        numbers = ordered.map { entry in
            if entry.feed != nil, entry.refusal == nil { number += 1 }
            return number
        }
        let readable = ordered.filter { $0.feed != nil && $0.refusal == nil }
        planned = (readable.reduce(0) { $0 + PipelineRunner.size(of: $1.path) }, readable.count)
    }

    func next(stop: () -> Bool) throws(PipelineError) -> FileClaim? {
        let position: Int
        let redone = !again.isEmpty
        if redone {
            position = again.removeFirst()
        } else if cursor < listed.count {
            position = cursor
            cursor += 1
        } else {
            return nil
        }
        if grouping {
            do {
                try archive.beginGroup()
            } catch {
                throw .archive(error)
            }
        }
        claimedInGroup = archive.isGroupOpen
        return FileClaim(entry: listed[position], number: numbers[position], redone: redone, position: position)
    }

    func upcoming(from claim: FileClaim, limit: Int, where worth: (Inbox.Entry) -> Bool) -> [FileClaim] {
        var result: [FileClaim] = []
        var position = claim.position
        while result.count < limit, position < listed.count {
            if worth(listed[position]) {
                result.append(FileClaim(entry: listed[position], number: numbers[position], position: position))
            }
            position += 1
        }
        return result
    }

    func settle(_ claim: FileClaim, summary: RunSummary.FileSummary?) throws(PipelineError) -> Int {
        var undone = 0
        if claimedInGroup, !archive.isGroupOpen, !group.isEmpty {
            // The file rolled the group back: its earlier files are archived again next (or, when
            // a signal stopped the run, by the next run).
            undone = group.count
            if summary != nil { again = group + again }
            logger.notice(summary == nil ? "the open group of files was rolled back; the next run archives its files"
                              : "a file of the group was rolled back, and the group with it; archiving its earlier files again",
                          metadata: ["credit.files": "\(group.count)"])
            group = []
            groupRecords = 0
        }
        if let summary, archive.isGroupOpen {
            group.append(claim.position)
            groupRecords += summary.counts?.records ?? 0
            if groupRecords >= groupRecordsToCommit { try keepArchived() }
        }
        return undone
    }

    func keepArchived() throws(PipelineError) {
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

    /// Whether a run's files weigh at least a tenth of the archive (a first load always does):
    /// it then builds the subject
    /// lookup's indexes after the load, in one sort each, instead of inserting into them record by
    /// record (``Archive/dropSubjectIndexes(items:)``); `subject` scans meanwhile. A smaller one
    /// keeps them.
    static func isLargeLoad(_ entries: [Inbox.Entry], archive: String) -> Bool {
        func bytes(_ path: String) -> Int64 {
            Int64((try? URL(fileURLWithPath: path).resourceValues(forKeys: [.fileSizeKey]))?.fileSize ?? 0)
        }
        let load = entries.filter { $0.feed != nil && $0.refusal == nil }.reduce(Int64(0)) { $0 + bytes($1.target) }
        // An empty archive is some hundreds of KiB of schema: the first 4 MiB do not count.
        return load > 0 && load * 10 >= bytes(archive) - 4 << 20
    }

    func complete(status: RunStatus, day: String) throws(PipelineError) -> RunStatus? {
        do {
            if let items = lookupIndexesDropped {
                let clock = ContinuousClock(), start = clock.now
                try archive.makeSubjectIndexes(items: items)
                lookupIndexesDropped = nil
                logger.info("built the subject lookup's indexes", metadata: ["credit.seconds": "\(clock.now - start)"])
            }
            try archive.completeRun(run, status: status, at: Date(), day: day)
        } catch {
            throw .archive(error)
        }
        return status
    }

    func stopBySignal() throws(PipelineError) -> Bool {
        try keepArchived()
        do {
            try archive.finishRun(run, status: .interrupted, at: Date(), error: RunCompletion.signalledMessage)
        } catch {
            throw .archive(error)
        }
        return true
    }

    func fail(_ error: PipelineError) {
        endsClean = false
        if archive.isGroupOpen {
            // The failing file is rolled back; the group's finished files are kept if they can be.
            do {
                try archive.commitGroup()
            } catch {
                archive.rollbackGroup()
                logger.error("cannot commit the files archived since the last commit; the next run archives them again",
                             metadata: ["credit.error": "\(error)"])
            }
        }
        do {
            try archive.finishRun(run, status: .failed, at: Date(), error: error.description)
        } catch {
            // The archive itself is failing (a full disk): the run row stays `running`; say so.
            logger.error("cannot mark the run failed; the next run marks it interrupted", metadata: ["credit.error": "\(error)"])
        }
    }

    func close() {
        if journal == .rollback {
            do {
                try archive.use(.writeAheadLog)
                journal = .writeAheadLog
            } catch {
                logger.warning("cannot return the archive to its write-ahead log; the next open does",
                               metadata: ["credit.error": "\(error)"])
            }
        }
        guard endsClean else { return }
        // Closed, the file is the whole archive: the stamp describes it for the next run.
        do {
            try archive.close()
            guard let stamp = IntegrityStamp.of(archive: location, fullCheck: fullCheck, run: run) else {
                throw ArchiveError(.io, path: location, message: "cannot read the archive's size and time")
            }
            try stamp.write(archive: location)
        } catch {
            logger.warning("the archive is left without its integrity stamp; the next run checks it whole",
                           metadata: ["credit.error": "\(error)"])
        }
    }
}
