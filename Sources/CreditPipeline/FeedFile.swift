import CreditAdapters
import CreditCatalog
import CreditCore

/// One file opened with its feed's adapter (CSV, XML or JSON): its header, then its records in
/// batches. The pipeline and `credit-etl validate` read every format through this.
public final class FeedFile {
    /// The column names records are laid out in: the CSV header, or for XML and JSON the item's
    /// field ids and the column of unknown keys.
    public let header: [String]
    /// The file as shown to people.
    public let displayPath: String
    private let nextBatch: (inout RecordBatch) throws(AdapterError) -> Bool

    private init(header: [String], displayPath: String,
                 next: @escaping (inout RecordBatch) throws(AdapterError) -> Bool) {
        self.header = header
        self.displayPath = displayPath
        nextBatch = next
    }

    /// Replaces `batch` with the next records; returns false when the file has none left.
    public func next(into batch: inout RecordBatch) throws(AdapterError) -> Bool {
        try nextBatch(&batch)
    }

    /// Opens `path` as `feed` says. Text is converted to UTF-8 first (CSV, JSON); XML is handed
    /// to libxml2 as it is, which honours the encoding its prolog declares.
    public static func open(path: String, displayPath: String, feed: Feed, item: CatalogItem) throws(AdapterError) -> FeedFile {
        let file = SourceFile(path: path, displayPath: displayPath)
        let encoding = TextEncoding(spelling: feed.encoding) ?? .auto
        switch feed.format {
        case .csv:
            let box = CSVBox(try CSVSource(
                bytes: DecodingByteSource(FileByteSource(path: path, displayPath: displayPath), encoding: encoding,
                                          file: displayPath),
                file: file, configuration: CSVConfiguration(delimiter: feed.delimiter)))
            let header = try box.source.header()
            return FeedFile(header: header, displayPath: displayPath) { batch throws(AdapterError) in
                try box.source.next(into: &batch)
            }
        case .json:
            let box = JSONBox(JSONSource(
                bytes: try DecodingByteSource(FileByteSource(path: path, displayPath: displayPath), encoding: encoding,
                                              file: displayPath),
                file: file, builder: keyedBuilder(feed: feed, item: item),
                configuration: JSONConfiguration(recordPath: feed.recordPath.map { $0.split(separator: ".").map(String.init) } ?? [])))
            return FeedFile(header: box.source.header, displayPath: displayPath) { batch throws(AdapterError) in
                try box.source.next(into: &batch)
            }
        case .xml:
            let source = try XMLSource(
                bytes: FileByteSource(path: path, displayPath: displayPath), file: file,
                builder: keyedBuilder(feed: feed, item: item),
                configuration: XMLConfiguration(recordPath: feed.recordPath.map(XMLConfiguration.path) ?? [],
                                                encoding: encoding == .gb18030 ? "GB18030" : nil))
            return FeedFile(header: source.header, displayPath: displayPath) { batch throws(AdapterError) in
                try source.next(into: &batch)
            }
        }
    }

    /// Keys resolve like CSV headers: the feed's own names first, then the item's ids, names and aliases.
    static func keyedBuilder(feed: Feed, item: CatalogItem) -> KeyedRecordBuilder {
        let feedNames = Dictionary(feed.columns.map { (CatalogItem.headerKey($0.key), $0.value) },
                                   uniquingKeysWith: { first, _ in first })
        return KeyedRecordBuilder(columns: item.fields.map(\.id)) { key in
            feedNames[CatalogItem.headerKey(key)].flatMap(item.fieldIndex(id:)) ?? item.fieldIndex(forHeader: key)
        }
    }
}

/// Holds a non-copyable source so a closure can read from it.
private final class CSVBox<Bytes: ByteSource> {
    var source: CSVSource<Bytes>
    init(_ source: consuming CSVSource<Bytes>) { self.source = source }
}

private final class JSONBox<Bytes: ByteSource> {
    var source: JSONSource<Bytes>
    init(_ source: consuming JSONSource<Bytes>) { self.source = source }
}
