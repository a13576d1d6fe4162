import CreditArchive
import CreditCore
import GRDBSQLite

/// One SQLite statement prepared on a raw connection, for the per-record paths (the archive's
/// file sink and the validation memory) where GRDB's conveniences would allocate per value.
///
/// Every call checks its result code: a failed step throws an ``ArchiveError`` with SQLite's
/// own message, so a full disk stops the file instead of passing for an empty answer.
final class PreparedStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let path: String
    /// The first failed bind since the last step: a value SQLite refused (too big, out of
    /// memory) must fail the step, not be stored as NULL.
    private var bindFailure: Int32 = SQLITE_OK
    /// 16 bytes per parameter for digests bound without a copy (SQLITE_STATIC): a copied blob
    /// is an `sqlite3_malloc`, which takes SQLite's global memory mutex, several times a record.
    private let digestSlots: UnsafeMutableRawPointer
    private let parameterCount: Int32

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
        parameterCount = sqlite3_bind_parameter_count(statement)
        digestSlots = .allocate(byteCount: 16 * max(Int(parameterCount), 1), alignment: 8)
    }

    deinit {
        sqlite3_finalize(handle)
        digestSlots.deallocate()
    }
    // A connection must outlive its statements: owners finalize (release) them before closing.

    /// Resets the statement for new bindings (the previous step's error, if any, was thrown already).
    @inline(__always) func reset() {
        sqlite3_reset(handle)
    }

    @inline(__always) private func checked(_ code: Int32) {
        if code != SQLITE_OK, bindFailure == SQLITE_OK { bindFailure = code }
    }

    @inline(__always) func bind(_ index: Int32, _ value: Int64) {
        checked(sqlite3_bind_int64(handle, index, value))
    }

    @inline(__always) func bind(_ index: Int32, _ value: Int64?) {
        checked(value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index))
    }

    /// Binds text that SQLite copies (SQLITE_TRANSIENT).
    @inline(__always) func bind(_ index: Int32, _ value: String?) {
        guard let value else {
            checked(sqlite3_bind_null(handle, index))
            return
        }
        checked(sqlite3_bind_text(handle, index, value, -1, SQLITE_TRANSIENT))
    }

    /// Binds UTF-8 bytes without copying them (SQLITE_STATIC): they must stay valid until the
    /// statement is stepped. nil binds NULL; an empty buffer binds the empty string.
    @inline(__always) func bind(_ index: Int32, bytes value: UnsafeBufferPointer<UInt8>?) {
        guard let value else {
            checked(sqlite3_bind_null(handle, index))
            return
        }
        guard let base = value.baseAddress, !value.isEmpty else {
            checked(sqlite3_bind_text(handle, index, "", 0, nil))
            return
        }
        base.withMemoryRebound(to: CChar.self, capacity: value.count) { pointer in
            checked(sqlite3_bind_text(handle, index, pointer, Int32(clamping: value.count), nil))
        }
    }

    /// Binds a digest as its 16 stored bytes (copied).
    @inline(__always) func bind(_ index: Int32, _ digest: KeyDigest?) {
        guard let digest else {
            sqlite3_bind_null(handle, index)
            return
        }
        guard index >= 1, index <= parameterCount else {
            checked(SQLITE_RANGE)
            return
        }
        let slot = digestSlots + 16 * Int(index - 1)
        slot.storeBytes(of: digest.high.bigEndian, as: UInt64.self)
        slot.storeBytes(of: digest.low.bigEndian, toByteOffset: 8, as: UInt64.self)
        // The slot stays as it is until the next bind of this index, after the step.
        checked(sqlite3_bind_blob(handle, index, slot, 16, nil))
    }

    /// Steps once; true when a row is available, false when the statement is done.
    @discardableResult
    func step(_ doing: @autoclosure () -> String) throws(ArchiveError) -> Bool {
        if bindFailure != SQLITE_OK {
            let code = bindFailure
            bindFailure = SQLITE_OK
            throw ArchiveError(path: path, doing: doing(), primaryCode: code & 0xFF,
                               cause: String(cString: sqlite3_errstr(code)))
        }
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
