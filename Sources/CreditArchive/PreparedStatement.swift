import CreditCore
import GRDBSQLite

/// One SQLite statement prepared on a raw connection, for the per-record paths (the archive's
/// file sink and the validation memory) where GRDB's conveniences would allocate per value.
///
/// Every call checks its result code: a failed step throws an ``ArchiveError`` with SQLite's
/// own message, so a full disk stops the file instead of passing for an empty answer.
final class PreparedStatement {
    let handle: OpaquePointer
    private let connection: OpaquePointer
    private let path: String

    init(_ connection: OpaquePointer, _ sql: String, path: String) throws(ArchiveError) {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw ArchiveError(path: path, doing: "preparing a statement", primaryCode: code & 0xFF,
                               cause: String(cString: sqlite3_errmsg(connection)))
        }
        handle = statement
        self.connection = connection
        self.path = path
    }

    deinit { sqlite3_finalize(handle) }
    // A connection must outlive its statements: owners finalize (release) them before closing.

    /// Resets the statement for new bindings (the previous step's error, if any, was thrown already).
    @inline(__always) func reset() {
        sqlite3_reset(handle)
    }

    @inline(__always) func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    @inline(__always) func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds text that SQLite copies (SQLITE_TRANSIENT).
    @inline(__always) func bind(_ index: Int32, _ value: String?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_text(handle, index, value, -1, SQLITE_TRANSIENT)
    }

    /// Binds a digest as its 16 stored bytes (copied).
    @inline(__always) func bind(_ index: Int32, _ digest: KeyDigest?) {
        guard let digest else {
            sqlite3_bind_null(handle, index)
            return
        }
        let bigEndian = (digest.high.bigEndian, digest.low.bigEndian)
        withUnsafeBytes(of: bigEndian) { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress, 16, SQLITE_TRANSIENT)
        }
    }

    /// Steps once; true when a row is available, false when the statement is done.
    @discardableResult
    func step(_ doing: @autoclosure () -> String) throws(ArchiveError) -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        let message = String(cString: sqlite3_errmsg(connection))
        sqlite3_reset(handle)
        throw ArchiveError(path: path, doing: doing(), primaryCode: code & 0xFF, cause: message)
    }

    func int64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    func text(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: text)
    }

    func digest(_ column: Int32) -> KeyDigest? {
        guard let blob = sqlite3_column_blob(handle, column), sqlite3_column_bytes(handle, column) == 16 else {
            return nil
        }
        let raw = UnsafeRawBufferPointer(start: blob, count: 16)
        return KeyDigest(high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                         low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }
}

/// SQLite copies the bound value before the call returns.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
