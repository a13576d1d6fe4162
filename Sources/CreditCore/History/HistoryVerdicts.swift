/// What the history stage decided for one batch: each record's fate, the name notes (重码 and
/// the registry), timeliness taken back, and the changes to the archive's memory that follow.
///
/// Sinks write it as it is: they never decide. Reused from batch to batch (``removeAll()``).
public struct HistoryVerdicts: Sendable {
    /// Per record of the batch (by index), its fate.
    public var records: [RecordVerdict] = []
    /// Records whose key an earlier record of the same file carried: `DUP_RECORD`, rejected.
    public var duplicates: [Int] = []
    /// Records whose subject code came with another name first (重码): the first name.
    public var nameConflicts: [NameNote] = []
    /// Records whose subject the registry knows under another name: the registered name.
    public var registryMismatches: [NameNote] = []
    /// Records the archive had accepted before: their timeliness was judged then, not again.
    public var unjudged: [Int] = []
    /// Subject codes this batch named first, with the record that named them.
    public var firstNames: [FirstName] = []
    /// Decisions rejected by earlier files that this batch corrected (纠正): no longer pending.
    public var settledDecisions: [KeyDigest] = []
    /// Decisions this batch rejected, now pending a correction (each once).
    public var rejectedDecisions: [KeyDigest] = []
    /// Unchanged records checked while their feed's prints were loaded: their print was not their
    /// version's (a new catalog or program, an archive older than prints), so the sink stores it
    /// on the version's row, and the next byte-identical re-send is known before it is checked.
    public var reprinted: [Reprint] = []
    /// What the batch's accepted records did to the history.
    public var counts = HistoryCounts()

    public init() {}

    public mutating func removeAll() {
        records.removeAll(keepingCapacity: true)
        duplicates.removeAll(keepingCapacity: true)
        nameConflicts.removeAll(keepingCapacity: true)
        registryMismatches.removeAll(keepingCapacity: true)
        unjudged.removeAll(keepingCapacity: true)
        firstNames.removeAll(keepingCapacity: true)
        settledDecisions.removeAll(keepingCapacity: true)
        rejectedDecisions.removeAll(keepingCapacity: true)
        reprinted.removeAll(keepingCapacity: true)
        counts = HistoryCounts()
    }
}

/// One record's fate in the archive's history.
public struct RecordVerdict: Sendable, Hashable {
    public enum Fate: UInt8, Sendable {
        /// Rejected by the record checks: kept as received.
        case rejected
        /// A repeat of a key this file already carried (`DUP_RECORD`): kept as received.
        case duplicate
        /// The same content as the key's current version: counted, not stored.
        case unchanged
        /// Stored as the key's first accepted version (or a record without a key).
        case new
        /// Stored as the key's next version; the previous one stops being current.
        case version
    }

    public var fate: Fate
    /// The business key the record carries into the archive; nil when it has none (incomplete
    /// key) or repeats one (its key belongs to the earlier record).
    public var key: KeyDigest?
    /// The version stored (1 for a new key); 0 when nothing is stored.
    public var version: Int64
    /// The row of the version this one replaces.
    public var previousRow: Int64?
    /// Whether the stored row withdraws its decision (当前状态 撤销/无效).
    public var withdrawn: Bool

    public init(fate: Fate, key: KeyDigest? = nil, version: Int64 = 0, previousRow: Int64? = nil, withdrawn: Bool = false) {
        self.fate = fate
        self.key = key
        self.version = version
        self.previousRow = previousRow
        self.withdrawn = withdrawn
    }

    /// Whether the record becomes a row of the item's table.
    public var isStored: Bool { fate == .new || fate == .version }
}

/// A name note about one record: the other name its code is known by.
public struct NameNote: Sendable, Hashable {
    public var record: Int
    /// The other name; filled in by validation from ``namedBy`` when an earlier record of the
    /// same batch gave it.
    public var name: String
    /// The record of this batch that named the code first, when it was one.
    public var namedBy: Int?

    public init(record: Int, name: String, namedBy: Int? = nil) {
        self.record = record
        self.name = name
        self.namedBy = namedBy
    }
}

/// A subject code named for the first time in its item, by `record`; `name` is filled from the
/// record by validation (``SubjectName/name``), which reads fields, before the sink stores it.
public struct FirstName: Sendable, Hashable {
    public var code: KeyDigest
    public var key: KeyDigest
    public var record: Int
    public var name: String

    public init(code: KeyDigest, key: KeyDigest, record: Int, name: String = "") {
        self.code = code
        self.key = key
        self.record = record
        self.name = name
    }
}

/// An unchanged record whose print its current version's row is to keep.
public struct Reprint: Sendable, Hashable {
    public var record: Int
    public var row: Int64

    public init(record: Int, row: Int64) {
        self.record = record
        self.row = row
    }
}
