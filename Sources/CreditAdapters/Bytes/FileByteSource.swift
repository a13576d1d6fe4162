#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file's bytes in chunks into a caller-owned buffer.
///
/// Format decoders read from a byte source rather than a path so that transcoding (GB18030)
/// or decompression can sit between the file and the decoder.
public protocol ByteSource {
    /// Fills the front of `buffer`; returns the number of bytes read, 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(AdapterError) -> Int
}

/// A file opened read-only, closed when the source goes away.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    private let displayPath: String

    public init(path: String, displayPath: String? = nil) throws(AdapterError) {
        self.displayPath = displayPath ?? path
        descriptor = open(path, O_RDONLY)
        if descriptor < 0 {
            let reason = String(cString: strerror(errno))
            throw AdapterError(.cannotOpen, file: self.displayPath,
                               message: "cannot open the file (\(reason)); check the path and its permissions")
        }
    }

    deinit {
        close(descriptor)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AdapterError) -> Int {
        while true {
            #if canImport(Glibc)
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            #else
            let count = Darwin.read(descriptor, buffer.baseAddress, buffer.count)
            #endif
            if count >= 0 { return count }
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            throw AdapterError(.readFailed, file: displayPath, message: "reading failed (\(reason))")
        }
    }
}
