import GRDBSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run's working memory kept on disk: the business keys and the first subject names it has
/// seen, in a throw-away SQLite file beside the archive. Lookups go through SQLite's page cache
/// (32 MB), so a backfill of any size runs in bounded memory; each file's additions sit in a
/// savepoint, rolled back when the file is not archived.
///
/// Raw sqlite3 calls on prepared statements: this is on the per-record path.
public final class ScratchStore {
    private var db: OpaquePointer?
    private let path: String
    private var insertKey: OpaquePointer?
    private var selectName: OpaquePointer?
    private var insertName: OpaquePointer?
    private var pending = 0

    public init(besideArchive archive: String) throws(ArchiveError) {
        path = archive + ".scratch-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        unlink(path)
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            throw ArchiveError(path: path, message: "cannot create the run's scratch file beside the archive")
        }
        for sql in ["PRAGMA journal_mode = TRUNCATE", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -32768",
                    "PRAGMA temp_store = FILE",
                    "CREATE TABLE keys (high INTEGER, low INTEGER, PRIMARY KEY (high, low)) WITHOUT ROWID",
                    "CREATE TABLE names (high INTEGER, low INTEGER, key_high INTEGER, key_low INTEGER, name TEXT, "
                        + "PRIMARY KEY (high, low)) WITHOUT ROWID",
                    "BEGIN"] {
            sqlite3_exec(db, sql, nil, nil, nil)
        }
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO keys VALUES (?, ?)", -1, &insertKey, nil)
        sqlite3_prepare_v2(db, "SELECT key_high, key_low, name FROM names WHERE high = ? AND low = ?", -1, &selectName, nil)
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO names VALUES (?, ?, ?, ?, ?)", -1, &insertName, nil)
    }

    deinit {
        sqlite3_finalize(insertKey)
        sqlite3_finalize(selectName)
        sqlite3_finalize(insertName)
        sqlite3_close(db)
        unlink(path)
        unlink(path + "-journal")
    }

    /// Records a key given as two 64-bit halves; false when it was already there.
    public func insertKey(high: UInt64, low: UInt64) -> Bool {
        sqlite3_reset(insertKey)
        sqlite3_bind_int64(insertKey, 1, Int64(bitPattern: high))
        sqlite3_bind_int64(insertKey, 2, Int64(bitPattern: low))
        sqlite3_step(insertKey)
        return sqlite3_changes(db) > 0
    }

    /// The first name recorded for a code: its key's halves and its text.
    public func firstName(high: UInt64, low: UInt64) -> (keyHigh: UInt64, keyLow: UInt64, name: String)? {
        sqlite3_reset(selectName)
        sqlite3_bind_int64(selectName, 1, Int64(bitPattern: high))
        sqlite3_bind_int64(selectName, 2, Int64(bitPattern: low))
        guard sqlite3_step(selectName) == SQLITE_ROW else { return nil }
        let name = sqlite3_column_text(selectName, 2).map { String(cString: $0) } ?? ""
        return (UInt64(bitPattern: sqlite3_column_int64(selectName, 0)), UInt64(bitPattern: sqlite3_column_int64(selectName, 1)),
                name)
    }

    public func recordName(high: UInt64, low: UInt64, keyHigh: UInt64, keyLow: UInt64, name: String) {
        sqlite3_reset(insertName)
        sqlite3_bind_int64(insertName, 1, Int64(bitPattern: high))
        sqlite3_bind_int64(insertName, 2, Int64(bitPattern: low))
        sqlite3_bind_int64(insertName, 3, Int64(bitPattern: keyHigh))
        sqlite3_bind_int64(insertName, 4, Int64(bitPattern: keyLow))
        sqlite3_bind_text(insertName, 5, name, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        sqlite3_step(insertName)
    }

    public func beginFile() { sqlite3_exec(db, "SAVEPOINT file", nil, nil, nil) }
    public func commitFile() { sqlite3_exec(db, "RELEASE file", nil, nil, nil) }

    public func rollbackFile() {
        sqlite3_exec(db, "ROLLBACK TO file", nil, nil, nil)
        sqlite3_exec(db, "RELEASE file", nil, nil, nil)
    }
}
