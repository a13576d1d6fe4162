import CreditCore

/// How a feed's JSON files hold their records.
public struct JSONConfiguration: Sendable, Hashable {
    /// Keys leading from the top-level object to the array of records (`data.list`); empty for a
    /// top-level array, or for JSON Lines (one object per line).
    public var recordPath: [String]
    public var batchSize: Int
    public var readSize: Int
    /// The largest record accepted, in bytes: a guard against a file that is one endless object.
    public var maximumRecordSize: Int

    public init(recordPath: [String] = [], batchSize: Int = 4096, readSize: Int = 1 << 20,
                maximumRecordSize: Int = 16 << 20) {
        self.recordPath = recordPath
        self.batchSize = max(batchSize, 1)
        self.readSize = max(readSize, 1)
        self.maximumRecordSize = maximumRecordSize
    }
}

/// Streams records out of JSON without loading the file: a top-level array of objects, JSON
/// Lines, or an array inside an envelope (`{"code":0,"data":{"list":[…]}}` with path `data.list`).
///
/// A byte-level scanner finds where each record object starts and ends (tracking strings and
/// nesting across read chunks); only the current record's bytes are held, then parsed into
/// fields. Numbers keep their exact text, so an 18-digit code sent as a number loses no digit.
/// Each record's provenance is the line and byte offset its `{` is on.
public struct JSONSource<Bytes: ByteSource>: ~Copyable {
    private var bytes: Bytes
    private let configuration: JSONConfiguration
    private let file: SourceFile
    private var builder: KeyedRecordBuilder
    /// The read buffer, owned: freed in `deinit`.
    private let buffer: UnsafeMutableRawBufferPointer
    private var bufferStart = 0, bufferEnd = 0, bufferOffset: Int64 = 0
    private var finished = false
    private var scanner = Scanner()
    private var record: [UInt8] = []
    private var recordOrigin = Provenance(line: 1, byteOffset: 0)
    private var parser = RecordParser()

    public init(bytes: Bytes, file: SourceFile, builder: KeyedRecordBuilder,
                configuration: JSONConfiguration = JSONConfiguration()) {
        self.bytes = bytes
        self.file = file
        self.builder = builder
        // A JSON object's keys are unique: a repeated one is refused, not joined.
        self.builder.joinsRepeatedKeys = false
        self.configuration = configuration
        buffer = .allocate(byteCount: configuration.readSize, alignment: 1)
        scanner.path = configuration.recordPath
    }

    deinit {
        buffer.deallocate()
    }

    /// The columns records are laid out in.
    public var header: [String] { builder.header }

    /// Replaces `batch` with the next records; returns false when the file has none left.
    public mutating func next(into batch: inout RecordBatch) throws(AdapterError) -> Bool {
        batch.removeAll()
        while batch.count < configuration.batchSize {
            if bufferStart == bufferEnd {
                if finished { break }
                let count = try bytes.read(into: buffer)
                if count == 0 {
                    finished = true
                    try scanner.finish(file: file)
                    break
                }
                bufferOffset += Int64(bufferEnd)
                bufferStart = 0
                bufferEnd = count
            }
            try scan(into: &batch)
        }
        return !batch.isEmpty
    }

    /// Feeds buffered bytes to the scanner until a batch is full or the buffer is used up.
    private mutating func scan(into batch: inout RecordBatch) throws(AdapterError) {
        while bufferStart < bufferEnd {
            if scanner.inRecord {
                // Inside a record, a tight loop over the buffer finds where it ends and copies the
                // span at once: the byte-at-a-time state machine is only for what lies between records.
                if try copyRecordSpan() {
                    try emit(into: &batch)
                    if batch.count >= configuration.batchSize { return }
                }
                continue
            }
            let byte = buffer[bufferStart]
            let offset = bufferOffset + Int64(bufferStart)
            bufferStart += 1
            let event = try scanner.feed(byte, offset: offset, file: file)
            switch event {
            case .none:
                if scanner.inRecord { try keep(byte) }
            case .recordStart(let origin):
                record.removeAll(keepingCapacity: true)
                recordOrigin = origin
                try keep(byte)
            case .recordEnd:
                try keep(byte)
                try emit(into: &batch)
                if batch.count >= configuration.batchSize { return }
            }
        }
    }

