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
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { ($0.offset + 1, $0.element) }
        while let last = lines.last, last.1.isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw ReferenceError(file: name, line: 1, message: "the file is empty") }
        columns = header.1.split(separator: ",", omittingEmptySubsequences: false).map(Self.trimmed)
        guard columns.map(String.init) == expected else {
            throw ReferenceError(file: name, line: 1,
                                 message: "the header must be `\(expected.joined(separator: ","))`")
        }
        var rows: [(line: Int, fields: [Substring])] = []
        rows.reserveCapacity(lines.count)
        for (line, text) in lines.dropFirst() where !text.isEmpty {
            let fields = text.split(separator: ",", omittingEmptySubsequences: false).map(Self.trimmed)
            guard fields.count == expected.count else {
                throw ReferenceError(file: name, line: line,
                                     message: "expected \(expected.count) fields, found \(fields.count)")
            }
            rows.append((line, fields))
        }
        self.rows = rows
    }

    private static func trimmed(_ field: Substring) -> Substring {
        var field = field
        while let last = field.last, last == "\r" || last == " " { field.removeLast() }
        while let first = field.first, first == " " { field.removeFirst() }
        return field
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
