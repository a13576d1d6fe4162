import ArgumentParser
import CreditAdapters
import CreditCatalog
import Foundation

/// How to read one file outside a pipeline (`validate`, `catalog map`): a department's feed for
/// the item, or the format, encoding, delimiter and record path given on the command line.
struct FileReadingOptions: ParsableArguments {
    @Option(name: .long, help: "The sending department: its feed for the item supplies the reading settings.")
    var department: String?

    @Option(name: .long, help: "csv, xml or json (default: from the file's extension).")
    var format: SourceFormat?

    @Option(name: .long, help: "auto, utf-8 or gb18030 (gbk).")
    var encoding: String?

    @Option(name: .long, help: "CSV field delimiter: , ; | or tab.")
    var delimiter: String?

    @Option(name: .long, help: "XML record element path (/DATA/ROW) or JSON record array path (data.list).")
    var recordPath: String?

    /// The feed `file` is read with: the department's for `item`, or one made of the options.
    func feed(for file: String, item: CatalogItem, catalog: Catalog) throws -> Feed {
        var feed = department.flatMap { department in
            catalog.feeds.first { $0.department == department && $0.item == item.id }
        } ?? Feed(id: "command-line", department: department ?? "-", item: item.id, format: .csv, files: "*")
        if let format { feed.format = format } else if department == nil { feed.format = Self.format(of: file) }
        if let encoding {
            guard TextEncoding(spelling: encoding) != nil else {
                throw ValidationError("Unknown encoding '\(encoding)'; use auto, utf-8 or gb18030.")
            }
            feed.encoding = encoding
        }
        if let delimiter {
            let text = delimiter == "tab" || delimiter == "\\t" ? "\t" : delimiter
            guard text.utf8.count == 1, let byte = text.utf8.first else {
                throw ValidationError("A delimiter is one character: , ; | or tab.")
            }
            feed.delimiter = byte
        }
        if let recordPath { feed.recordPath = recordPath }
        return feed
    }

    static func format(of file: String) -> SourceFormat {
        switch (file as NSString).pathExtension.lowercased() {
        case "xml": .xml
        case "json", "jsonl", "ndjson": .json
        default: .csv
        }
    }
}
