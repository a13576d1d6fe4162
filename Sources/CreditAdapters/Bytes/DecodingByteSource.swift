#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encodings departments send.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
    /// Decide from the bytes: a UTF-8 byte-order mark or valid UTF-8 in the first 64 KiB means
    /// UTF-8, anything else GB18030 (which includes GBK and GB2312).
    case auto

    /// The name iconv and XML prologs use (`UTF-8`, `GB18030`); `auto` before detection.
    public var displayName: String {
        switch self {
        case .auto: "auto"
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        }
    }
    case utf8 = "utf-8"
    case gb18030

    /// Reads the spellings feeds use: `utf-8`, `utf8`, `gb18030`, `gbk`, `gb2312`, `auto`.
    public init?(spelling: String) {
        switch String(spelling.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "auto": self = .auto
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }
}

/// Hands its reader UTF-8, whatever the file's encoding: GB18030 (and so GBK and GB2312) is
/// converted with iconv a chunk at a time, a multi-byte character split across chunks carried
/// over; UTF-8 passes through untouched.
///
/// Lines are the same in both encodings, so line numbers stay the file's. Byte offsets given by
/// the readers above are offsets in the UTF-8 text; ``encoding`` tells which was used.
public final class DecodingByteSource<Base: ByteSource>: ByteSource {
    private var base: Base
    private let file: String
    public private(set) var encoding: TextEncoding
    private var converter: iconv_t?
    /// Raw bytes read from `base` and not yet converted.
    private var raw: [UInt8]
    private var rawStart = 0, rawEnd = 0
    private var rawOffset: Int64 = 0
    /// The line of the next raw byte: 0x0A is a line feed in GB18030 as in UTF-8, never part of
    /// another character, so errors can say where they are.
    private var rawLine = 1
    /// True when the encoding was told from the bytes, not declared by the feed.
    private let detected: Bool
    private var baseFinished = false
    /// When detection chose GB18030 for a sample that was valid UTF-8, Chinese included, up to one
    /// byte: where that byte is. The file is then most likely UTF-8 with a damaged byte, and that
    /// byte, not where GB18030 decoding of the UTF-8 text happens to fail, is what to point at.
    private var utf8Damage: (offset: Int, line: Int, bytes: String)?

    public init(_ base: Base, encoding: TextEncoding, file: String, chunkSize: Int = 1 << 20) throws(AdapterError) {
        self.base = base
        self.file = file
        self.encoding = encoding
        detected = encoding == .auto
        raw = [UInt8](repeating: 0, count: max(chunkSize, 64 * 1024))
        if encoding == .auto {
            try fill()
            self.encoding = Self.sniff(raw[rawStart..<rawEnd], complete: baseFinished)
            if self.encoding == .gb18030, let damage = Self.firstInvalidUTF8(raw[rawStart..<rawEnd]) {
                utf8Damage = (damage.offset, damage.line, hex(raw[damage.offset..<min(damage.offset + 4, rawEnd)]))
            }
        }
        if self.encoding == .gb18030 {
            let handle = iconv_open("UTF-8", "GB18030")
            if handle == iconv_t(bitPattern: -1) {
                throw AdapterError(.readFailed, file: file, message: "this system cannot convert GB18030 (iconv_open failed)")
            }
            converter = handle
        }
    }

    deinit {
        if let converter { iconv_close(converter) }
    }

    /// UTF-8 when the bytes begin with a byte-order mark or are valid UTF-8 (a sequence cut at the
    /// end of the sample is allowed); GB18030 otherwise. Pure ASCII is UTF-8.
    static func sniff(_ bytes: ArraySlice<UInt8>, complete: Bool) -> TextEncoding {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        let scan = UTF8Scan(bytes)
        switch scan.end {
        case .whole: return .utf8
        case .cut: return complete ? .gb18030 : .utf8
        case .invalid: return .gb18030
        }
    }

