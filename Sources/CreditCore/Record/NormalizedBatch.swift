/// The archived form of a batch's accepted records: one value (or NULL) per catalog field.
///
/// Like ``RecordBatch`` it keeps values as slices of one reused arena. The normalizer fills it;
/// the archive binds its bytes straight into SQLite.
public struct NormalizedBatch: Sendable {
    /// Number of catalog fields per record.
    public let fieldCount: Int
    public var bytes: [UInt8] = []
    /// Start and end per (record, field); a start of -1 is NULL.
    public var spans: [Int32] = []
    /// For each normalized record, its index in the source batch (for provenance).
    public var sourceRecords: [Int] = []
    /// For each record, a JSON object of the raw values normalization changed (field id → raw),
    /// or nil when it changed nothing.
    public var raw: [[UInt8]?] = []
    /// For each record, a JSON object of the columns the catalog does not know (header → value),
    /// or nil when there are none.
    public var extra: [[UInt8]?] = []

    /// For each record, the digest of its normalized values: two records with the same digest
    /// have the same content, so a resubmitted record is recognised without reading it back.
    public var contentDigests: [KeyDigest] = []
    /// For each record, whether it withdraws the decision (当前状态 撤销/无效).
    public var withdrawn: [Bool] = []

    public init(fieldCount: Int) {
        self.fieldCount = fieldCount
    }

    public var count: Int { sourceRecords.count }

    public mutating func removeAll() {
        contentDigests.removeAll(keepingCapacity: true)
        withdrawn.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        sourceRecords.removeAll(keepingCapacity: true)
        raw.removeAll(keepingCapacity: true)
        extra.removeAll(keepingCapacity: true)
    }

    /// Gives `body` the values without copying them.
    public func withValues<R, Failure: Error>(_ body: (Values) throws(Failure) -> R) throws(Failure) -> R {
        try bytes.withUnsafeBufferPointer { (bytes) throws(Failure) in
            try spans.withUnsafeBufferPointer { (spans) throws(Failure) in
                try body(Values(bytes: bytes, spans: spans, fieldCount: fieldCount))
            }
        }
    }

    /// Read access to normalized values, valid inside ``NormalizedBatch/withValues(_:)``.
    public struct Values {
        let bytes: UnsafeBufferPointer<UInt8>
        let spans: UnsafeBufferPointer<Int32>
        let fieldCount: Int

        /// The value of `field` in normalized record `index`, or nil for NULL.
        public func value(_ index: Int, _ field: Int) -> UnsafeBufferPointer<UInt8>? {
            let slot = (index &* fieldCount &+ field) &* 2
            let start = Int(spans[slot])
            if start < 0 { return nil }
            return UnsafeBufferPointer(rebasing: bytes[start..<Int(spans[slot + 1])])
        }
    }
}
