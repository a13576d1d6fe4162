import CreditCatalog
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files waiting in an inbox folder, each matched to the feed that claims it.
struct Inbox {
    let directory: String

    struct Entry {
        /// Path relative to the inbox, with `/` separators: what reports show.
        var relativePath: String
        var path: String
        var feed: Feed?
    }

    /// Regular files under the inbox in a stable order, skipping hidden files and READMEs
    /// (which document the drops rather than being data).
    func entries(feeds: [Feed]) throws -> [Entry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PipelineError.inboxMissing(directory)
        }
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var entries: [Entry] = []
        for case let relative as String in enumerator {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") || name.uppercased().hasPrefix("README") { continue }
            let path = (directory as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            let feed = feeds.first { Self.matches($0.files, relative) }
            entries.append(Entry(relativePath: relative, path: path, feed: feed))
        }
        return entries.sorted { $0.relativePath < $1.relativePath }
    }

    /// Shell-style glob match where `*` does not cross `/`.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        fnmatch(pattern, path, FNM_PATHNAME) == 0
    }
}
