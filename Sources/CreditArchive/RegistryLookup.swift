import GRDB

/// Looks up registered subject names on a read-only connection of its own.
///
/// Validation runs inside a file's write transaction, where the archive's own connection cannot
/// be re-entered; with WAL a second connection reads what earlier files of the run committed
/// (the registry feed is archived first) while the current file is being written.
public final class RegistryLookup: @unchecked Sendable {
    private let queue: DatabaseQueue
    private let path: String

    public init(archive: Archive) throws(ArchiveError) {
        path = archive.path
        var configuration = Configuration()
        configuration.readonly = true
        do {
            queue = try DatabaseQueue(path: archive.path, configuration: configuration)
        } catch {
            throw ArchiveError(path: archive.path, message: "cannot open the archive for registry lookups (\(error))")
        }
    }

    /// The latest registered name of `code`, or nil. Throws when the archive cannot be read: a
    /// failed lookup must not pass for "not registered".
    public func registeredName(code: String) throws -> String? {
        do {
            return try queue.read { db in
                try String.fetchOne(db, sql: "SELECT name FROM registry WHERE code = ?", arguments: [code])
            }
        } catch {
            throw ArchiveError(path: path, doing: "looking up the subject registry", error: error)
        }
    }
}
