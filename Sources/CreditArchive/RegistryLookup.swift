import GRDBSQLite

/// Looks up registered subject names on a read-only connection of its own.
///
/// Validation runs inside a file's write transaction; with WAL a second connection reads what
/// earlier files of the run committed (the registry feed is archived first) while the current
/// file is being written. One prepared statement on a raw connection: this is asked once per
/// new subject code, which in a backfill is once per record.
public final class RegistryLookup: @unchecked Sendable {
    private let connection: OpaquePointer
    private let select: PreparedStatement
    private let any: PreparedStatement
    private let path: String
    /// Whether the connection is this lookup's own (closed with it), or the archive's writer.
    private let ownsConnection: Bool

    public convenience init(archive: Archive) throws(ArchiveError) {
        var handle: OpaquePointer?
        SQLiteSettings.apply()
        let code = sqlite3_open_v2(archive.path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let cause = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw ArchiveError(path: archive.path, doing: "opening the archive for registry lookups",
                               primaryCode: code & 0xFF, cause: cause)
        }
        try self.init(connection: handle, ownsConnection: true, path: archive.path)
    }

    /// Lookups on the archive's own connection, inside the file's transaction: what a run with
    /// the rollback journal needs, since there a second connection cannot read while a file is
    /// written. The registry's files are archived first, so they are committed by then.
    public convenience init(sharingConnectionOf archive: Archive) throws(ArchiveError) {
        try self.init(connection: archive.connection, ownsConnection: false, path: archive.path)
    }

    private init(connection: OpaquePointer, ownsConnection: Bool, path: String) throws(ArchiveError) {
        self.connection = connection
        self.ownsConnection = ownsConnection
        self.path = path
        do {
            select = try PreparedStatement(connection, "SELECT name FROM registry WHERE code = ?1", path: path)
            any = try PreparedStatement(connection, "SELECT EXISTS (SELECT 1 FROM registry)", path: path)
        } catch {
            if ownsConnection { sqlite3_close_v2(connection) }
            throw error
        }
    }

    deinit {
        if ownsConnection { sqlite3_close_v2(connection) }
    }

    /// True when no registry file has been archived yet: the run then asks nothing per code
    /// (a first backfill, an archive without the 企业登记注册 feed).
    public func isEmpty() throws(ArchiveError) -> Bool {
        any.reset()
        defer { any.reset() }
        return try any.step("looking at the subject registry") && any.int64(0) == 0
    }

    /// The latest registered name of `code`, or nil. Throws when the archive cannot be read: a
    /// failed lookup must not pass for "not registered".
    public func registeredName(code: String) throws -> String? {
        select.reset()
        select.bind(1, code)
        let name = try select.step("looking up the subject registry") ? select.text(0) : nil
        // Ends the read transaction, so the next lookup sees files committed since.
        select.reset()
        return name
    }
}
