import CLibXML2
import CreditCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a feed's XML files hold their records.
public struct XMLConfiguration: Sendable, Hashable {
    /// Local names from the root to the record element (`/DATA/ROW` → `["DATA", "ROW"]`); empty:
    /// every child of the root element is a record.
    public var recordPath: [String]
    /// The encoding to assume when the file does not declare one (nil: libxml2 detects it).
    public var encoding: String?
    public var batchSize: Int

    public init(recordPath: [String] = [], encoding: String? = nil, batchSize: Int = 4096) {
        self.recordPath = recordPath
        self.encoding = encoding
        self.batchSize = max(batchSize, 1)
    }

    /// Reads `/DATA/ROW` or `DATA/ROW`.
    public static func path(_ text: String) -> [String] {
        text.split(separator: "/").map(String.init)
    }
}

/// Streams records out of XML with libxml2's `xmlTextReader`: one node at a time, never the
/// whole tree, whatever the file size.
///
/// A record is an element at the configured path; its fields are its attributes and its child
/// elements (namespaces ignored: local names are matched). The encoding declared in the prolog
/// (`GBK`, `GB18030`) is honoured by libxml2. For safety the reader never loads a DTD, resolves
/// no external entity and opens no network connection; a document with a DOCTYPE is refused
/// outright, which also stops entity-expansion bombs before any expansion.
public final class XMLSource<Bytes: ByteSource> {
    private let input: XMLInput
    private let reader: xmlTextReaderPtr
    private let file: SourceFile
    private let configuration: XMLConfiguration
    private var builder: KeyedRecordBuilder
    private let errors = XMLErrors()
    private var names: [String] = []
    private var recordDepth: Int32 = -1
    private var recordOrigin = Provenance(line: 1, byteOffset: 0)
    private var field: String?
    private var text: [UInt8] = []
    private var finished = false
    /// The encoding the document's prolog declares (see ``XMLDeclaration``), set by whoever opens it.
    public var textEncoding = "UTF-8"

    public init(bytes: Bytes, file: SourceFile, builder: KeyedRecordBuilder,
                configuration: XMLConfiguration = XMLConfiguration()) throws(AdapterError) {
        self.file = file
        self.builder = builder
        self.configuration = configuration
        var bytes = bytes
        input = XMLInput { buffer throws(AdapterError) in try bytes.read(into: buffer) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let context = Unmanaged.passUnretained(input).toOpaque()
        guard let reader = xmlReaderForIO({ context, buffer, length in
            guard let context, let buffer else { return -1 }
            let input = Unmanaged<XMLInput>.fromOpaque(context).takeUnretainedValue()
            return input.read(UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))
        }, nil, context, file.displayPath, configuration.encoding, options) else {
            throw AdapterError(.readFailed, file: file.displayPath, message: "libxml2 could not start reading the file")
        }
        self.reader = reader
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            let errors = Unmanaged<XMLErrors>.fromOpaque(context).takeUnretainedValue()
            if errors.first == nil {
                let message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
                errors.first = (Int(error.pointee.line), Int(error.pointee.int2),
                                String(message.reversed().drop(while: \.isWhitespace).reversed()))
            }
        }, Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// The columns records are laid out in.
    public var header: [String] { builder.header }

    /// Replaces `batch` with the next records; returns false when the file has none left.
    public func next(into batch: inout RecordBatch) throws(AdapterError) -> Bool {
        batch.removeAll()
        while !finished, batch.count < configuration.batchSize {
            let status = xmlTextReaderRead(reader)
            if status == 0 {
                finished = true
                if recordDepth >= 0 { throw failure("the file ends inside a record") }
                break
            }
            if status < 0 {
                finished = true
                if let error = input.error { throw error }
                let detail = errors.first
                throw AdapterError(.malformed, file: file.displayPath, line: detail?.line, column: detail?.column,
                                   message: "malformed XML: \(detail?.message ?? "the parser stopped")")
            }
            try visit(into: &batch)
        }
        return !batch.isEmpty
    }

