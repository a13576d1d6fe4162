#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which build of the program is running, as far as a record's checks can tell: the size and
/// modification time of its executable. A new build changes the prints of every record
/// (``RecordPrinter``), so rules changed in code are applied to re-sends once.
public enum ProgramIdentity {
    public static let text: String = {
        var info = stat()
        for path in ["/proc/self/exe", CommandLine.arguments.first ?? ""] where !path.isEmpty {
            if stat(path, &info) == 0 {
                #if os(Linux)
                let modified = info.st_mtim
                #else
                let modified = info.st_mtimespec
                #endif
                return "\(info.st_size)-\(modified.tv_sec).\(modified.tv_nsec)-\(info.st_ino)"
            }
        }
        // Unknown: a value of this process alone, so nothing it printed is taken for another's.
        return "process-\(getpid())-\(time(nil))-\(UInt64.random(in: 0...UInt64.max))"
    }()
}
