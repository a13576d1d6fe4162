import CreditAdapters
import Crypto

/// The SHA-256 of a file's bytes: the ledger's key, so a file is archived once whatever its name.
enum ContentHash {
    /// `stop` is asked between chunks: a run that is ending does not wait for a large file's hash.
    static func sha256(path: String, displayPath: String, expected: FileIdentity? = nil, stop: () -> Bool = { false })
        throws(AdapterError) -> (hex: String, size: Int64)
    {
        let source = try FileByteSource(path: path, displayPath: displayPath, expected: expected)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            if stop() { throw AdapterError.stopped(file: displayPath) }
            let count = try source.read(into: buffer)
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += Int64(count)
        }
        return (hex(hasher.finalize()), size)
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

/// The SHA-256 of the bytes an adapter actually read, fed chunk by chunk while it parses.
final class SnapshotHash {
    private var hasher = SHA256()
    private(set) var size: Int64 = 0

    func update(_ chunk: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: chunk)
        size += Int64(chunk.count)
    }

    /// Reads what the adapter left of the file into the hash.
    func drain(_ file: FileByteSource) throws(AdapterError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try file.read(into: buffer)
            if count == 0 { break }
            update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    var hex: String { ContentHash.hex(hasher.finalize()) }
}
