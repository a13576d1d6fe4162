/// A plain CSV reference table (no quoting: the derivation scripts refuse values that would need
/// it), read with its header checked so a column moved by hand is caught, not misread.
public struct ReferenceTable: Sendable {
    /// The file name the text came from, for messages.
    public let name: String
    public let columns: [Substring]
    private let text: String
    /// Each data row's fields as UTF-8 offsets into `text` (start, end; trimmed), row after row:
    /// one flat array instead of an array of substrings per row, which for the 7,000 division
    /// rows was a seventh of every command's start.
    private let bounds: [Int32]
    /// Each data row's 1-based line number.
    private let lines: [Int32]

    public init(name: String, text: String, columns expected: [String]) throws(ReferenceError) {
        self.name = name
        var text = text
        text.makeContiguousUTF8()
        self.text = text
        let width = expected.count
        var bounds: [Int32] = [], lines: [Int32] = []
        var header: [Substring] = []
        // Split on the UTF-8 bytes: a newline or a comma is one byte, never part of a character.
        let failure: ReferenceError? = text.utf8.withContiguousStorageIfAvailable { bytes -> ReferenceError? in
            var line = 0, start = 0
            var row: [Int32] = []
            while start < bytes.count {
                line += 1
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                row.removeAll(keepingCapacity: true)
                var field = start
                for index in start...end where index == end || bytes[index] == UInt8(ascii: ",") {
                    var first = field, last = index
                    while first < last, bytes[first] == UInt8(ascii: " ") { first += 1 }
                    while first < last, bytes[last - 1] == UInt8(ascii: " ") || bytes[last - 1] == UInt8(ascii: "\r") { last -= 1 }
                    row.append(Int32(first))
                    row.append(Int32(last))
                    field = index + 1
                }
                let empty = row.count == 2 && row[0] == row[1]
                if line == 1 {
                    header = stride(from: 0, to: row.count, by: 2).map { Self.substring(text, Int(row[$0]), Int(row[$0 + 1])) }
                    if header.count == 1 && header[0].isEmpty { return ReferenceError(file: name, line: 1, message: "the file is empty") }
                    guard header.map(String.init) == expected else {
                        return ReferenceError(file: name, line: 1, message: "the header must be `\(expected.joined(separator: ","))`")
                    }
                } else if !empty {
                    guard row.count == 2 * width else {
                        return ReferenceError(file: name, line: line, message: "expected \(width) fields, found \(row.count / 2)")
                    }
                    bounds += row
                    lines.append(Int32(line))
                }
                start = end + 1
            }
            return nil
        } ?? ReferenceError(file: name, line: 1, message: "the text is not contiguous UTF-8")
        if let failure { throw failure }
        guard !header.isEmpty else { throw ReferenceError(file: name, line: 1, message: "the file is empty") }
        columns = header
        self.bounds = bounds
        self.lines = lines
    }

    private static func substring(_ text: String, _ start: Int, _ end: Int) -> Substring {
        let utf8 = text.utf8
        return Substring(utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)])
    }

    /// The number of data rows.
    public var count: Int { lines.count }

    /// The 1-based line number of data row `row`.
    public func line(_ row: Int) -> Int { Int(lines[row]) }

    /// Field `column` of data row `row`, trimmed of spaces and a trailing CR.
    public func field(_ row: Int, _ column: Int) -> Substring {
        let slot = (row * columns.count + column) * 2
        return Self.substring(text, Int(bounds[slot]), Int(bounds[slot + 1]))
    }

    /// Data rows with their 1-based line numbers (the small tables; the division table reads
    /// ``field(_:_:)`` as it needs).
    public var rows: [(line: Int, fields: [Substring])] {
        (0..<count).map { row in (line(row), (0..<columns.count).map { field(row, $0) }) }
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
