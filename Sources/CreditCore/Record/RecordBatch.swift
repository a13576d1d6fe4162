/// A batch of records read from one file, with every field stored as a byte slice of one arena.
///
/// Stages pass batches, not records, so that the hot path allocates per batch rather than per
/// field: the adapter appends field bytes into `bytes`, and readers get `UnsafeBufferPointer`
/// views of them. A batch is cleared and refilled, keeping its capacity, by the adapter that owns
/// it. Fields are kept in source-column order; a ``FieldLayout`` maps them to catalog fields.
public struct RecordBatch: Sendable {
    /// Field bytes of every record, back to back.
    @usableFromInline var bytes: [UInt8] = []
    /// Start and end offsets into `bytes`, two entries per field, in record order.
    @usableFromInline var bounds: [Int32] = []
    /// Index into `bounds / 2` of each record's first field, plus one final entry.
    @usableFromInline var recordStarts: [Int32] = [0]
    /// Where each record came from, by record index.
    @usableFromInline var origins: [Provenance] = []

    /// Where each record came from, by record index.
    public var provenance: [Provenance] { origins }
    /// The records (by index, ascending) whose CSV line had a quote inside an unquoted value, read
    /// literally: validation notes each with a `CSV_BARE_QUOTE` warning.
    public var bareQuoteRecords: [Int] = []

    public init() {}

    /// The bytes of every field in the batch, back to back: what its memory grows with.
    public var byteCount: Int { bytes.count }

    /// The number of complete records in the batch.
    @inlinable public var count: Int { recordStarts.count - 1 }
    public var isEmpty: Bool { count == 0 }

    /// Number of fields the source gave for `record` (differs from the header on ragged rows).
    @inlinable public func fieldCount(_ record: Int) -> Int {
        Int(recordStarts[record + 1] - recordStarts[record])
    }

    /// Empties the batch but keeps its storage for the next fill.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
        recordStarts.removeAll(keepingCapacity: true)
        recordStarts.append(0)
        origins.removeAll(keepingCapacity: true)
        bareQuoteRecords.removeAll(keepingCapacity: true)
    }

    /// Appends one field of the record under construction.
    @inlinable public mutating func appendField(_ field: UnsafeRawBufferPointer) {
        let start = Int32(truncatingIfNeeded: bytes.count)
        if !field.isEmpty { bytes.append(contentsOf: field) }
        bounds.append(start)
        bounds.append(Int32(truncatingIfNeeded: bytes.count))
    }

    /// Closes the record under construction: the fields appended since the last call form it.
    @inlinable public mutating func finishRecord(_ origin: Provenance) {
        recordStarts.append(Int32(truncatingIfNeeded: bounds.count / 2))
        origins.append(origin)
    }

    /// Gives `body` read access to the fields of the batch without copying them.
    @inlinable public func withFields<R, Failure: Error>(_ body: (Fields) throws(Failure) -> R) throws(Failure) -> R {
        try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) in
            try bounds.withUnsafeBufferPointer { (bounds) throws(Failure) in
                try recordStarts.withUnsafeBufferPointer { (starts) throws(Failure) in
                    try body(Fields(bytes: buffer, bounds: bounds, recordStarts: starts))
                }
            }
        }
    }

    /// A read-only view of a batch's fields, valid only inside ``RecordBatch/withFields(_:)``.
    public struct Fields {
        @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
        @usableFromInline let bounds: UnsafeBufferPointer<Int32>
        @usableFromInline let recordStarts: UnsafeBufferPointer<Int32>

        @inlinable init(bytes: UnsafeBufferPointer<UInt8>, bounds: UnsafeBufferPointer<Int32>,
                        recordStarts: UnsafeBufferPointer<Int32>) {
            self.bytes = bytes
            self.bounds = bounds
            self.recordStarts = recordStarts
        }

        @inlinable public var count: Int { recordStarts.count - 1 }

        @inlinable public func fieldCount(_ record: Int) -> Int {
            Int(recordStarts[record + 1] - recordStarts[record])
        }

        /// The bytes of source column `column` of `record`, or nil when the row is too short.
        @inlinable public func field(_ record: Int, column: Int) -> UnsafeBufferPointer<UInt8>? {
            guard column >= 0, column < fieldCount(record) else { return nil }
            let index = (Int(recordStarts[record]) + column) &* 2
            let start = Int(bounds[index]), end = Int(bounds[index + 1])
            return UnsafeBufferPointer(rebasing: bytes[start..<end])
        }

        /// The bytes of the catalog field at `fieldIndex`, or nil when the source lacks it.
        @inlinable public func field(_ record: Int, _ fieldIndex: Int, in layout: FieldLayout)
            -> UnsafeBufferPointer<UInt8>?
        {
            field(record, column: layout.column(ofField: fieldIndex))
        }
    }
}

/// Maps catalog fields to the source columns of one file (found from its header).
public struct FieldLayout: Sendable, Hashable {
    /// For each catalog field, the source column that carries it, or -1.
    public private(set) var columns: [Int]
    /// Number of columns the header declares.
    public var headerCount: Int

    public init(columns: [Int], headerCount: Int) {
        self.columns = columns
        self.headerCount = headerCount
    }

    @inlinable public func column(ofField index: Int) -> Int { columns[index] }
}
