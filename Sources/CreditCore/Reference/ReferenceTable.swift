/// A plain CSV reference table (no quoting: the derivation scripts refuse values that would need
/// it), read with its header checked so a column moved by hand is caught, not misread.
public struct ReferenceTable: Sendable {
    /// The file name the text came from, for messages.
    public let name: String
    public let columns: [Substring]
    /// Data rows with their 1-based line numbers.
    public let rows: [(line: Int, fields: [Substring])]

    public init(name: String, text: String, columns expected: [String]) throws(ReferenceError) {
        self.name = name
        // Split on the UTF-8 bytes: a newline or a comma is one byte, never part of a character,
        // and splitting 7,000 division rows by Characters cost a fifth of every command's start.
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
            .map { ($0.offset + 1, Substring($0.element)) }
        while let last = lines.last, last.1.isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw ReferenceError(file: name, line: 1, message: "the file is empty") }
        columns = Self.fields(header.1)
        guard columns.map(String.init) == expected else {
            throw ReferenceError(file: name, line: 1,
                                 message: "the header must be `\(expected.joined(separator: ","))`")
        }
        var rows: [(line: Int, fields: [Substring])] = []
        rows.reserveCapacity(lines.count)
        for (line, text) in lines.dropFirst() where !text.isEmpty {
            let fields = Self.fields(text)
            guard fields.count == expected.count else {
                throw ReferenceError(file: name, line: line,
                                     message: "expected \(expected.count) fields, found \(fields.count)")
            }
            rows.append((line, fields))
        }
        self.rows = rows
    }

    private static func fields(_ line: Substring) -> [Substring] {
        line.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { trimmed(Substring($0)) }
    }

    /// Without trailing CR and spaces, and leading spaces (bytes: both are ASCII).
    private static func trimmed(_ field: Substring) -> Substring {
        let bytes = field.utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == UInt8(ascii: " ") { start = bytes.index(after: start) }
        while start < end {
            let last = bytes[bytes.index(before: end)]
            guard last == UInt8(ascii: " ") || last == UInt8(ascii: "\r") else { break }
            end = bytes.index(before: end)
        }
        return Substring(bytes[start..<end])
    }
}

/// A reference table that cannot be used, with where and why.
public struct ReferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
