import CreditCore

/// What every adapter is to the stages after it: the column names its records are laid out
/// in, then its records in batches. CSV, XML and JSON sources all conform, so the per-file flow
/// reads any format the same way.
public protocol RecordSource: AnyObject {
    /// The CSV header, or for XML and JSON the item's field ids and the column of unknown keys.
    var header: [String] { get }
    /// The character encoding of the file's text (`UTF-8`, `GB18030`, or what an XML prolog
    /// declares), so that what goes back to the department (问题数据反馈) is in its own encoding.
    var textEncoding: String { get }
    /// Replaces `batch` with the next records; returns false when the file has none left.
    func next(into batch: inout RecordBatch) throws(AdapterError) -> Bool
}

extension XMLSource: RecordSource {}

/// A CSV file as a ``RecordSource``: holds the non-copyable parser, with its header read.
public final class CSVRecordSource<Bytes: ByteSource>: RecordSource {
    var source: CSVSource<Bytes>
    public let header: [String]
    public var textEncoding = "UTF-8"

    public init(_ source: consuming CSVSource<Bytes>) throws(AdapterError) {
        header = try source.header()
        self.source = source
    }

    public func next(into batch: inout RecordBatch) throws(AdapterError) -> Bool {
        try source.next(into: &batch)
    }
}

/// A JSON file as a ``RecordSource``: holds the non-copyable scanner.
public final class JSONRecordSource<Bytes: ByteSource>: RecordSource {
    var source: JSONSource<Bytes>
    public let header: [String]
    public var textEncoding = "UTF-8"

    public init(_ source: consuming JSONSource<Bytes>) {
        header = source.header
        self.source = source
    }

    public func next(into batch: inout RecordBatch) throws(AdapterError) -> Bool {
        try source.next(into: &batch)
    }
}
