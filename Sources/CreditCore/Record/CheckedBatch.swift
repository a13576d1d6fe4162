/// What validating a batch found: which records are rejected, every finding, and the figures
/// counted on the side (timeliness, the subjects seen, each record's business key).
public struct ValidationOutcome: Sendable {
    /// `rejected[i]` is true when record `i` has at least one error.
    public var rejected: [Bool] = []
    public var rejectedCount = 0
    /// Findings in record order; `Finding.record` indexes the batch.
    public var findings: [Finding] = []
    /// Timeliness verdicts of this batch's records.
    public var timeliness = TimelinessCounts()
    /// Per record, what it added to ``timeliness`` (``TimelinessVerdict``), so that a record the
    /// archive had already accepted is taken back out: timeliness is judged once per record, on
    /// its first successful submission (spec §8), not again on every re-send.
    public var timelinessVerdicts: [TimelinessVerdict] = []
    /// (code, name) pairs this file had not shown before, for 错码/重码 figures.
    public var subjects: [SubjectSighting] = []
    /// Per record, the digest of its decision: the business key without its subject part
    /// (文书号 + 决定日期). Correcting a subject's wrong code changes the business key but not the
    /// decision, so corrections (纠正) are recognised by this; nil when the key is incomplete.
    public var decisions: [KeyDigest?] = []
    /// The subject (canonical code, name) of rejected records, by record index: a later
    /// resubmission that fixes the code is counted as a correction (纠正) of it.
    public var rejectedSubjects: [Int: SubjectReference] = [:]
    /// Per record, the digest of its business key, set by the record checks; the history stage
    /// compares it with the archive. Nil when the key is incomplete.
    public var pendingKeys: [KeyDigest?] = []
    /// Per record, its subject's code and name as digests, for the history stage (重码, the
    /// registry); nil when the record names no subject or no name.
    public var subjectProbes: [SubjectProbe?] = []
    /// Records held to each edition of the item's standard (by decision date; a byte-identical re-send
    /// whose checks were skipped counts too), by edition id (empty for
    /// an item with one standard).
    public var editions: [String: Int] = [:]

    public init() {}

    public mutating func removeAll() {
        rejected.removeAll(keepingCapacity: true)
        timelinessVerdicts.removeAll(keepingCapacity: true)
        findings.removeAll(keepingCapacity: true)
        subjects.removeAll(keepingCapacity: true)
        decisions.removeAll(keepingCapacity: true)
        rejectedSubjects.removeAll(keepingCapacity: true)
        pendingKeys.removeAll(keepingCapacity: true)
        subjectProbes.removeAll(keepingCapacity: true)
        rejectedCount = 0
        timeliness = TimelinessCounts()
        editions.removeAll(keepingCapacity: true)
    }
}

/// What one record added to a batch's timeliness counts.
public enum TimelinessVerdict: UInt8, Sendable {
    /// The item has no timeliness, or the record was not judged.
    case none, timely, late, unknown
}

extension TimelinessCounts {
    /// Takes one record's verdict back out.
    public mutating func remove(_ verdict: TimelinessVerdict) {
        switch verdict {
        case .none: break
        case .timely: timely -= 1
        case .late: late -= 1
        case .unknown: unknown -= 1
        }
    }
}

/// A record's subject as digests: its canonical code and its folded name.
public struct SubjectProbe: Sendable, Hashable {
    public var code: KeyDigest
    public var name: KeyDigest

    public init(code: KeyDigest, name: KeyDigest) {
        self.code = code
        self.name = name
    }
}

/// A subject as a record names it: its canonical code and its trimmed name.
public struct SubjectReference: Sendable, Hashable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// One batch after every stage before the archive: the records as read, what validation found,
/// the normalized form of the accepted ones, and what the history stage decided of each.
///
/// This is the one value a sink receives, so the archive, `validate` and the benchmarks see the
/// same thing; its parts are index-matched through `normalized.sourceRecords`.
public struct CheckedBatch: Sendable {
    public var records = RecordBatch()
    public var outcome = ValidationOutcome()
    public var normalized: NormalizedBatch
    /// Each record's fate in the archive's history, and what follows from it.
    public var history = HistoryVerdicts()
    /// Each record's print, and whether it is a byte-identical re-send of a current version.
    public var repeats = RepeatMarks()

    public init(fieldCount: Int) {
        normalized = NormalizedBatch(fieldCount: fieldCount)
    }
}

/// Where checked batches go: the archive, or a collector of findings (`validate`).
///
/// A sink is also where the history stage reads what the archive knew before each batch
/// (``fetchPrior(_:into:)``): the archive's own tables in a run, a scratch database in
/// `validate`. It writes what was decided (``CheckedBatch/history``) and decides nothing.
public protocol BatchSink {
    /// How the sink fails: `ArchiveError` for an archive (a full disk stops the file, it does
    /// not turn into findings).
    associatedtype Failure: Error
    /// Findings about the file as a whole (such as header problems).
    mutating func append(fileFindings: [Finding]) throws(Failure)
    mutating func append(_ batch: CheckedBatch) throws(Failure)
    /// Reads the state before this batch of what `questions` name (keys, subject codes, the
    /// registry's names, pending rejections), into `prior` (emptied first).
    mutating func fetchPrior(_ questions: HistoryQuestions, into prior: inout PriorState) throws(Failure)
    /// Whether the registry has names to compare with: when not, no code is looked up.
    var consultsRegistry: Bool { get }
}
