import CLibCSV
import CreditCore

/// Streams records out of a CSV file through libcsv, in batches, with each record's line and
/// byte offset.
///
/// The first record is the header. Quoted fields may hold delimiters, doubled quotes and line
/// breaks. Parsing is strict: a stray quote or an unterminated quoted field stops the file with
/// an ``AdapterError`` naming the line and column. Memory stays flat whatever the file size:
/// one read buffer and one batch, both reused.
///
/// ```swift
/// var source = try CSVSource(bytes: FileByteSource(path: path), file: file)
/// let header = try source.header()
/// var batch = RecordBatch()
/// while try source.next(into: &batch) { /* validate, archive */ }
/// ```
public struct CSVSource<Bytes: ByteSource>: ~Copyable {
    private var bytes: Bytes
    private let configuration: CSVConfiguration
    private let state: CSVParseState
    private var finished = false
    private var headerFields: [String]?

    public init(bytes: Bytes, file: SourceFile, configuration: CSVConfiguration = CSVConfiguration())
        throws(AdapterError)
    {
        self.bytes = bytes
        self.configuration = configuration
        self.state = try CSVParseState(file: file, configuration: configuration)
    }

    /// The header row's names, read on first call.
    public mutating func header() throws(AdapterError) -> [String] {
        if let headerFields { return headerFields }
        var scratch = RecordBatch()
        state.recordLimit = 1
        let found = try fill(&scratch)
        state.recordLimit = configuration.batchSize
        guard found else {
            throw AdapterError(.noHeader, file: state.file.displayPath, line: 1,
                               message: "the file has no header row; the first line must name the columns")
        }
        // One line per segment gives one record at most; more would be records read and dropped.
        guard scratch.count == 1 else {
            throw AdapterError(.malformed, file: state.file.displayPath, line: 1,
                               message: "the header row could not be told apart from the records after it; "
                                   + "this is a bug, please report it with the file's first lines")
        }
        let names = scratch.withFields { fields in
            (0..<fields.fieldCount(0)).map { column in
                fields.field(0, column: column).map { ByteText.string(ByteText.trimmed($0)) } ?? ""
            }
        }
        state.headerLine = scratch.provenance[0].line
        headerFields = names
        return names
    }

    /// Line number of the header row (after ``header()``).
    public var headerLine: Int { state.headerLine }

    /// Replaces `batch` with the next records; returns false when the file has none left.
    public mutating func next(into batch: inout RecordBatch) throws(AdapterError) -> Bool {
        if headerFields == nil { _ = try header() }
        batch.removeAll()
        return try fill(&batch)
    }

    private mutating func fill(_ batch: inout RecordBatch) throws(AdapterError) -> Bool {
        swap(&state.batch, &batch)
        defer { swap(&state.batch, &batch) }
        while state.batch.count < state.recordLimit, state.batch.byteCount < configuration.maximumBatchBytes, !finished {
            if state.pending.isEmpty {
                let count = try bytes.read(into: state.buffer)
                if count == 0 {
                    try state.finish()
                    finished = true
                    break
                }
                state.pending = 0..<count
            }
            try state.feed(until: state.recordLimit, bytes: configuration.maximumBatchBytes)
        }
        return !state.batch.isEmpty
    }
}

/// libcsv's parser and the bookkeeping its callbacks need: where lines and records start.
///
/// A class because libcsv calls back through a context pointer.
final class CSVParseState {
    let file: SourceFile
    var parser = csv_parser()
    var batch = RecordBatch()
    var recordLimit: Int
    let maximumFieldBytes: Int
    /// Bytes handed to libcsv since it last ended a field: the value it is holding grows with it.
    var bytesSinceField = 0
    /// Fields ended so far, to tell whether a segment ended one.
    var fieldsEnded = 0
    var headerLine = 1
    /// The read buffer, reused for the whole file.
    let buffer: UnsafeMutableRawBufferPointer
    /// The part of the read buffer not yet handed to libcsv.
    var pending: Range<Int> = 0..<0

    /// Line the next byte belongs to, and the file offset where that line starts.
    var line = 1
    var lineStart: Int64 = 0
    /// File offset of `pending.lowerBound` in the read buffer.
    var offset: Int64 = 0
    var atFileStart = true
    /// The last segment ended with a carriage return at the end of the read buffer: whether the
    /// line also ends with the next byte (CRLF) or ended there (a CR-only file) is decided by
    /// that byte.
    var carriageReturnPending = false
    /// A record has started and not yet been closed by libcsv.
    var inRecord = false
    var recordStart = Provenance(line: 1, byteOffset: 0)

