/// The run vocabulary every stage shares: what a run did with a file, how a run ended, and a file
/// already in the ledger.

/// What a run did with one file it saw.
public struct FileOutcome: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Read, validated and archived.
        case archived
        /// Same content as a file archived earlier: not archived again.
        case duplicate
        /// Could not be read (malformed, unreadable): nothing of it is archived.
        case failed
        /// No feed of the catalog claims it.
        case unmatched
        /// Not opened at all: a link out of the inbox, a link loop, a FIFO or other special file.
        case refused
        /// Still being written (it changed while the run watched or read it): left for the next run.
        case pending
    }

    public var kind: Kind
    public var path: String
    public var sha256: String?
    public var fileID: Int64?
    public var feed: String?
    public var line: Int?
    public var message: String?

    public init(kind: Kind, path: String, sha256: String? = nil, fileID: Int64? = nil, feed: String? = nil,
                line: Int? = nil, message: String? = nil) {
        self.kind = kind
        self.path = path
        self.sha256 = sha256
        self.fileID = fileID
        self.feed = feed
        self.line = line
        self.message = message
    }
}

/// How a run ended.
public enum RunStatus: String, Sendable, Hashable, Codable {
    case running
    /// Every file was archived, skipped as a duplicate, or unmatched.
    case completed
    /// The run finished, but at least one file could not be read.
    case completedWithFailures = "completed_with_failures"
    /// The run stopped early (archive or configuration failure).
    case failed
    /// SIGTERM or SIGINT stopped the run, or its process died: the files it committed are kept,
    /// the one it was reading was rolled back.
    case interrupted
}

/// A file already in the ledger.
public struct LedgerEntry: Sendable, Hashable {
    public var fileID: Int64
    public var run: Int64
    public var path: String
    public var ingestedAt: String

    public init(fileID: Int64, run: Int64, path: String, ingestedAt: String) {
        self.fileID = fileID
        self.run = run
        self.path = path
        self.ingestedAt = ingestedAt
    }
}
