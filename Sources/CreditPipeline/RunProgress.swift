import CreditCore
import Foundation
import Synchronization

/// How far a run has come: what the progress line on a terminal and the periodic log line show.
public struct RunProgress: Sendable {
    /// The file being read (its path in the inbox).
    public var file: String
    /// 1-based number of that file among the run's files, and how many there are.
    public var fileNumber: Int
    public var fileCount: Int
    /// Records archived so far in the run (finished files and the current one).
    public var records: Int
    /// Bytes read so far, of all the run's files.
    public var bytesDone: Int64
    public var bytesTotal: Int64
    /// Seconds since the run started.
    public var elapsed: Double

    public var recordsPerSecond: Double { elapsed > 0 ? Double(records) / elapsed : 0 }

    /// Seconds left at the byte rate so far; nil until there is a rate to go by.
    public var remaining: Double? {
        guard elapsed >= 1, bytesDone > 0, bytesTotal >= bytesDone else { return nil }
        return Double(bytesTotal - bytesDone) / (Double(bytesDone) / elapsed)
    }
}

/// Where a run's progress goes, and how often.
public struct ProgressReporter: Sendable {
    /// Seconds between two reports.
    public var interval: Double
    public var report: @Sendable (RunProgress) -> Void

    public init(interval: Double, report: @escaping @Sendable (RunProgress) -> Void) {
        self.interval = interval
        self.report = report
    }
}

/// Counts a run's progress from both threads of a file: bytes as the reader reads them, records
/// as the archiver archives them; reports at most once per interval, from the archiver's thread.
final class ProgressMeter: Sendable {
    private let reporting: ProgressReporter?
    private let started = ContinuousClock.now
    /// Bytes of the files before the current one, and of the current one read so far.
    private let bytesBefore = Atomic<Int64>(0)
    private let bytesInFile = Atomic<Int64>(0)
    private let recordsBefore = Atomic<Int>(0)
    private let recordsInFile = Atomic<Int>(0)
    /// When the last report was made (the start, so the first comes one interval in).
    private let lastReport: Mutex<ContinuousClock.Instant>
    private let current = Mutex<(file: String, number: Int)>(("", 0))
    private let currentNumber = Atomic<Int>(0)
    let bytesTotal: Int64
    let fileCount: Int

    init(reporting: ProgressReporter?, bytesTotal: Int64, fileCount: Int) {
        self.reporting = reporting
        self.bytesTotal = bytesTotal
        self.fileCount = fileCount
        lastReport = Mutex(started)
    }

    func startFile(_ path: String, number: Int) {
        current.withLock { $0 = (path, number) }
        currentNumber.store(number, ordering: .relaxed)
        bytesInFile.store(0, ordering: .relaxed)
        recordsInFile.store(0, ordering: .relaxed)
    }

    /// A reader's thread: bytes of file `number` read. Bytes of a file read ahead of the one
    /// being archived are not shown until that file is finished (its whole size counts then).
    func read(bytes: Int, ofFile number: Int) {
        guard currentNumber.load(ordering: .relaxed) == number else { return }
        bytesInFile.add(Int64(bytes), ordering: .relaxed)
    }

    /// The archiver's thread: records of the current file archived.
    func archived(records: Int) {
        recordsInFile.add(records, ordering: .relaxed)
        reportIfDue()
    }

    /// Ends the current file: its whole size counts as read (also when it was skipped), its
    /// records as archived only when it was kept.
    func finishFile(size: Int64, kept: Bool) {
        bytesBefore.add(size, ordering: .relaxed)
        bytesInFile.store(0, ordering: .relaxed)
        if kept { recordsBefore.add(recordsInFile.load(ordering: .relaxed), ordering: .relaxed) }
        recordsInFile.store(0, ordering: .relaxed)
    }

    /// Takes back a finished file that is to be archived again (its group was rolled back).
    func undoFile(size: Int64, records: Int) {
        bytesBefore.add(-size, ordering: .relaxed)
        recordsBefore.add(-records, ordering: .relaxed)
    }

    var snapshot: RunProgress {
        let (file, number) = current.withLock { $0 }
        let elapsed = ContinuousClock.now - started
        return RunProgress(file: file, fileNumber: number, fileCount: fileCount,
                           records: recordsBefore.load(ordering: .relaxed) + recordsInFile.load(ordering: .relaxed),
                           bytesDone: min(bytesTotal, bytesBefore.load(ordering: .relaxed) + bytesInFile.load(ordering: .relaxed)),
                           bytesTotal: bytesTotal,
                           elapsed: elapsed.seconds)
    }

    private func reportIfDue() {
        guard let reporting else { return }
        let now = ContinuousClock.now
        let due = lastReport.withLock { last -> Bool in
            guard now - last >= .milliseconds(Int64(reporting.interval * 1000)) else { return false }
            last = now
            return true
        }
        if due { reporting.report(snapshot) }
    }
}

/// A sink that tells the meter how many records each batch brought, then hands the batch on.
struct MeteredSink<Base: BatchSink>: BatchSink {
    var base: Base
    let meter: ProgressMeter

    var consultsRegistry: Bool { base.consultsRegistry }

    mutating func append(fileFindings: [Finding]) throws(Base.Failure) {
        try base.append(fileFindings: fileFindings)
    }

    mutating func fetchPrior(_ questions: HistoryQuestions, into prior: inout PriorState) throws(Base.Failure) {
        try base.fetchPrior(questions, into: &prior)
    }

    mutating func append(_ batch: CheckedBatch) throws(Base.Failure) {
        try base.append(batch)
        meter.archived(records: batch.records.count)
    }
}

extension Duration {
    /// The duration in seconds, for rates and the run's time.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
