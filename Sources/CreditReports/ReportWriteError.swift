import CreditArchive

/// Why a report (its folder, its department feedback, `latest`, the index) could not be written:
/// the archive could not be read, or a file could not be written; the message names the file and
/// what to check. The pipeline turns it into its exit codes (74 for the archive, 73 otherwise).
public enum ReportWriteError: Error, Sendable, CustomStringConvertible {
    case archive(ArchiveError)
    /// A report file or folder could not be written.
    case unwritable(String)

    /// `path` could not be written because of `underlying`.
    static func unwritable(_ path: String, _ underlying: any Error) -> ReportWriteError {
        .unwritable("\(path): cannot write the report (\(underlying)); check that the folder is writable")
    }

    public var description: String {
        switch self {
        case .archive(let error): error.description
        case .unwritable(let message): message
        }
    }
}
