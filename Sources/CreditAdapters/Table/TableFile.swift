#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CreditCore
import Foundation

/// A list kept by hand (a CSV or an Excel workbook an office keeps its subjects in) read whole as
/// rows of text, each with its line (row number), for commands that take such a list rather than
/// a department's feed: `check-subjects`.
///
/// Lists are small (thousands of rows) and made by people, so each row is decoded on its own: a
/// CSV pasted together from a UTF-8 and a GB18030 file reads right row by row, and a row that
/// reads as neither is kept and flagged (``Row/undecodable``) instead of stopping the list.
public struct TableFile: Sendable {
    public enum Format: String, Sendable {
        case csv, xlsx
    }

    public struct Row: Sendable {
        /// The file's line (CSV) or the sheet's row number (XLSX) the row starts at.
        public var line: Int
        public var cells: [String]
        /// The encoding the row's bytes were read in, nil when they are plain ASCII (or XLSX,
        /// which is always Unicode).
        public var encoding: TextEncoding?
        /// True when a cell was valid in neither UTF-8 nor GB18030 (the bad bytes read as U+FFFD).
        public var undecodable = false

        public init(line: Int, cells: [String], encoding: TextEncoding? = nil) {
            self.line = line
            self.cells = cells
            self.encoding = encoding
        }

        /// The cell in `column`, "" past the row's end, trimmed of spaces.
        public subscript(column: Int) -> String {
            column < cells.count ? cells[column].trimmingSpaces : ""
        }
    }

    public var format: Format
    public var header: Row
    public var rows: [Row]
    /// The encoding most of the rows are in (a CSV's; nil when every row is ASCII or XLSX).
    public var encoding: TextEncoding?

    /// The most rows a list may hold: more is a backfill, not a list to check by hand.
    public static let maximumRows = 1_000_000

    /// The largest list file read: lists are kept by hand, and one is read whole.
    public static let maximumBytes = 256 << 20