    /// Copies the current record's bytes from the buffer up to its closing brace or the buffer's
    /// end, tracking strings, nesting and lines as the scanner would. True when the record ended.
    private mutating func copyRecordSpan() throws(AdapterError) -> Bool {
        let start = bufferStart, end = bufferEnd
        var index = start
        var depth = scanner.recordDepth, inString = scanner.inString, escaped = scanner.escaped
        var ended = false
        var newlines = 0, lastNewline = -1
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[start..<end]).assumingMemoryBound(to: UInt8.self)
        var position = 0
        scanning: while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == 0x0A {
                newlines += 1
                lastNewline = position - 1
            }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x7B, 0x5B: depth += 1
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0 {
                    ended = true
                    break scanning
                }
            default: break
            }
        }
        index = start + position
        record.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<position]))
        try checkRecordSize()
        scanner.recordDepth = depth
        scanner.inString = inString
        scanner.escaped = escaped
        if newlines > 0 {
            scanner.line += newlines
            scanner.lineStart = bufferOffset + Int64(start + lastNewline) + 1
        }
        if ended { scanner.inRecord = false }
        bufferStart = index
        return ended
    }

    private mutating func keep(_ byte: UInt8) throws(AdapterError) {
        record.append(byte)
        try checkRecordSize()
    }

    private func checkRecordSize() throws(AdapterError) {
        if record.count > configuration.maximumRecordSize {
            throw AdapterError(.malformed, file: file.displayPath, line: recordOrigin.line,
                               message: "the record starting here is larger than \(configuration.maximumRecordSize) bytes; "
                                   + "is the file one endless object? Check `record_path` of its feed")
        }
    }

    private mutating func emit(into batch: inout RecordBatch) throws(AdapterError) {
        let origin = recordOrigin
        let displayPath = file.displayPath
        var failure: AdapterError?
        var repeated: String?
        // Parser and builder are moved out of `self` while the record's bytes are borrowed: a
        // closure touching `self` again would be an overlapping access (a runtime trap).
        var parser = RecordParser(), builder = KeyedRecordBuilder(columns: [], resolve: { _ in nil })
        swap(&parser, &self.parser)
        swap(&builder, &self.builder)
        defer {
            swap(&parser, &self.parser)
            swap(&builder, &self.builder)
        }
        record.withUnsafeBufferPointer { bytes in
            do throws(RecordParser.Failure) {
                try parser.parse(bytes) { key, value in
                    if !builder.set(key: key, value: value), repeated == nil { repeated = key }
                }
            } catch {
                failure = AdapterError(.malformed, file: displayPath, line: origin.line + error.lines,
                                       message: "\(error.message) (in the record starting on line \(origin.line))")
            }
        }
        if failure == nil, let key = builder.oversized {
            failure = AdapterError(.malformed, file: displayPath, line: origin.line,
                                   message: "the value of \"\(key.prefix(64))\" in the record starting on line "
                                       + "\(origin.line) is longer than \(builder.maximumValueBytes) bytes; the export is "
                                       + "damaged (the item's max_field_bytes in the catalog sets the limit)")
        }
        if failure == nil, let repeated {
            // The key is the export's schema, not a record value: it may be named.
            failure = AdapterError(.malformed, file: displayPath, line: origin.line,
                                   message: "the key \"\(repeated.prefix(64))\" appears twice in the record starting on line "
                                       + "\(origin.line); which value is meant cannot be told. Export each key once")
        }
        if let failure {
            builder.discard()
            throw failure
        }
        builder.finish(into: &batch, origin: origin)
    }
}

extension JSONSource {
    /// Finds record objects in the byte stream: navigates the envelope path, then reports where
    /// each element of the record array (or each top-level object, for JSON Lines) begins and ends.
    struct Scanner {
        enum Event { case none, recordStart(Provenance), recordEnd }

        enum Phase {
            /// Looking for the first significant byte.
            case start
            /// Inside envelope objects, looking for key `path[level]` at depth `level + 1`.
            case navigating
            /// Inside the record array, between records.
            case inArray
            /// Between top-level objects of a JSON Lines file.
            case lines
            /// After the record array closed: the rest is skipped.
            case after
        }

        var path: [String] = []
        var phase = Phase.start
        var level = 0
        var depth = 0
        var inString = false
        var escaped = false
        var inRecord = false
        var recordDepth = 0
        var line = 1
        var lineStart: Int64 = 0
        /// The key string being read while navigating, and whether the next value belongs to it.
        var key: [UInt8] = []
        var readingKey = false
        var expectKey = true
        var matched = false

