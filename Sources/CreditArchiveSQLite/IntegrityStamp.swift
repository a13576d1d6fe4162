import CreditArchive
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the last run that closed the archive cleanly saw of it, kept beside it in
/// `<archive>.checked`: the file's identity (device, inode, size, modification time to the
/// nanosecond) and when a full `PRAGMA quick_check` last passed.
///
/// A night's check of a grown archive costs more than the night itself (0.82 s of quick_check
/// against 0.26 s for 10,000 records on a 1M-record archive, docs/performance.md): the whole
/// file is read to find damage in a file nothing touched since it was last found sound. So a
/// run checks the whole file only when it may have changed outside a clean run: the stamp is
/// missing (a run was killed or failed: each run removes the stamp before it writes), the file's
/// identity differs (another program wrote it, it was restored or copied), a write-ahead log
/// with frames is left beside it, or the last full check is older than ``fullCheckEvery``.
/// What this lets through is damage that changes no byte count or time (the disk's own bit
/// rot), for at most a week; `credit-etl doctor` checks everything whenever asked.
public struct IntegrityStamp: Equatable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modified: Int64
    public var modifiedNanoseconds: Int64
    /// When a full check last passed, in seconds since 1970 (UTC).
    public var fullCheck: Int64
    /// The run that closed the archive and wrote the stamp.
    public var run: Int64

    /// A full check at least this often, whatever the stamp says.
    public static let fullCheckEvery: TimeInterval = 7 * 86_400

    public static func path(forArchive archive: String) -> String { archive + ".checked" }

    /// The archive's identity now, with the full check and run given; nil when it cannot be read.
    public static func of(archive: String, fullCheck: Int64, run: Int64) -> IntegrityStamp? {
        var info = stat()
        guard stat(archive, &info) == 0 else { return nil }
        return IntegrityStamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                              modified: Int64(info.st_mtim.tv_sec), modifiedNanoseconds: Int64(info.st_mtim.tv_nsec),
                              fullCheck: fullCheck, run: run)
    }

    /// The stamp beside `archive`, or nil when there is none or it does not read (then the
    /// archive is checked whole).
    public static func read(archive: String) -> IntegrityStamp? {
        guard let data = FileManager.default.contents(atPath: path(forArchive: archive)),
              let text = String(data: data, encoding: .utf8) else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        guard let device = fields["device"].flatMap(UInt64.init), let inode = fields["inode"].flatMap(UInt64.init),
              let size = fields["size"].flatMap(Int64.init), let modified = fields["modified"].flatMap(Int64.init),
              let nanoseconds = fields["modified_ns"].flatMap(Int64.init),
              let fullCheck = fields["full_check"].flatMap(Int64.init), let run = fields["run"].flatMap(Int64.init)
        else { return nil }
        return IntegrityStamp(device: device, inode: inode, size: size, modified: modified, modifiedNanoseconds: nanoseconds,
                              fullCheck: fullCheck, run: run)
    }

    /// Whether `archive` may be trusted without a full check at `now`: it is the file the stamp
    /// describes, unchanged, with no write-ahead log frames beside it, and checked whole recently.
    public func vouches(for archive: String, at now: Date) -> Bool {
        guard let current = Self.of(archive: archive, fullCheck: fullCheck, run: run), current == self else { return false }
        var log = stat()
        if stat(archive + "-wal", &log) == 0, log.st_size > 0 { return false }
        return now.timeIntervalSince1970 - Double(fullCheck) < Self.fullCheckEvery
    }

    /// Writes the stamp beside `archive` (a temporary file renamed over the old one).
    public func write(archive: String) throws(ArchiveError) {
        let target = Self.path(forArchive: archive)
        let text = """
            device \(device)
            inode \(inode)
            size \(size)
            modified \(modified)
            modified_ns \(modifiedNanoseconds)
            full_check \(fullCheck)
            run \(run)

            """
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            throw ArchiveError(.io, path: target, message: "cannot write the archive's integrity stamp; the next run "
                + "checks the whole archive", cause: "\(error)")
        }
    }

    /// Removes the stamp beside `archive`, before a run writes: a run that does not end cleanly
    /// leaves none, and the next run checks the archive whole.
    public static func remove(archive: String) throws(ArchiveError) {
        let target = path(forArchive: archive)
        guard unlink(target) == 0 || errno == ENOENT else {
            throw ArchiveError(.io, path: target, message: "cannot remove the archive's integrity stamp ("
                + String(cString: strerror(errno)) + "); check the folder's permissions")
        }
    }
}
