import GRDB
import GRDBSQLite

/// Why the archive could not be opened, read or written. Such an error stops the run: the
/// archive is left as it was before the failing file, whose transaction is rolled back.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, which decides what the operator should do (and the exit code).
    public enum Code: String, Sendable {
        /// The archive could not be opened or created (permissions, not a credit-etl archive).
        case open
        /// The disk or the file-size limit is full.
        case full
        /// The disk failed a read or write (or a limit the system puts on file size).
        case io
        /// Another process holds the archive.
        case busy
        /// The file is damaged.
        case corrupt
        /// Any other failed statement.
        case statement
        /// A statement cancelled at this process's request (SIGTERM while it waited on the server).
        case cancelled
    }

    public var code: Code
    public var path: String
    /// What happened and what to do.
    public var message: String
    /// The underlying SQLite error, as SQLite words it.
    public var cause: String?

    public init(_ code: Code = .statement, path: String, message: String, cause: String? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.cause = cause
    }

    public init(path: String, message: String) {
        self.init(.statement, path: path, message: message)
    }

    /// Classifies an error SQLite (or GRDB) raised while `doing` something.
    init(path: String, doing: String, error: any Error) {
        if let error = error as? ArchiveError {
            self = error
            return
        }
        var primary: Int32 = -1
        var cause = "\(error)"
        if let error = error as? DatabaseError {
            primary = error.resultCode.primaryResultCode.rawValue
            cause = error.message ?? "\(error.resultCode)"
        }
        self.init(path: path, doing: doing, primaryCode: primary, cause: cause)
    }

    init(path: String, doing: String, primaryCode: Int32, cause: String) {
        let code: Code
        let advice: String
        switch primaryCode {
        case SQLITE_FULL:
            code = .full
            advice = "the disk beside the archive is full; free space and run again"
        case SQLITE_IOERR:
            code = .io
            advice = "the disk failed or a file-size limit was reached (`ulimit -f`); check the disk and run again"
        case SQLITE_BUSY, SQLITE_LOCKED:
            code = .busy
            advice = "another process holds the archive; wait for it to finish and run again"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            code = .corrupt
            advice = "the archive file is damaged; restore it from a backup"
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_READONLY:
            code = .open
            advice = "check that the folder exists, is writable, and holds a credit-etl archive"
        default:
            code = .statement
            advice = "this is likely a bug; keep the archive and report the message"
        }
        self.init(code, path: path, message: "\(doing) failed: \(advice)", cause: cause)
    }

    public var description: String {
        "\(path): \(message)" + (cause.map { " (\(ArchiveURL.isPostgres(path) ? "PostgreSQL" : "SQLite"): \($0))" } ?? "")
    }
}

/// An archive's location as a PostgreSQL URL rather than a file's path.
public enum ArchiveURL {
    /// Whether `location` names a PostgreSQL server (`postgresql://…` or `postgres://…`).
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }
}
