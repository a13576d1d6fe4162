#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts UTF-8 text to GB18030 with iconv: how `credit-etl synth` writes the exports office
/// software produces. Every Unicode character has a GB18030 form, so conversion cannot fail on
/// valid UTF-8.
public final class GB18030Encoder {
    private let converter: iconv_t

    public init() throws(AdapterError) {
        guard let handle = iconv_open("GB18030", "UTF-8"), handle != iconv_t(bitPattern: -1) else {
            throw AdapterError(.readFailed, file: "-", message: "this system cannot convert to GB18030 (iconv_open failed)")
        }
        converter = handle
    }

    deinit { iconv_close(converter) }

    /// `text` (whole UTF-8 characters) in GB18030.
    public func encode(_ text: [UInt8]) -> [UInt8] {
        var input = text
        var output = [UInt8](repeating: 0, count: text.count * 2 + 8)
        let produced = input.withUnsafeMutableBytes { inBuffer in
            output.withUnsafeMutableBytes { outBuffer in
                var inPointer = inBuffer.baseAddress.map { UnsafeMutablePointer<CChar>(OpaquePointer($0)) }
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress.map { UnsafeMutablePointer<CChar>(OpaquePointer($0)) }
                var outLeft = outBuffer.count
                _ = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return outBuffer.count - outLeft
            }
        }
        output.removeLast(output.count - produced)
        return output
    }
}
