import CreditCore
import Foundation

/// A feedback file as XML: the feed's record path (`/DATA/ROW`, else `DATA` and `ROW`), one
/// element per non-empty value; keys that are not XML names (and `_extra`'s unknown keys) are
/// kept as they came where they can be, else under `<FIELD name="…">`.
enum FeedbackXML {
    static func encode(columns: [String], rows: [[String]], added: [String], addedValues: [[String]],
                       recordPath: String?, encoding: String) -> [UInt8] {
        let path = recordPath?.split(separator: "/").map(String.init).filter { !$0.isEmpty } ?? []
        let containers = path.count >= 2 ? Array(path.dropLast()) : ["DATA"]
        let record = path.last ?? "ROW"
        var text = "<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n"
        for (depth, name) in containers.enumerated() {
            text += String(repeating: "  ", count: depth) + "<\(name)>\n"
        }
        let indent = String(repeating: "  ", count: containers.count)
        for (row, extra) in zip(rows, addedValues) {
            text += indent + "<\(record)>\n"
            for (key, value) in FeedbackJSON.pairs(columns: columns, row: row) + zip(added, extra).map({ ($0, $1) })
                where !value.isEmpty {
                if isName(key) {
                    text += indent + "  <\(key)>\(escape(value))</\(key)>\n"
                } else {
                    text += indent + "  <FIELD name=\"\(escape(key))\">\(escape(value))</FIELD>\n"
                }
            }
            text += indent + "</\(record)>\n"
        }
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

/// A feedback file as JSON: an array of objects (inside the feed's record path, `data.list`), or
/// JSON Lines when the department sent JSON Lines. Values are strings, as they were received.
enum FeedbackJSON {
    static func encode(columns: [String], rows: [[String]], added: [String], addedValues: [[String]],
                       recordPath: String?, lines: Bool) -> [UInt8] {
        var objects: [[UInt8]] = []
        for (row, extra) in zip(rows, addedValues) {
            var object: [UInt8] = [0x7B]
            var first = true
            for (key, value) in pairs(columns: columns, row: row) + zip(added, extra).map({ ($0, $1) }) where !value.isEmpty {
                if !first { object.append(contentsOf: Array(", ".utf8)) }
                first = false
                JSONText.appendString(key, to: &object)
                object.append(contentsOf: Array(": ".utf8))
                JSONText.appendString(value, to: &object)
            }
            object.append(0x7D)
            objects.append(object)
        }
        var bytes: [UInt8] = []
        if lines {
            for object in objects { bytes += object + [0x0A] }
            return bytes
        }
        let keys = recordPath?.split(separator: ".").map(String.init) ?? []
        for key in keys {
            bytes.append(0x7B)
            JSONText.appendString(key, to: &bytes)
            bytes.append(contentsOf: Array(": ".utf8))
        }
        bytes.append(contentsOf: Array("[\n".utf8))
        for (index, object) in objects.enumerated() {
            bytes += Array("  ".utf8) + object + Array((index + 1 < objects.count ? ",\n" : "\n").utf8)
        }
        bytes.append(0x5D)
        bytes += Array(repeating: 0x7D, count: keys.count)
        bytes.append(0x0A)
        return bytes
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

/// UTF-8 to a department's encoding with iconv (GB18030, GBK, GB2312, …).
enum Transcoding {
    /// The bytes in `encoding`, or nil when iconv does not know it or a character has no place in it.
    static func fromUTF8(_ bytes: [UInt8], to encoding: String) -> [UInt8]? {
        let converter = iconv_open(encoding, "UTF-8")
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
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
        guard let written else { return nil }
        return output.prefix(written).map { UInt8(bitPattern: $0) }
    }
}