    private func visit(into batch: inout RecordBatch) throws(AdapterError) {
        let depth = xmlTextReaderDepth(reader)
        switch xmlTextReaderNodeType(reader) {
        case 10:  // DOCUMENT_TYPE
            throw failure("the file declares a DOCTYPE; DTDs and entities are not accepted (they can load files or "
                + "expand without bound). Export the data without a DOCTYPE")
        case 1:  // ELEMENT
            let name = string(xmlTextReaderConstLocalName(reader))
            let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
            if recordDepth < 0 {
                names.removeLast(max(0, names.count - Int(depth)))
                names.append(name)
                if isRecord(depth: depth) {
                    recordDepth = depth
                    // The element's own line; libxml2 knows no per-node byte offset, so the offset is
                    // how far the parser had read: the record lies before it.
                    let line = xmlTextReaderCurrentNode(reader).map { Int(xmlGetLineNo($0)) } ?? 0
                    recordOrigin = Provenance(line: line > 0 ? line : Int(xmlTextReaderGetParserLineNumber(reader)),
                                              byteOffset: Int64(xmlTextReaderByteConsumed(reader)))
                    readAttributes(prefix: nil)
                    if isEmpty { try finishRecord(into: &batch) }
                }
            } else if depth == recordDepth + 1 {
                field = name
                text.removeAll(keepingCapacity: true)
                readAttributes(prefix: name)
                if isEmpty { builder.set(key: name, value: []); field = nil }
            }
        case 3, 4, 13, 14:  // TEXT, CDATA, WHITESPACE, SIGNIFICANT_WHITESPACE
            if field != nil, let value = xmlTextReaderConstValue(reader) {
                text.append(contentsOf: UnsafeBufferPointer(start: value, count: Int(strlen(value))))
            }
        case 15:  // END_ELEMENT
            if recordDepth >= 0 {
                if depth == recordDepth + 1, let field {
                    builder.set(key: field, value: text)
                    self.field = nil
                } else if depth == recordDepth {
                    try finishRecord(into: &batch)
                }
            }
        default:
            break
        }
    }

    /// A record element: at the configured path, or any child of the root when none is configured.
    private func isRecord(depth: Int32) -> Bool {
        if configuration.recordPath.isEmpty { return depth == 1 }
        return Int(depth) + 1 == configuration.recordPath.count && names == configuration.recordPath
    }

    /// The current element's attributes become fields (`name` for a record's own, `child@name`
    /// for a field element's, which are kept with the unknown keys unless the catalog names them).
    private func readAttributes(prefix: String?) {
        guard xmlTextReaderHasAttributes(reader) == 1 else { return }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            let name = string(xmlTextReaderConstLocalName(reader))
            if name == "xmlns" || string(xmlTextReaderConstPrefix(reader)) == "xmlns" { continue }
            let value = xmlTextReaderConstValue(reader)
            let bytes = value.map { UnsafeBufferPointer(start: $0, count: Int(strlen($0))) } ?? UnsafeBufferPointer(start: nil, count: 0)
            builder.set(key: prefix.map { "\($0)@\(name)" } ?? name, value: bytes)
        }
        xmlTextReaderMoveToElement(reader)
    }

    /// The record's provenance is where its element starts (line, and the bytes consumed so far).
    private func finishRecord(into batch: inout RecordBatch) throws(AdapterError) {
        if let key = builder.oversized {
            builder.discard()
            throw AdapterError(.malformed, file: file.displayPath, line: recordOrigin.line,
                               message: "the value of <\(key.prefix(64))> in the record starting on line "
                                   + "\(recordOrigin.line) is longer than \(builder.maximumValueBytes) bytes; the export "
                                   + "is damaged (the item's max_field_bytes in the catalog sets the limit)")
        }
        builder.finish(into: &batch, origin: recordOrigin)
        recordDepth = -1
        field = nil
    }

    private func failure(_ message: String) -> AdapterError {
        AdapterError(.malformed, file: file.displayPath, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                     message: message)
    }

    private func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}

/// Hands libxml2 the byte source's bytes, keeping the first read error for the caller. Not
/// generic, so that libxml2's C callback can reach it.
final class XMLInput {
    let source: (UnsafeMutableRawBufferPointer) throws(AdapterError) -> Int
    var error: AdapterError?

    init(_ source: @escaping (UnsafeMutableRawBufferPointer) throws(AdapterError) -> Int) { self.source = source }

    func read(_ buffer: UnsafeMutableRawBufferPointer) -> Int32 {
        do throws(AdapterError) {
            return Int32(try source(buffer))
        } catch {
            self.error = error
            return -1
        }
    }
}

/// The first error libxml2 reported: line, column and message.
final class XMLErrors {
    var first: (line: Int, column: Int, message: String)?
}
