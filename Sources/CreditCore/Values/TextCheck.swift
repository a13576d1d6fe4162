/// What is wrong with a field's bytes as text, if anything: a control character (NUL cut a stored
/// name at the NUL), or a byte sequence that is not UTF-8 (a file that changes encoding after its
/// first MiB would put raw bytes into TEXT columns).
public enum TextDefect: Sendable, Hashable {
    case controlCharacter(offset: Int)
    case invalidUTF8(offset: Int)
}

extension ByteText {
    /// The first text defect of `value`; tab, line feed and carriage return are allowed. Eight
    /// bytes at a time while they are printable ASCII, which most fields are throughout.
    public static func textDefect(_ value: UnsafeBufferPointer<UInt8>) -> TextDefect? {
        let count = value.count
        guard let base = value.baseAddress else { return nil }
        var index = 0
        while index < count {
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                // No high bit, and no byte below 0x20: a run of printable ASCII.
                let high = word & 0x8080_8080_8080_8080
                let low = (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080
                if high == 0, low == 0 {
                    index += 8
                    continue
                }
            }
            let byte = base[index]
            if byte < 0x80 {
                if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { return .controlCharacter(offset: index) }
                index += 1
                continue
            }
            let width: Int, minimum: UInt32
            var scalar: UInt32
            switch byte {
            case 0xC2...0xDF: width = 2; minimum = 0x80; scalar = UInt32(byte & 0x1F)
            case 0xE0...0xEF: width = 3; minimum = 0x800; scalar = UInt32(byte & 0x0F)
            case 0xF0...0xF4: width = 4; minimum = 0x10000; scalar = UInt32(byte & 0x07)
            default: return .invalidUTF8(offset: index)
            }
            guard index + width <= count else { return .invalidUTF8(offset: index) }
            for next in 1..<width {
                let continuation = base[index + next]
                guard continuation & 0xC0 == 0x80 else { return .invalidUTF8(offset: index) }
                scalar = scalar << 6 | UInt32(continuation & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                return .invalidUTF8(offset: index)
            }
            index += width
        }
        return nil
    }
}
