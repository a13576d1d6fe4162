/// Byte-level text operations on UTF-8 field values, shared by validation and normalization.
///
/// They work on `UnsafeBufferPointer<UInt8>` views into a batch so that checking a field never
/// allocates a `String`.
public enum ByteText {
    /// The value without surrounding white space: ASCII space, tab, CR, LF, no-break space
    /// (U+00A0) and the ideographic space (U+3000) that office software puts in Chinese text.
    @inlinable
    public static func trimmed(_ value: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = value.count
        while start < end {
            let width = whitespaceWidth(value, at: start)
            if width == 0 { break }
            start += width
        }
        while end > start {
            let width = whitespaceWidthBefore(value, end: end)
            if width == 0 { break }
            end -= width
        }
        return UnsafeBufferPointer(rebasing: value[start..<end])
    }

    /// Width in bytes of the white-space character starting at `index`, or 0.
    @inlinable
    public static func whitespaceWidth(_ value: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = value[index]
        if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { return 1 }
        if byte == 0xC2, index + 1 < value.count, value[index + 1] == 0xA0 { return 2 }
        if byte == 0xE3, index + 2 < value.count, value[index + 1] == 0x80, value[index + 2] == 0x80 { return 3 }
        return 0
    }

    @inlinable
    static func whitespaceWidthBefore(_ value: UnsafeBufferPointer<UInt8>, end: Int) -> Int {
        let byte = value[end - 1]
        if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { return 1 }
        if byte == 0xA0, end >= 2, value[end - 2] == 0xC2 { return 2 }
        if byte == 0x80, end >= 3, value[end - 3] == 0xE3, value[end - 2] == 0x80 { return 3 }
        return 0
    }

    /// Appends `value` with full-width ASCII forms (U+FF01–U+FF5E, e.g. `９` or `Ａ`) folded to
    /// their ASCII twins, and the ideographic space to a plain space.
    @inlinable
    public static func appendFoldingFullWidth(_ value: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        let base = output.count
        output.append(contentsOf: repeatElement(0, count: value.count))
        let written = output.withUnsafeMutableBufferPointer { buffer in
            foldFullWidth(value, into: UnsafeMutableBufferPointer(rebasing: buffer[base...]))
        }
        output.removeLast(value.count - written)
    }

    /// Writes `value` folded as by ``appendFoldingFullWidth(_:to:)`` into `output`, which must be
    /// at least as long as `value`; returns the number of bytes written. Folding never grows.
    @inlinable
    public static func foldFullWidth(_ value: UnsafeBufferPointer<UInt8>,
                                     into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var index = 0, written = 0
        let count = value.count
        while index < count {
            let byte = value[index]
            var folded = byte, width = 1
            if byte == 0xEF, index + 2 < count {
                let b1 = value[index + 1], b2 = value[index + 2]
                if b1 == 0xBC, b2 >= 0x81, b2 <= 0xBF {
                    folded = b2 - 0x81 + 0x21
                    width = 3
                } else if b1 == 0xBD, b2 >= 0x80, b2 <= 0x9E {
                    folded = b2 - 0x80 + 0x60
                    width = 3
                }
            } else if byte == 0xE3, index + 2 < count, value[index + 1] == 0x80, value[index + 2] == 0x80 {
                folded = 0x20
                width = 3
            }
            output[written] = folded
            written += 1
            index += width
        }
        return written
    }

    /// True when `a` and `b` hold the same bytes.
    @inlinable
    public static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return memcmpEqual(a, b)
    }

    @inlinable
    static func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < a.count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    /// The value as a `String` (invalid UTF-8 is repaired with U+FFFD): for what is kept.
    @inlinable
    public static func string(_ value: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: value, as: UTF8.self)
    }
}

/// The spellings departments use for "no value" (`""`, `/`, `-`, `无`, `空`, `null`).
///
/// A required field holding one of these is missing; normalization archives it as NULL.
public struct EmptyTokens: Sendable, Hashable {
    public private(set) var tokens: [[UInt8]]

    public static let standard = EmptyTokens(["/", "-", "无", "空", "null", "NULL", "Null"])

    public init(_ tokens: [String]) {
        self.tokens = tokens.map { Array($0.utf8) }
    }

    /// True when the trimmed value is empty or one of the tokens.
    @inlinable
    public func isEmpty(_ trimmed: UnsafeBufferPointer<UInt8>) -> Bool {
        if trimmed.isEmpty { return true }
        if trimmed.count > 4 { return false }
        for token in tokens where token.count == trimmed.count {
            if token.withUnsafeBufferPointer({ ByteText.equal($0, trimmed) }) { return true }
        }
        return false
    }
}

/// The canonical form of a code: half-width, upper case, without spaces or tabs, and for the
/// identifier standards without hyphens too (`９１３３-0200 ma2el6266c` → `91330200MA2EL6266C`).
/// Other codes (certificate numbers) keep their hyphens, which may belong to the number.
public enum CodeCanonicalForm {
    @inlinable
    public static func append(_ value: UnsafeBufferPointer<UInt8>, removingHyphens: Bool = true,
                              to output: inout [UInt8]) {
        let base = output.count
        ByteText.appendFoldingFullWidth(value, to: &output)
        var write = base
        for read in base..<output.count {
            var byte = output[read]
            if byte == 0x20 || byte == 0x09 || (removingHyphens && byte == 0x2D) { continue }
            if byte >= 0x61, byte <= 0x7A { byte -= 0x20 }
            output[write] = byte
            write += 1
        }
        output.removeLast(output.count - write)
    }
}
