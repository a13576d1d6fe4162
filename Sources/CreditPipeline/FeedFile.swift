import CreditAdapters
import CreditCatalog
import CreditCore

/// Opens a file with its feed's adapter (CSV, XML or JSON). The pipeline, `credit-etl validate`
/// and the benchmarks read every format through this.
public enum FeedFile {
    /// Opens `path` as `feed` says. Text is converted to UTF-8 first (CSV, JSON); XML is handed
    /// to libxml2 as it is, which honours the encoding its prolog declares.
    public static func open(path: String, displayPath: String, feed: Feed, item: CatalogItem)
        throws(AdapterError) -> any RecordSource
    {
        try open(try FileByteSource(path: path, displayPath: displayPath, followingLinks: true), path: path,
                 displayPath: displayPath, feed: feed, item: item, observe: { _ in })
    }

    /// Opens an already opened file, showing each chunk of its bytes to `observe` as the
    /// adapter reads it (the pipeline hashes what it parses).
    public static func open(_ bytes: FileByteSource, path: String, displayPath: String, feed: Feed, item: CatalogItem,
                            observe: @escaping (UnsafeRawBufferPointer) -> Void) throws(AdapterError) -> any RecordSource
    {
        let file = SourceFile(path: path, displayPath: displayPath)
        let encoding = TextEncoding(spelling: feed.encoding) ?? .auto
        let observed = ObservedByteSource(bytes, observe: observe)
        switch feed.format {
        case .csv:
            let decoding = try DecodingByteSource(observed, encoding: encoding, file: displayPath)
            var configuration = CSVConfiguration(delimiter: feed.delimiter,
                                                 maximumFieldBytes: item.maxFieldBytes ?? CSVConfiguration.defaultMaximumFieldBytes)
            configuration.strictQuotes = feed.strictQuotes
            let source = try CSVRecordSource(CSVSource(bytes: decoding, file: file, configuration: configuration))
            source.textEncoding = decoding.encoding.displayName
            return source
        case .json:
            let decoding = try DecodingByteSource(observed, encoding: encoding, file: displayPath)
            let source = JSONRecordSource(JSONSource(
                bytes: decoding,
                file: file, builder: keyedBuilder(feed: feed, item: item),
                configuration: JSONConfiguration(recordPath: feed.recordPath.map { $0.split(separator: ".").map(String.init) } ?? [])))
            source.textEncoding = decoding.encoding.displayName
            return source
        case .xml:
            // The prolog is read on its own (a few hundred bytes), before libxml2 takes the stream.
            let declared = encoding == .gb18030 ? "GB18030"
                : (try? FileByteSource(path: path, displayPath: displayPath)).flatMap { probe -> String? in
                    var head = [UInt8](repeating: 0, count: 512)
                    let count = head.withUnsafeMutableBytes { (try? probe.read(into: $0)) ?? 0 }
                    return XMLDeclaration.encoding(in: head.prefix(count))
                } ?? "UTF-8"
            let source = try XMLSource(
                bytes: observed, file: file,
                builder: keyedBuilder(feed: feed, item: item),
                configuration: XMLConfiguration(recordPath: feed.recordPath.map(XMLConfiguration.path) ?? [],
                                                encoding: encoding == .gb18030 ? "GB18030" : nil))
            source.textEncoding = declared
            return source
        }
    }

    /// Keys resolve like CSV headers: the feed's own names first, then the item's ids, names and
    /// aliases. Values past the item's `max_field_bytes` stop the file, as in CSV.
    static func keyedBuilder(feed: Feed, item: CatalogItem) -> KeyedRecordBuilder {
        let feedNames = Dictionary(feed.columns.map { (CatalogItem.headerKey($0.key), $0.value) },
                                   uniquingKeysWith: { first, _ in first })
        var builder = KeyedRecordBuilder(columns: item.fields.map(\.id)) { key in
            feedNames[CatalogItem.headerKey(key)].flatMap(item.fieldIndex(id:)) ?? item.fieldIndex(forHeader: key)
        }
        builder.maximumValueBytes = item.maxFieldBytes ?? CSVConfiguration.defaultMaximumFieldBytes
        return builder
    }
}
