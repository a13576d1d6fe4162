import CreditArchive
import CreditCore
import Foundation

/// Values in the text forms PostgreSQL's `COPY` and array parameters take, written into reused
/// byte buffers: what the archive's bulk loads are built from, without a `String` per value.
enum PostgresCopyText {
    /// Texts as one array literal parameter (`{"a","b"}`), quotes and backslashes escaped.
    static func textArray(_ values: [String]) -> String {
        var literal = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { literal += "," }
            literal += "\"" + value.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return literal + "}"
    }

    /// `ARRAY(...)` of the bytea values in a comma-separated hex parameter `$n`.
    static func byteaArray(_ parameter: Int) -> String {
        "ARRAY(SELECT decode(h, 'hex') FROM unnest(string_to_array($\(parameter), ',')) AS h)"
    }

    /// Digests as one comma-separated hex parameter.
    static func hexList(_ digests: [KeyDigest]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digests.count * 33)
        for (index, digest) in digests.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            appendHex(digest, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    @inline(__always)
    static func appendHex(_ digest: KeyDigest, to buffer: inout [UInt8]) {
        for word in [digest.high, digest.low] {
            var shift: UInt64 = 60
            for _ in 0..<16 {
                buffer.append(hexDigits[Int((word >> shift) & 0xF)])
                shift &-= 4
            }
        }
    }

    /// A digest as a bytea value in COPY's text format (`\\x` and 32 hex digits: the backslash
    /// doubled, since COPY unescapes it first).
    @inline(__always)
    static func appendBytea(_ digest: KeyDigest, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: [0x5C, 0x5C, 0x78])
        appendHex(digest, to: &buffer)
    }

    @inline(__always)
    static func appendNumber(_ value: Int64, to buffer: inout [UInt8]) {
        if value == 0 {
            buffer.append(0x30)
            return
        }
        var magnitude = value.magnitude
        if value < 0 { buffer.append(0x2D) }
        let start = buffer.count
        while magnitude > 0 {
            buffer.append(UInt8(0x30 + magnitude % 10))
            magnitude /= 10
        }
        buffer[start...].reverse()
    }
}