    /// Reads `path`: a workbook when it is a zip (`.xlsx`), CSV otherwise. The file is opened
    /// once (a regular file, checked on its descriptor) and read whole, so what is parsed is what
    /// was checked. Rows with no text are left out; the first row with text is the header, and a
    /// list with no row after it is refused, not read as nothing to check.
    public static func read(path: String, displayPath: String? = nil) throws(AdapterError) -> TableFile {
        let shown = displayPath ?? path
        let bytes = try contents(path: path, displayPath: shown)
        var rows: [Row]
        let format: Format
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            format = .xlsx
            rows = try XLSXWorkbook.rows(data: Data(bytes), displayPath: shown).map { Row(line: $0.line, cells: $0.cells) }
        } else {
            format = .csv
            rows = try csvRows(bytes, path: path, displayPath: shown)
        }
        rows.removeAll { row in row.cells.allSatisfy { $0.trimmingSpaces.isEmpty } }
        guard !rows.isEmpty else {
            throw AdapterError(.noHeader, file: shown, message: "the list is empty; its first row must name the columns "
                               + "(统一社会信用代码, 名称)")
        }
        guard rows.count <= maximumRows + 1 else {
            throw AdapterError(.malformed, file: shown, message: "the list has more than \(maximumRows) rows; split it")
        }
        var header = rows.removeFirst()
        guard !rows.isEmpty else {
            throw AdapterError(.malformed, file: shown, line: header.line,
                               message: "the list has a header and no row under it; nothing to check")
        }
        if let first = header.cells.first, first.hasPrefix("\u{FEFF}") { header.cells[0] = String(first.dropFirst()) }
        var counts: [TextEncoding: Int] = [:]
        for row in rows { if let encoding = row.encoding { counts[encoding, default: 0] += 1 } }
        let encoding = counts.max { ($0.value, $0.key == .utf8 ? 1 : 0) < ($1.value, $1.key == .utf8 ? 1 : 0) }?.key
        return TableFile(format: format, header: header, rows: rows, encoding: encoding)
    }

    /// The file's bytes, read through one descriptor; refused beyond ``maximumBytes``.
    static func contents(path: String, displayPath: String) throws(AdapterError) -> [UInt8] {
        let source = try FileByteSource(path: path, displayPath: displayPath, followingLinks: true)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            var count = 0, failure: AdapterError?
            chunk.withUnsafeMutableBytes { buffer in
                do throws(AdapterError) { count = try source.read(into: buffer) } catch { failure = error }
            }
            if let failure { throw failure }
            if count == 0 { return bytes }
            guard bytes.count + count <= maximumBytes else {
                throw AdapterError(.malformed, file: displayPath, message: "the list is larger than \(maximumBytes >> 20) MiB; split it")
            }
            bytes += chunk[..<count]
        }
    }

    /// A CSV's rows through libcsv on the raw bytes (a delimiter or quote is the same byte in UTF-8
    /// and GB18030), each cell then decoded by its row's encoding.
    static func csvRows(_ bytes: [UInt8], path: String, displayPath: String) throws(AdapterError) -> [Row] {
        // A header of our own goes first, so the list's own header comes out as a record, in
        // bytes like the rows (the reader's header is text, its invalid bytes already replaced).
        var source = try CSVSource(bytes: MemoryBytes(bytes: Array("list\n".utf8) + bytes),
                                   file: SourceFile(path: path, displayPath: displayPath))
        let decoder = try GB18030Decoder(file: displayPath)
        var rows: [Row] = []
        func row(_ cells: [[UInt8]], line: Int) -> Row {
            let utf8 = cells.allSatisfy { UTF8Scan($0[...]).end == .whole }
            let ascii = cells.allSatisfy { $0.allSatisfy { $0 < 0x80 } }
            if utf8 {
                return Row(line: line, cells: cells.map { String(decoding: $0, as: UTF8.self) }, encoding: ascii ? nil : .utf8)
            }
            var decoded = Row(line: line, cells: [], encoding: .gb18030)
            for cell in cells {
                if let text = decoder.decode(cell) {
                    decoded.cells.append(text)
                } else {
                    decoded.cells.append(String(decoding: cell, as: UTF8.self))
                    decoded.undecodable = true
                }
            }
            return decoded
        }
        _ = try source.header()
        var batch = RecordBatch()
        while try source.next(into: &batch) {
            batch.withFields { fields in
                for record in 0..<fields.count {
                    let cells = (0..<fields.fieldCount(record)).map { fields.field(record, column: $0).map(Array.init) ?? [] }
                    rows.append(row(cells, line: batch.provenance[record].line - 1))
                }
            }
            guard rows.count <= maximumRows + 1 else { break }
        }
        return rows
    }
}

/// Bytes already in memory, handed out in the reader's chunks.
struct MemoryBytes: ByteSource {
    var bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(AdapterError) -> Int {
        let count = min(bytes.count - offset, buffer.count)
        buffer.copyBytes(from: bytes[offset..<offset + count])
        offset += count
        return count
    }
}

extension String {
    /// Without leading and trailing spaces (ASCII and full-width) and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0 == "\u{A0}" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// GB18030 (and so GBK, GB2312) bytes to text with iconv, one value at a time: nil when the
/// bytes are not GB18030.
final class GB18030Decoder {
    private let converter: iconv_t

    init(file: String) throws(AdapterError) {
        let handle = iconv_open("UTF-8", "GB18030")
        if handle == iconv_t(bitPattern: -1) {
            throw AdapterError(.readFailed, file: file, message: "this system cannot convert GB18030 (iconv_open failed)")
        }
        converter = handle!
    }

    deinit {
        iconv_close(converter)
    }

    func decode(_ bytes: [UInt8]) -> String? {
        guard !bytes.isEmpty else { return "" }
        iconv(converter, nil, nil, nil, nil)
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 8)
        let outputCount = output.count
        let result: (Int, Int, Int) = input.withUnsafeMutableBytes { inBuffer in
            output.withUnsafeMutableBytes { outBuffer in
                var inPointer = inBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let status = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return (status == -1 ? -1 : 0, inLeft, outLeft)
            }
        }
        guard result.0 == 0, result.1 == 0 else { return nil }
        return String(decoding: output[0..<(outputCount - result.2)], as: UTF8.self)
    }
}
