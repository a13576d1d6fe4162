/// Writes JSON text straight from UTF-8 bytes, for the few JSON values built on the hot path
/// (raw values kept beside normalized ones) where a `JSONEncoder` per record would cost too much.
public enum JSONText {
    /// Appends `value` as a JSON string literal, quotes included.
    @inlinable
    public static func appendString(_ value: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(0x22)
        for byte in value {
            switch byte {
            case 0x22: output.append(0x5C); output.append(0x22)
            case 0x5C: output.append(0x5C); output.append(0x5C)
            case 0x0A: output.append(0x5C); output.append(0x6E)
            case 0x0D: output.append(0x5C); output.append(0x72)
            case 0x09: output.append(0x5C); output.append(0x74)
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: output.append(byte)
            }
        }
        output.append(0x22)
    }

    public static func appendString(_ value: String, to output: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendString($0, to: &output) }
    }
}
