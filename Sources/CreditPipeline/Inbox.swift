import CreditAdapters
import CreditCatalog
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files waiting in an inbox folder, each matched to the feed that claims it.
///
/// An inbox is written by departments' transfer jobs, so it is treated as hostile: a symbolic link
/// is followed only to a regular file inside the inbox; a link out of it, a link loop, and anything
/// that is not a regular file (a FIFO would block the run forever, a device could be anything) are
/// refused without being opened, and reported.
struct Inbox {
    let directory: String

    struct Entry {
        /// Path relative to the inbox, with `/` separators: what reports show.
        var relativePath: String
        var path: String
        var feed: Feed?
        /// Why the file is not read at all, when it is refused.
        var refusal: String?
        /// What is opened: the path itself, or for a symbolic link the file inside the inbox it
        /// led to when listed. Opened without following links, and only if it is still the file
        /// listed (`identity`): an entry swapped afterwards for a link, a FIFO or another file is
        /// refused, not read.
        var target: String
        var identity: FileIdentity?

        init(relativePath: String, path: String, feed: Feed?, refusal: String?, target: String? = nil,
             identity: FileIdentity? = nil) {
            self.relativePath = relativePath
            self.path = path
            self.feed = feed
            self.refusal = refusal
            self.target = target ?? path
            self.identity = identity
        }
    }

    /// Files under the inbox in a stable order, skipping hidden files and READMEs (which document
    /// the drops rather than being data).
    func entries(feeds: [Feed]) throws(PipelineError) -> [Entry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PipelineError.inboxMissing(directory)
        }
        guard let root = Self.realPath(directory) else {
            throw PipelineError(.inbox, "\(directory): cannot resolve the inbox folder (\(String(cString: strerror(errno))))")
        }
        var entries: [Entry] = []
        try walk(directory, relative: "", root: root, feeds: feeds, into: &entries)
        return entries.sorted { $0.relativePath < $1.relativePath }
    }

    /// Lists one folder without following links into other folders.
    private func walk(_ folder: String, relative: String, root: String, feeds: [Feed], into entries: inout [Entry])
        throws(PipelineError)
    {
        for listed in try Self.names(in: folder) {
            guard case .readable(let name) = listed else {
                // Not a name a report, a log line or a feed's pattern can hold as it is: refused,
                // shown escaped, never opened.
                guard case .unreadable(let escaped, let why) = listed, !escaped.hasPrefix(".") else { continue }
                let relativePath = relative.isEmpty ? escaped : relative + "/" + escaped
                entries.append(Entry(relativePath: relativePath, path: "", feed: nil,
                                     refusal: "its name \(why) (shown escaped); rename it and send it again; it was not opened"))
                continue
            }
            if name.hasPrefix(".") || name.uppercased().hasPrefix("README") { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR {
                try walk(path, relative: relativePath, root: root, feeds: feeds, into: &entries)
                continue
            }
            let feed = feeds.first { Self.matches($0.files, relativePath) }
            var refusal: String?
            var target = path
            var identity: FileIdentity? = FileIdentity(info)
            if kind == S_IFLNK {
                refusal = Self.linkRefusal(path, root: root)
                target = Self.realPath(path) ?? path
                identity = FileIdentity.of(target)
            } else if kind != S_IFREG {
                refusal = "not a regular file (\(Self.describe(kind))); it was not opened"
            }
            entries.append(Entry(relativePath: relativePath, path: path, feed: feed, refusal: refusal, target: target,
                                 identity: identity))
        }
    }

    /// A folder entry's name as the system gave its bytes.
    enum ListedName {
        /// Valid UTF-8 without control characters.
        case readable(String)
        /// Invalid UTF-8 or a control character (a line break would forge lines in the run's
        /// output and logs): the name with those bytes escaped (`\xff`, `\n`), and why.
        case unreadable(escaped: String, why: String)
    }

    /// The names in `folder`, as bytes (readdir), sorted by their bytes: FileManager drops a name
    /// that is not UTF-8 without a word, so such a file would never be seen, let alone refused.
    static func names(in folder: String) throws(PipelineError) -> [ListedName] {
        guard let stream = opendir(folder) else {
            let reason = String(cString: strerror(errno))
            throw PipelineError(.inbox, "\(folder): cannot list the inbox (\(reason)); check its permissions")
        }
        defer { closedir(stream) }
        var raw: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 {
                    throw PipelineError(.inbox, "\(folder): listing the inbox failed (\(String(cString: strerror(errno))))")
                }
                break
            }
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                Array(buffer.prefix { $0 != 0 })
            }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            raw.append(bytes)
        }
        return raw.sorted { $0.lexicographicallyPrecedes($1) }.map { bytes in
            let hasControl = bytes.contains { $0 < 0x20 || $0 == 0x7F }
            if let text = String(validating: bytes, as: UTF8.self), !hasControl { return .readable(text) }
            return .unreadable(escaped: escape(bytes), why: hasControl ? "holds a control character such as a line break"
                                                            : "is not valid UTF-8")
        }
    }

    /// A name's bytes with control characters and bytes outside UTF-8 written `\n`, `\xff`.
    static func escape(_ bytes: [UInt8]) -> String {
        var text = ""
        var index = 0
        let digits = Array("0123456789abcdef")
        while index < bytes.count {
            // The longest valid UTF-8 sequence starting here, else one escaped byte.
            var taken = false
            for width in stride(from: min(4, bytes.count - index), through: 1, by: -1) {
                if let piece = String(validating: bytes[index..<index + width], as: UTF8.self),
                   !piece.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    text += piece
                    index += width
                    taken = true
                    break
                }
            }
            if taken { continue }
            let byte = bytes[index]
            switch byte {
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            case 0x09: text += "\\t"
            default: text += "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
            }
            index += 1
        }
        return text
    }

    /// Why a symbolic link is refused, or nil when it leads to a regular file inside the inbox.
    static func linkRefusal(_ path: String, root: String) -> String? {
        guard let target = realPath(path) else {
            return errno == ELOOP ? "a symbolic link loop; it was not followed"
                : "a symbolic link to nothing (\(String(cString: strerror(errno)))); it was not followed"
        }
        guard target.hasPrefix(root + "/") else {
            return "a symbolic link to a file outside the inbox; it was not followed"
        }
        var info = stat()
        guard stat(target, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return "a symbolic link to something that is not a regular file; it was not followed"
        }
        return nil
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "a special file"
        }
    }

    /// Shell-style glob match where `*` does not cross `/`.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        fnmatch(pattern, path, FNM_PATHNAME) == 0
    }
}
