/// A 128-bit digest of a record's business key or content: two independent 64-bit FNV-1a hashes
/// (forwards and backwards), so that a false match among even billions of keys is not a
/// practical concern.
///
/// The archive stores digests, not keys: 16 bytes per key whatever the key's length, and a
/// natural person's ID number in a key is not written out again.
public struct KeyDigest: Hashable, Sendable {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { KeyDigest($0) }
    }

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var forward: UInt64 = 0xCBF2_9CE4_8422_2325, backward: UInt64 = 0x6C62_272E_07BB_0142
        for byte in bytes {
            forward = (forward ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var index = bytes.count
        while index > 0 {
            index -= 1
            backward = (backward ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01B3
        }
        high = forward
        low = backward
    }

    /// The 16 bytes the archive stores (big-endian halves, so they sort like the digest).
    public var bytes: [UInt8] {
        var result = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            result[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(index)))
            result[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(index)))
        }
        return result
    }

    /// Reads the 16 stored bytes back; nil when there are not 16.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        for index in 0..<8 {
            high = high << 8 | UInt64(bytes[index])
            low = low << 8 | UInt64(bytes[8 + index])
        }
        self.init(high: high, low: low)
    }

    /// Lower-case hex of the 16 bytes, as `trace` prints it.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Reads the 32 hex digits ``hex`` writes; nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 32 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 32, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        self.init(bytes: bytes)
    }
}