        mutating func feed(_ byte: UInt8, offset: Int64, file: SourceFile) throws(AdapterError) -> Event {
            defer {
                if byte == 0x0A {
                    line += 1
                    lineStart = offset + 1
                }
            }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                    if readingKey { readingKey = false }
                } else if readingKey {
                    key.append(byte)
                }
                return .none
            }
            if Self.isSpace(byte) { return .none }
            if inRecord {
                switch byte {
                case 0x22: inString = true
                case 0x7B, 0x5B: recordDepth += 1
                case 0x7D, 0x5D:
                    recordDepth -= 1
                    if recordDepth == 0 {
                        inRecord = false
                        return .recordEnd
                    }
                default: break
                }
                return .none
            }
            switch phase {
            case .start:
                if byte == 0xEF || byte == 0xBB || byte == 0xBF { return .none }   // a UTF-8 byte-order mark
                if path.isEmpty {
                    if byte == 0x5B {
                        phase = .inArray
                        return .none
                    }
                    if byte == 0x7B {
                        phase = .lines
                        return startRecord(offset)
                    }
                } else if byte == 0x7B {
                    phase = .navigating
                    depth = 1
                    expectKey = true
                    return .none
                }
                throw error(file, offset, "expected \(path.isEmpty ? "`[` or `{`" : "`{`") at the start of the file")
            case .lines:
                if byte == 0x7B { return startRecord(offset) }
                throw error(file, offset, "expected `{` starting the next record (JSON Lines: one object per line)")
            case .inArray:
                switch byte {
                case 0x7B: return startRecord(offset)
                case 0x2C: return .none
                case 0x5D:
                    phase = .after
                    return .none
                default:
                    throw error(file, offset, "expected an object `{` as the next record of the array")
                }
            case .after:
                return .none
            case .navigating:
                return try navigate(byte, offset: offset, file: file)
            }
        }

        private mutating func startRecord(_ offset: Int64) -> Event {
            inRecord = true
            recordDepth = 1
            return .recordStart(Provenance(line: line, byteOffset: offset))
        }

        /// Walks the envelope: at the depth of the next path key, a matching key's value is entered
        /// (an object for an inner key, the array for the last); other values are skipped.
        private mutating func navigate(_ byte: UInt8, offset: Int64, file: SourceFile) throws(AdapterError) -> Event {
            let atLevel = depth == level + 1
            switch byte {
            case 0x22:
                inString = true
                if atLevel, expectKey {
                    readingKey = true
                    key.removeAll(keepingCapacity: true)
                }
            case 0x3A:
                if atLevel, expectKey {
                    expectKey = false
                    matched = String(decoding: key, as: UTF8.self) == path[level]
                }
            case 0x2C:
                if atLevel { expectKey = true; matched = false }
            case 0x7B, 0x5B:
                if atLevel, matched {
                    if level == path.count - 1 {
                        guard byte == 0x5B else { throw error(file, offset, "`\(path.joined(separator: "."))` is not an array") }
                        phase = .inArray
                        return .none
                    }
                    guard byte == 0x7B else {
                        throw error(file, offset, "`\(path[0...level].joined(separator: "."))` is not an object")
                    }
                    level += 1
                    depth += 1
                    expectKey = true
                    matched = false
                    return .none
                }
                depth += 1
            case 0x7D, 0x5D:
                depth -= 1
                if depth < level + 1 {
                    throw error(file, offset, "no `\(path.joined(separator: "."))` array in the file; check `record_path` of its feed")
                }
            default:
                break
            }
            return .none
        }

        mutating func finish(file: SourceFile) throws(AdapterError) {
            if inRecord || inString {
                throw AdapterError(.malformed, file: file.displayPath, line: line,
                                   message: "the file ends inside a record; it was probably cut off, send it again")
            }
            switch phase {
            case .start where !path.isEmpty, .navigating:
                throw AdapterError(.malformed, file: file.displayPath, line: line,
                                   message: "no `\(path.joined(separator: "."))` array in the file; check `record_path` of its feed")
            case .inArray:
                throw AdapterError(.malformed, file: file.displayPath, line: line,
                                   message: "the file ends before the record array is closed with `]`")
            default:
                break
            }
        }

        private func error(_ file: SourceFile, _ offset: Int64, _ message: String) -> AdapterError {
            AdapterError(.malformed, file: file.displayPath, line: line, column: Int(offset - lineStart) + 1, message: message)
        }

        static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
    }
}

/// Parses one record object from its bytes, handing each member to a closure: strings unescaped,
/// numbers and `true`/`false` as written, `null` as empty, nested values as their JSON text.
struct RecordParser {
    struct Failure: Error {
        var message: String
        /// Lines into the record where the problem is.
        var lines: Int
    }

