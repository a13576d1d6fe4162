import CreditCore
import GRDBSQLite

/// Validation's memory kept in the archive's own tables, written inside the file's transaction:
/// `record_keys` (which file last carried each business key) and `subject_names` (the first
/// name of each subject code in each item).
///
/// Because it commits and rolls back with the file, a run killed between two files and resumed
/// remembers exactly what a clean run would; nothing lives in scratch files beside the archive.
/// Lookups go through SQLite's page cache, so a backfill of any size runs in bounded memory.
public final class ArchiveMemory: RunMemory {
    /// The item's digest, which scopes keys and codes to the item.
    private let scope: KeyDigest
    private let fileID: Int64
    private let noteKeyStatement: PreparedStatement
    private let noteNameStatement: PreparedStatement
    private let connection: OpaquePointer
    /// Set for the throw-away database of `validate`, closed with this memory.
    private let ownsConnection: Bool

    init(connection: OpaquePointer, path: String, item: String, fileID: Int64, ownsConnection: Bool = false)
        throws(ArchiveError)
    {
        self.connection = connection
        scope = KeyDigest(Array(item.utf8))
        self.fileID = fileID
        self.ownsConnection = ownsConnection
        // The update only happens when another file carried the key last: no row returned means
        // the key is already in this file. The row returned is the key's state before this file.
        noteKeyStatement = try PreparedStatement(connection, """
            INSERT INTO record_keys (key, seen_file) VALUES (?2, ?3)
            ON CONFLICT (key) DO UPDATE SET seen_file = excluded.seen_file
            WHERE seen_file <> excluded.seen_file
            RETURNING version, content, current_row, withdrawn
            """, path: path)
        // A new code is inserted and comes back as it is; a known code with the same name changes
        // nothing and returns no row; with another name the (no-op) update returns the first name.
        noteNameStatement = try PreparedStatement(connection, """
            INSERT INTO subject_names (code, name_key, name) VALUES (?2, ?3, ?4)
            ON CONFLICT (code) DO UPDATE SET name_key = subject_names.name_key
            WHERE subject_names.name_key <> excluded.name_key
            RETURNING name_key, name
            """, path: path)
    }

    deinit {
        if ownsConnection { sqlite3_close_v2(connection) }
    }

    /// A memory on a private temporary database that SQLite deletes when it is closed: what
    /// `validate` uses to find duplicate keys in a file of any size without an archive.
    public static func temporary() throws(ArchiveError) -> ArchiveMemory {
        var connection: OpaquePointer?
        SQLiteSettings.apply()
        let code = sqlite3_open_v2("", &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let connection else {
            sqlite3_close_v2(connection)
            throw ArchiveError(.open, path: "(temporary database)",
                               message: "cannot create a temporary database; check TMPDIR's free space")
        }
        for sql in [Archive.recordKeysTable, Archive.subjectNamesTable] {
            let result = sqlite3_exec(connection, sql, nil, nil, nil)
            guard result == SQLITE_OK else {
                let cause = String(cString: sqlite3_errmsg(connection))
                sqlite3_close_v2(connection)
                throw ArchiveError(path: "(temporary database)", doing: "creating the temporary tables",
                                   primaryCode: result & 0xFF, cause: cause)
            }
        }
        return try ArchiveMemory(connection: connection, path: "(temporary database)", item: "", fileID: 1,
                                 ownsConnection: true)
    }

    /// A digest scoped to an item: the same key in two items is two rows. XOR with the item's
    /// digest keeps it 16 bytes and as well spread as the key's.
    static func scoped(_ digest: KeyDigest, _ scope: KeyDigest) -> KeyDigest {
        KeyDigest(high: digest.high ^ scope.high, low: digest.low ^ scope.low)
    }

    /// ``scoped(_:_:)`` for an item id.
    public static func scoped(_ digest: KeyDigest, item: String) -> KeyDigest {
        scoped(digest, KeyDigest(Array(item.utf8)))
    }

    public func noteKey(_ key: KeyDigest) throws -> KeyState? {
        noteKeyStatement.reset()
        noteKeyStatement.bind(2, Self.scoped(key, scope))
        noteKeyStatement.bind(3, fileID)
        // With RETURNING, SQLite makes the change at the first step.
        guard try noteKeyStatement.step("recording a business key") else { return nil }
        let state = KeyState(key: key, version: noteKeyStatement.int64(0) ?? 0, content: noteKeyStatement.digest(1),
                             currentRow: noteKeyStatement.int64(2), withdrawn: noteKeyStatement.int64(3) == 1)
        noteKeyStatement.reset()
        return state
    }

    public func noteName(code: KeyDigest, key: KeyDigest, name: UnsafeBufferPointer<UInt8>?) throws
        -> (key: KeyDigest, name: String)?
    {
        noteNameStatement.reset()
        noteNameStatement.bind(2, Self.scoped(code, scope))
        noteNameStatement.bind(3, key)
        noteNameStatement.bind(4, bytes: name ?? UnsafeBufferPointer(start: nil, count: 0))
        guard try noteNameStatement.step("recording a subject's first name"),
              let first = noteNameStatement.digest(0), first != key else {
            noteNameStatement.reset()
            return nil
        }
        let conflict = (first, noteNameStatement.text(1) ?? "")
        noteNameStatement.reset()
        return conflict
    }
}
