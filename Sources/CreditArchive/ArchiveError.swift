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
    /// The underlying database error, as the database words it.
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