    private var value: [UInt8] = []

    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ member: (String, UnsafeBufferPointer<UInt8>) -> Void)
        throws(Failure)
    {
        var index = 0
        func lines(_ upTo: Int) -> Int { bytes[0..<min(upTo, bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
        // `at` is passed, never captured: the helpers below hold `index` inout while they fail.
        func failure(_ message: String, at position: Int) -> Failure { Failure(message: message, lines: lines(position)) }
        func fail(_ message: String) -> Failure { failure(message, at: index) }
        func skipSpace() { while index < bytes.count, JSONSource<FileByteSource>.Scanner.isSpace(bytes[index]) { index += 1 } }
        func expect(_ byte: UInt8, _ what: String) throws(Failure) {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { throw fail("expected \(what)") }
            index += 1
        }
        try expect(0x7B, "`{`")
        skipSpace()
        if index < bytes.count, bytes[index] == 0x7D { return }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == 0x22 else { throw fail("expected a quoted key") }
            value.removeAll(keepingCapacity: true)
            try readString(bytes, &index, into: &value, failure)
            let key = String(decoding: value, as: UTF8.self)
            try expect(0x3A, "`:` after the key \"\(key)\"")
            skipSpace()
            value.removeAll(keepingCapacity: true)
            guard index < bytes.count else { throw fail("expected a value for \"\(key)\"") }
            switch bytes[index] {
            case 0x22:
                try readString(bytes, &index, into: &value, failure)
            case 0x7B, 0x5B:
                let start = index
                try skipNested(bytes, &index, failure)
                value.append(contentsOf: bytes[start..<index])
            default:
                let start = index
                while index < bytes.count, !JSONSource<FileByteSource>.Scanner.isSpace(bytes[index]),
                      bytes[index] != 0x2C, bytes[index] != 0x7D { index += 1 }
                let literal = bytes[start..<index]
                if literal.elementsEqual("null".utf8) {
                    // null: no value
                } else if literal.elementsEqual("true".utf8) || literal.elementsEqual("false".utf8)
                    || Self.isNumber(literal) {
                    value.append(contentsOf: literal)
                } else {
                    // The value is not echoed: it may be an ID number or a name.
                    throw fail("\"\(key)\" has a value that is not JSON (\(literal.count) characters unquoted; "
                        + "text must be in double quotes)")
                }
            }
            value.withUnsafeBufferPointer { member(key, $0) }
            skipSpace()
            guard index < bytes.count else { throw fail("expected `,` or `}`") }
            if bytes[index] == 0x2C {
                index += 1
                continue
            }
            guard bytes[index] == 0x7D else { throw fail("expected `,` or `}` after \"\(key)\"") }
            return
        }
    }

    private func readString(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, into output: inout [UInt8],
                            _ failure: (String, Int) -> Failure) throws(Failure) {
        func fail(_ message: String) -> Failure { failure(message, index) }
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x22: return
            case 0x5C:
                guard index < bytes.count else { throw fail("unfinished escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case 0x22, 0x5C, 0x2F: output.append(escape)
                case 0x62: output.append(0x08)
                case 0x66: output.append(0x0C)
                case 0x6E: output.append(0x0A)
                case 0x72: output.append(0x0D)
                case 0x74: output.append(0x09)
                case 0x75:
                    guard var scalar = Self.hex4(bytes, index) else { throw fail("bad \\u escape") }
                    index += 4
                    if (0xD800..<0xDC00).contains(scalar), index + 6 <= bytes.count, bytes[index] == 0x5C,
                       bytes[index + 1] == 0x75, let low = Self.hex4(bytes, index + 2), (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    output.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default:
                    throw fail("unknown escape \\\(String(UnicodeScalar(escape)))")
                }
            default:
                // Copy the run up to the next quote or backslash at once.
                var stop = index
                while stop < bytes.count, bytes[stop] != 0x22, bytes[stop] != 0x5C { stop += 1 }
                output.append(byte)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<stop]))
                index = stop
            }
        }
        throw fail("unterminated string")
    }

    private func skipNested(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int,
                            _ failure: (String, Int) -> Failure) throws(Failure) {
        func fail(_ message: String) -> Failure { failure(message, index) }
        var depth = 0, inString = false, escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x7B, 0x5B: depth += 1
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0 { return }
            default: break
            }
        }
        throw fail("unterminated nested value")
    }

    static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[at..<at + 4] {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A JSON number: `-?digits[.digits][e[+-]digits]`.
    static func isNumber<Text: Collection<UInt8>>(_ text: Text) -> Bool {
        var rest = text[...]
        if rest.first == 0x2D { rest = rest.dropFirst() }
        guard let first = rest.first, (0x30...0x39).contains(first) else { return false }
        return rest.allSatisfy { (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 || $0 == 0x2B || $0 == 0x2D }
    }
}