    /// Whether a bare quote stops the file (``CSVConfiguration/strictQuotes``).
    let strictQuotes: Bool
    /// The record being read had a bare quote, read literally.
    var recordHasBareQuote = false

    init(file: SourceFile, configuration: CSVConfiguration) throws(AdapterError) {
        self.file = file
        strictQuotes = configuration.strictQuotes
        self.recordLimit = configuration.batchSize
        self.maximumFieldBytes = configuration.maximumFieldBytes
        self.buffer = .allocate(byteCount: configuration.readSize, alignment: 16)
        if csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) != 0 {
            throw AdapterError(.readFailed, file: file.displayPath, message: "out of memory starting the CSV parser")
        }
        csv_set_delim(&parser, configuration.delimiter)
        csv_set_quote(&parser, configuration.quote)
    }

    deinit {
        csv_free(&parser)
        buffer.deallocate()
    }

    /// Hands buffered bytes to libcsv one line at a time, so that every record knows the line
    /// it starts on, until `limit` records are in the batch or the buffer is used up.
    func feed(until limit: Int, bytes byteLimit: Int = .max) throws(AdapterError) {
        let bytes = UnsafeBufferPointer(buffer.bindMemory(to: UInt8.self))
        var start = pending.lowerBound
        let end = pending.upperBound
        if atFileStart {
            atFileStart = false
            // A UTF-8 byte-order mark is not part of the first column's name.
            if end - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF {
                start += 3
                offset += 3
                lineStart = 3
            }
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        while start < end, batch.count < limit, batch.byteCount < byteLimit {
            // One line per segment, whatever ends it: LF, CRLF, or a lone CR (old Mac and some
            // Excel exports). libcsv ends a record at each of them, and a segment holding several
            // lines would end several records at once, past the batch's limit and its line numbers.
            let lineEnds: Bool
            let segmentEnd: Int
            if carriageReturnPending {
                carriageReturnPending = false
                if bytes[start] == 0x0A {
                    // The LF of a CRLF cut by the read buffer: the line ends with it.
                    segmentEnd = start + 1
                    lineEnds = true
                } else {
                    // The CR ended the line on its own.
                    line += 1
                    lineStart = offset
                    continue
                }
            } else {
                var newline = start
                while newline < end, bytes[newline] != 0x0A, bytes[newline] != 0x0D { newline += 1 }
                if newline == end {
                    segmentEnd = end
                    lineEnds = false
                } else if bytes[newline] == 0x0A {
                    segmentEnd = newline + 1
                    lineEnds = true
                } else if newline + 1 < end {
                    segmentEnd = bytes[newline + 1] == 0x0A ? newline + 2 : newline + 1
                    lineEnds = true
                } else {
                    segmentEnd = end
                    lineEnds = false
                    carriageReturnPending = true
                }
            }
            if !inRecord, Self.hasContent(bytes, start, segmentEnd) {
                inRecord = true
                recordStart = Provenance(line: line, byteOffset: lineStart)
            }
            let length = segmentEnd - start
            let endedBefore = fieldsEnded
            var parsed = csv_parse(&parser, bytes.baseAddress! + start, length,
                                   csvFieldCallback, csvRecordCallback, context)
            // A quote inside an unquoted value (`12"`, `37°36'37.8"N`): strict libcsv stops at it,
            // with its state kept. It is handed over again on its own without strict mode, which
            // takes it literally, and the rest of the line goes on strictly.
            while parsed != length, !strictQuotes, isBareQuote(at: start + parsed, in: bytes) {
                parser.status = 0
                guard csv_set_opts(&parser, 0) == 0 else { break }
                let quote = csv_parse(&parser, bytes.baseAddress! + start + parsed, 1, csvFieldCallback, csvRecordCallback,
                                      context)
                guard csv_set_opts(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0, quote == 1 else {
                    throw AdapterError(.readFailed, file: file.displayPath, line: line,
                                       message: "the CSV parser could not take a quote inside a value literally; "
                                           + "this is a bug, please report it")
                }
                recordHasBareQuote = true
                parsed += 1
                if parsed < length {
                    parsed += csv_parse(&parser, bytes.baseAddress! + start + parsed, length - parsed, csvFieldCallback,
                                        csvRecordCallback, context)
                }
            }
            if parsed != length {
                throw malformed(at: start + parsed, in: bytes, segmentStart: start)
            }
            if let line = oversizedFieldLine { throw oversized(line) }
            bytesSinceField = fieldsEnded == endedBefore ? bytesSinceField + length : 0
            if bytesSinceField > maximumFieldBytes { throw oversized(recordStart.line) }
            offset += Int64(length)
            start = segmentEnd
            if lineEnds {
                line += 1
                lineStart = offset
            }
        }
        pending = start..<end
    }

    /// Flushes the last record (a file need not end with a line break).
    func finish() throws(AdapterError) {
        if carriageReturnPending {
            carriageReturnPending = false
            line += 1
            lineStart = offset
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        if csv_fini(&parser, csvFieldCallback, csvRecordCallback, context) != 0 {
            throw AdapterError(.malformed, file: file.displayPath, line: recordStart.line,
                               message: "unterminated quoted field: a quote opened in the record starting on line "
                                   + "\(recordStart.line) is never closed; close the quote or double (\"\") quotes inside the value")
        }
        if let line = oversizedFieldLine { throw oversized(line) }
    }

    /// The line of the record whose value passed `maximumFieldBytes`, noted by the callback
    /// (which cannot throw) and thrown once libcsv returns.
    var oversizedFieldLine: Int?

    func fieldEnded(_ field: UnsafeRawBufferPointer) {
        fieldsEnded &+= 1
        // Every value is held to the limit, not only one still open when a read ends: a 900 KiB
        // value inside one read used to be archived.
        if field.count > maximumFieldBytes, oversizedFieldLine == nil { oversizedFieldLine = recordStart.line }
        batch.appendField(field)
    }

    private func oversized(_ line: Int) -> AdapterError {
        AdapterError(.malformed, file: file.displayPath, line: line,
                     message: "a value in the record starting on line \(line) is longer than \(maximumFieldBytes) bytes; "
                         + "if a quote was left open, close it, otherwise the export is damaged (the item's "
                         + "max_field_bytes in the catalog sets the limit)")
    }

    func recordEnded() {
        batch.finishRecord(recordStart)
        if recordHasBareQuote {
            batch.bareQuoteRecords.append(batch.count - 1)
            recordHasBareQuote = false
        }
        inRecord = false
    }

    /// Whether strict libcsv stopped at a quote inside an unquoted value (libcsv's FIELD_BEGUN
    /// state, not quoted): what a spreadsheet reads as a literal quote.
    private func isBareQuote(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        index < bytes.count && bytes[index] == parser.quote_char && csv_error(&parser) == CSV_EPARSE
            && parser.quoted == 0 && parser.pstate == 2
    }

    private func malformed(at index: Int, in bytes: UnsafeBufferPointer<UInt8>, segmentStart: Int) -> AdapterError {
        if csv_error(&parser) == CSV_ENOMEM {
            return AdapterError(.readFailed, file: file.displayPath, line: line,
                                message: "out of memory holding one field; the file may lack line breaks")
        }
        // Column in characters from the start of the line, when the line start is in the buffer.
        let lineOffsetInBuffer = Int(lineStart - offset) + segmentStart
        var column: Int?
        if lineOffsetInBuffer >= 0 {
            column = 1 + (lineOffsetInBuffer..<index).reduce(0) { count, position in
                count + ((bytes[position] & 0xC0) == 0x80 ? 0 : 1)
            }
        }
        let found = index < bytes.count ? bytes[index] : 0
        var what = found == UInt8(ascii: "\"")
            ? "unexpected quote; quotes inside a value must be doubled (\"\") and the value quoted"
            : "unexpected character after a closing quote; a quoted value must end at a delimiter or line end"
        if recordStart.line < line {
            // A quote left open earlier swallows lines until the next quote; say where it began.
            what += "; the record began on line \(recordStart.line): a quote opened there may never be closed"
        }
        return AdapterError(.malformed, file: file.displayPath, line: line, column: column, message: what)
    }

    private static func hasContent(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte != 0x0A, byte != 0x0D, byte != 0x20, byte != 0x09 { return true }
            index += 1
        }
        return false
    }
}

private func csvFieldCallback(_ field: UnsafeMutableRawPointer?, _ length: Int, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    let state = Unmanaged<CSVParseState>.fromOpaque(context).takeUnretainedValue()
    state.fieldEnded(UnsafeRawBufferPointer(start: field, count: field == nil ? 0 : length))
}

private func csvRecordCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    Unmanaged<CSVParseState>.fromOpaque(context).takeUnretainedValue().recordEnded()
}
