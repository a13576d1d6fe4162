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

/// Which file a path named when it was looked at (its device and inode): an inbox file is opened
/// only if it is still that file, so an entry swapped for a link or a FIFO after the inbox was
/// listed is refused instead of read.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The identity of a file as `stat`, `lstat` or `fstat` described it.
    public init(_ info: stat) {
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// The identity of what `path` names now, following links; nil when it cannot be looked at.
    public static func of(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(info)
    }
}

/// A file opened read-only, closed when the source goes away.
///
/// Opened without following a symbolic link and without blocking (a FIFO would otherwise wait
/// for a writer, deaf to signals), then checked on the descriptor itself: it must be a regular file
/// and, when `expected` is given, the very file the inbox listed.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    private let displayPath: String

    /// `followingLinks` is for a path a person typed (`credit-etl validate link.csv`); an inbox
    /// entry is opened at the path its listing resolved, with `expected` its identity then.
    public init(path: String, displayPath: String? = nil, expected: FileIdentity? = nil, followingLinks: Bool = false)
        throws(AdapterError)
    {
        self.displayPath = displayPath ?? path
        descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
        if descriptor < 0 {
            let code = errno
            let reason = String(cString: strerror(code))
            if code == ELOOP {
                throw AdapterError(.cannotOpen, file: self.displayPath,
                                   message: "the file is now a symbolic link (it was replaced after the inbox was "
                                       + "listed); it was not read")
            }
            throw AdapterError(.cannotOpen, file: self.displayPath,
                               message: "cannot open the file (\(reason)); check the path and its permissions")
        }
        var info = stat()
        let refusal: String?
        if fstat(descriptor, &info) != 0 {
            refusal = "cannot look at the opened file (\(String(cString: strerror(errno))))"
        } else if info.st_mode & S_IFMT != S_IFREG {
            refusal = "the file is no longer a regular file (it was replaced after the inbox was listed); it was not read"
        } else if let expected, expected != FileIdentity(info) {
            refusal = "the file was replaced by another after the inbox was listed; it was not read"
        } else if case let flags = fcntl(descriptor, F_GETFL), flags < 0 || fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) != 0 {
            // Reads of a regular file do not block anyway; the descriptor is left as `open` would.
            refusal = "cannot set the opened file to blocking reads (\(String(cString: strerror(errno))))"
        } else {
            refusal = nil
        }
        if let refusal {
            close(descriptor)
            throw AdapterError(.cannotOpen, file: self.displayPath, message: refusal)
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
