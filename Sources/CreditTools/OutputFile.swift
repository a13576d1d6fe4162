import Foundation

/// A file a command writes for people (check results, a credit report): written to
/// `<path>.partial`, flushed to disk, then renamed over `path`, so a reader never sees half a file
/// and a failure (a full disk) leaves the earlier file as it was.
public enum OutputFile {
    public static func replace(_ path: String, with data: Data) throws {
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: partial,
                                                           NSLocalizedDescriptionKey: "cannot create \(partial)"])
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: partial)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: reason])
        }
    }
}
