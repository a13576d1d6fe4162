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
    func entries(feeds: [Feed]) throws -> [Entry] {
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
    private func walk(_ folder: String, relative: String, root: String, feeds: [Feed], into entries: inout [Entry]) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw PipelineError(.inbox, "\(folder): cannot list the inbox (\(error)); check its permissions", cause: error)
        }
        for name in names.sorted() {
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
            var identity: FileIdentity? = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
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
