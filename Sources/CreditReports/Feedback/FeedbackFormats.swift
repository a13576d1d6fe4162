import CreditCore
import Foundation

/// A feedback file in one of the departments' formats, written a record at a time: what comes
/// before the first record, each record, what comes after the last. A file of a million rejected
/// records is never held whole.
protocol FeedbackFormat {
    var opening: [UInt8] { get }
    /// One record: the department's values (in the archive's header order) and the added three.
    mutating func record(_ values: [String], added: [String]) -> [UInt8]
    var closing: [UInt8] { get }
}

/// CSV with the feed's delimiter: the department's own header, then the added columns.
struct FeedbackCSV: FeedbackFormat {
    let header: [String]
    let delimiter: UInt8
    /// How many of the archived values are the department's own (a file that was itself feedback
    /// carries the last feedback's three columns: replaced, not repeated).
    let own: Int

    init(header: [String], added: [String], delimiter: UInt8) {
        let earlier = FeedbackColumns.trailing(in: header)
        own = earlier.isEmpty ? header.count : earlier.lowerBound
        self.header = header.prefix(own) + added
        self.delimiter = delimiter
    }

    var opening: [UInt8] { CSVText.encode(header: header, rows: [[String]](), delimiter: delimiter) }

    func record(_ values: [String], added: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        CSVText.append(values.prefix(own) + added, delimiter: delimiter, to: &bytes)
        return bytes
    }

    var closing: [UInt8] { [] }
}

/// XML: the feed's record path (`/DATA/ROW`, else `DATA` and `ROW`), one element per non-empty
/// value; keys that are not XML names are kept as `<FIELD name="…">`.
struct FeedbackXML: FeedbackFormat {
    let columns: [String]
    let addedNames: [String]
    let containers: [String]
    let recordName: String
    let encoding: String

    init(columns: [String], added: [String], recordPath: String?, encoding: String) {
        self.columns = columns
        addedNames = added
        let path = recordPath?.split(separator: "/").map(String.init).filter { !$0.isEmpty } ?? []
        containers = path.count >= 2 ? Array(path.dropLast()) : ["DATA"]
        recordName = path.last ?? "ROW"
        self.encoding = encoding
    }

    var opening: [UInt8] {
        var text = "<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n"
        for (depth, name) in containers.enumerated() { text += String(repeating: "  ", count: depth) + "<\(name)>\n" }
        return Array(text.utf8)
    }

    func record(_ values: [String], added: [String]) -> [UInt8] {
        let indent = String(repeating: "  ", count: containers.count)
        var text = indent + "<\(recordName)>\n"
        for (key, value) in FeedbackJSON.pairs(columns: columns, row: values) + zip(addedNames, added).map({ ($0, $1) })
            where !value.isEmpty {
            if Self.isName(key) {
                text += indent + "  <\(key)>\(Self.escape(value))</\(key)>\n"
            } else {
                text += indent + "  <FIELD name=\"\(Self.escape(key))\">\(Self.escape(value))</FIELD>\n"
            }
        }
        return Array((text + indent + "</\(recordName)>\n").utf8)
    }

    var closing: [UInt8] {
        var text = ""
        for (depth, name) in containers.enumerated().reversed() {
            text += String(repeating: "  ", count: depth) + "</\(name)>\n"
        }
        return Array(text.utf8)
    }

    /// An XML name as element names need it (letters, including CJK, digits, `_`, `-`, `.`;
    /// not starting with a digit, `-`, `.` or `xml`).
    static func isName(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, !key.lowercased().hasPrefix("xml") else { return false }
        func letter(_ scalar: Unicode.Scalar) -> Bool { scalar == "_" || scalar.properties.isAlphabetic }
        return letter(first) && key.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
    }

    static func escape(_ value: String) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "\r": escaped += "&#13;"
            default:
                // Control characters XML 1.0 cannot carry are dropped; tab and line feed stay.
                if scalar.value < 0x20, scalar != "\t", scalar != "\n" { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

/// JSON: an array of objects (inside the feed's record path, `data.list`), or JSON Lines when the
/// department sent JSON Lines. Values are strings, as they were received.
struct FeedbackJSON: FeedbackFormat {
    let columns: [String]
    let addedNames: [String]
    let recordKeys: [String]
    let lines: Bool
    private var first = true

    init(columns: [String], added: [String], recordPath: String?, lines: Bool) {
        self.columns = columns
        addedNames = added
        recordKeys = lines ? [] : recordPath?.split(separator: ".").map(String.init) ?? []
        self.lines = lines
    }

    var opening: [UInt8] {
        guard !lines else { return [] }
        var bytes: [UInt8] = []
        for key in recordKeys {
            bytes.append(0x7B)
            JSONText.appendString(key, to: &bytes)
            bytes.append(contentsOf: Array(": ".utf8))
        }
        return bytes + Array("[\n".utf8)
    }

    mutating func record(_ values: [String], added: [String]) -> [UInt8] {
        var object: [UInt8] = lines ? [] : Array((first ? "  " : ",\n  ").utf8)
        first = false
        object.append(0x7B)
        var firstKey = true
        for (key, value) in Self.pairs(columns: columns, row: values) + zip(addedNames, added).map({ ($0, $1) })
            where !value.isEmpty {
            if !firstKey { object.append(contentsOf: Array(", ".utf8)) }
            firstKey = false
            JSONText.appendString(key, to: &object)
            object.append(contentsOf: Array(": ".utf8))
            JSONText.appendString(value, to: &object)
        }
        object.append(0x7D)
        if lines { object.append(0x0A) }
        return object
    }

    var closing: [UInt8] {
        guard !lines else { return [] }
        return Array("\n]".utf8) + Array(repeating: 0x7D, count: recordKeys.count) + [0x0A]
    }

    /// The row's values by key, with `_extra` (the unknown keys the department sent, as a JSON
    /// object) spread back into keys of their own.
    static func pairs(columns: [String], row: [String]) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for (key, value) in zip(columns, row) {
            if key == "_extra" {
                guard let data = value.data(using: .utf8),
                      let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { continue }
                for extraKey in object.keys.sorted() {
                    pairs.append((extraKey, object[extraKey].map { $0 as? String ?? "\($0)" } ?? ""))
                }
            } else {
                pairs.append((key, value))
            }
        }
        return pairs
    }
}

/// UTF-8 to a department's encoding with iconv (GB18030, GBK, GB2312, …), a chunk at a time
/// (these encodings carry no state between characters).
final class Transcoder {
    private let converter: iconv_t

    /// Nil when iconv does not know `encoding`.
    init?(to encoding: String) {
        let handle = iconv_open(encoding, "UTF-8")
        guard handle != iconv_t(bitPattern: -1) else { return nil }
        converter = handle!
    }

    deinit { iconv_close(converter) }

    /// `bytes` in the encoding, or nil when a character has no place in it.
    func convert(_ bytes: [UInt8]) -> [UInt8]? {
        guard !bytes.isEmpty else { return [] }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                var inPointer = source.baseAddress, inLeft = source.count
                var outPointer = target.baseAddress, outLeft = target.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return nil }
                return target.count - outLeft
            }
        }
        return written.map { output.prefix($0).map { UInt8(bitPattern: $0) } }
    }
}
