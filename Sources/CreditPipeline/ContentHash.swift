import CreditAdapters
import Crypto

/// The SHA-256 of a file's bytes: the ledger's key, so a file is archived once whatever its name.
enum ContentHash {
    static func sha256(path: String, displayPath: String) throws(AdapterError) -> (hex: String, size: Int64) {
        let source = try FileByteSource(path: path, displayPath: displayPath)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += Int64(count)
        }
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in hasher.finalize() {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        return (String(decoding: hex, as: UTF8.self), size)
    }
}