    /// The first byte that breaks UTF-8 in a sample whose text before it is UTF-8 with at least
    /// one multi-byte character, with its line; nil when the sample reads as another encoding from
    /// its first non-ASCII byte on.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> (offset: Int, line: Int)? {
        let scan = UTF8Scan(bytes)
        guard case .invalid(let offset) = scan.end, scan.multiByte else { return nil }
        return (offset, scan.line)
    }

    /// Moves unread raw bytes to the front and reads more from the base source.
    private func fill() throws(AdapterError) {
        if rawStart > 0 {
            let leftover = rawEnd - rawStart
            raw.withUnsafeMutableBytes { buffer in
                if leftover > 0, let base = buffer.baseAddress {
                    memmove(base, base + rawStart, leftover)
                }
            }
            rawEnd = leftover
            rawStart = 0
        }
        while rawEnd < raw.count, !baseFinished {
            var failure: AdapterError?
            var count = 0
            raw.withUnsafeMutableBytes { buffer in
                do throws(AdapterError) {
                    count = try base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[rawEnd...]))
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            if count == 0 { baseFinished = true }
            rawEnd += count
            if count > 0 { break }
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AdapterError) -> Int {
        guard let converter else {
            // UTF-8: hand over what was sniffed first, then read straight through.
            if rawStart < rawEnd {
                let count = min(buffer.count, rawEnd - rawStart)
                raw.withUnsafeBytes { source in
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[rawStart..<rawStart + count]))
                }
                rawStart += count
                return count
            }
            return try base.read(into: buffer)
        }
        while true {
            if rawStart == rawEnd || !baseFinished { try fill() }
            if rawStart == rawEnd { return 0 }
            var produced = 0
            var failure: Int32 = 0
            raw.withUnsafeMutableBytes { input in
                var inPointer = input.baseAddress.map { UnsafeMutablePointer<CChar>(OpaquePointer($0 + rawStart)) }
                var inLeft = rawEnd - rawStart
                var outPointer = buffer.baseAddress.map { UnsafeMutablePointer<CChar>(OpaquePointer($0)) }
                var outLeft = buffer.count
                if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 { failure = errno }
                produced = buffer.count - outLeft
                let consumed = (rawEnd - rawStart) - inLeft
                for byte in input[rawStart..<rawStart + consumed] where byte == 0x0A { rawLine += 1 }
                rawStart += consumed
                rawOffset += Int64(consumed)
            }
            switch failure {
            case 0, E2BIG:
                if produced > 0 { return produced }
            case EINVAL:
                // A character cut at the end of the chunk: read on, unless the file ends there.
                if produced > 0 { return produced }
                if baseFinished {
                    throw AdapterError(.malformed, file: file, line: rawLine, message: "the file ends inside a GB18030 "
                        + "character (byte \(rawOffset)); the export was probably cut off, send it again")
                }
            default:
                if produced > 0 { return produced }
                let bytes = hex(raw[rawStart..<min(rawStart + 4, rawEnd)])
                if detected, let damage = utf8Damage, rawOffset < Int64(damage.offset) {
                    // UTF-8 text with a bad byte, read as GB18030 because of it, and failing as GB18030
                    // before that byte (inside the good UTF-8): point at the bad byte.
                    throw AdapterError(.malformed, file: file, line: damage.line, message: "byte \(damage.offset) "
                        + "(\(damage.bytes)) is not UTF-8, though the text before it is, and the file is not GB18030 "
                        + "either: it is damaged or mixes encodings; export it again in one encoding, or set "
                        + "`encoding:` of its feed")
                }
                if detected {
                    // Told GB18030 because its start was not UTF-8, and it is not GB18030 either.
                    throw AdapterError(.malformed, file: file, line: rawLine, message: "byte \(rawOffset) (\(bytes)) is "
                        + "neither UTF-8 nor GB18030: the file mixes encodings or is damaged; export it again in one "
                        + "encoding, or set `encoding:` of its feed")
                }
                throw AdapterError(.malformed, file: file, line: rawLine, message: "byte \(rawOffset) is not valid "
                    + "GB18030 (\(bytes)); check the file's encoding, or set `encoding:` of its feed")
            }
        }
    }

    private func hex(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { byte in
            let digits = Array("0123456789ABCDEF")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined(separator: " ")
    }
}

/// How far a sample reads as UTF-8: to its end, to a sequence cut by the sample's end, or to the
/// first byte that is not UTF-8; with the line reached and whether a multi-byte character came first.
struct UTF8Scan {
    enum End: Equatable {
        case whole
        case cut
        /// The offset, from the sample's start, of the first byte that breaks UTF-8.
        case invalid(Int)
    }

    var end = End.whole
    var line = 1
    var multiByte = false

    init(_ bytes: ArraySlice<UInt8>) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            let width: Int
            switch byte {
            case 0x00...0x7F: width = 1
            case 0xC2...0xDF: width = 2
            case 0xE0...0xEF: width = 3
            case 0xF0...0xF4: width = 4
            default:
                end = .invalid(index - bytes.startIndex)
                return
            }
            if index + width > bytes.endIndex {
                end = .cut
                return
            }
            for next in 1..<width where bytes[index + next] & 0xC0 != 0x80 {
                end = .invalid(index - bytes.startIndex)
                return
            }
            if byte == 0x0A { line += 1 }
            if width > 1 { multiByte = true }
            index += width
        }
    }
}
