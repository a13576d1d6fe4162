import CreditCatalog
import CreditCore
import Foundation
import GRDB

/// The embedded SQLite archive.
///
/// Opening it creates or migrates the schema. Each file is archived in one transaction, so a file
/// that fails half-way leaves nothing behind.
public final class Archive: Sendable {
    public let path: String
    let queue: DatabaseQueue

    public init(path: String) throws(ArchiveError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // WAL lets reviewers read reports while a run writes.
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch {
            throw ArchiveError(path: path, message: "cannot open the archive (\(error)); check that the folder is "
                + "writable and that the file is a credit-etl archive")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(ArchiveError) -> T {
        do {
            return try queue.write(body)
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(path: path, message: "writing failed: \(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(ArchiveError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw ArchiveError(path: path, message: "reading failed: \(error)")
        }
    }

    // MARK: Runs

    /// Starts a run and returns its id.
    public func startRun(pipeline: String, at date: Date) throws(ArchiveError) -> Int64 {
        try write { db in
            try db.execute(sql: "INSERT INTO runs (pipeline, started_at, status) VALUES (?, ?, 'running')",
                           arguments: [pipeline, Timestamp.string(date)])
            return db.lastInsertedRowID
        }
    }

    public func finishRun(_ run: Int64, status: RunStatus, at date: Date, error: String? = nil) throws(ArchiveError) {
        try write { db in
            try db.execute(sql: "UPDATE runs SET finished_at = ?, status = ?, error = ? WHERE id = ?",
                           arguments: [Timestamp.string(date), status.rawValue, error, run])
        }
    }

    /// Notes what the run did with a file it saw.
    public func note(_ outcome: FileOutcome, run: Int64) throws(ArchiveError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO run_files (run_id, path, sha256, outcome, file_id, feed, line, message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run, outcome.path, outcome.sha256, outcome.kind.rawValue, outcome.fileID,
                                 outcome.feed, outcome.line, outcome.message])
        }
    }

    // MARK: Ledger

    /// The ledger entry of a file with this content, if one was archived before.
    public func ledgerEntry(sha256: String) throws(ArchiveError) -> LedgerEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, run_id, path, ingested_at FROM files WHERE sha256 = ?",
                             arguments: [sha256]).map { row in
                LedgerEntry(fileID: row[0], run: row[1], path: row[2], ingestedAt: row[3])
            }
        }
    }

    /// Archives one file in one transaction: `body` appends its batches through the writer.
    /// When `body` throws, everything of this file is rolled back and the error is rethrown.
    public func archiveFile<T>(_ draft: FileDraft, run: Int64, item: CatalogItem,
                               _ body: (inout FileWriter) throws -> T) throws -> (fileID: Int64, result: T) {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO files (sha256, size, path, feed, department, item, format, header, run_id, ingested_at,
                                   submitted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [draft.sha256, draft.size, draft.path, draft.feed, draft.department, draft.item,
                                 draft.format, draft.headerJSON, run, Timestamp.string(Date()), draft.submitted])
            let fileID = db.lastInsertedRowID
            var writer = try FileWriter(db: db, fileID: fileID, item: item)
            let result = try body(&writer)
            try writer.finish()
            return (fileID, result)
        }
    }
}

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
}

/// A file already in the ledger.
public struct LedgerEntry: Sendable, Hashable {
    public var fileID: Int64
    public var run: Int64
    public var path: String
    public var ingestedAt: String
}

/// What the ledger records of a file about to be archived.
public struct FileDraft: Sendable, Hashable {
    public var sha256: String
    public var size: Int64
    public var path: String
    public var feed: String
    public var department: String
    public var item: String
    public var format: String
    public var header: [String]
    /// ISO date the file was submitted (for timeliness).
    public var submitted: String?

    public init(sha256: String, size: Int64, path: String, feed: String, department: String, item: String,
                format: String, header: [String], submitted: String? = nil) {
        self.submitted = submitted
        self.sha256 = sha256
        self.size = size
        self.path = path
        self.feed = feed
        self.department = department
        self.item = item
        self.format = format
        self.header = header
    }

    var headerJSON: String {
        var bytes: [UInt8] = [0x5B]
        for (index, name) in header.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            JSONText.appendString(name, to: &bytes)
        }
        bytes.append(0x5D)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Timestamps as stored: ISO 8601 in UTC, to the second.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
            .timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
