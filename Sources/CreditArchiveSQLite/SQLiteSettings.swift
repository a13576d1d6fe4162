import CreditArchive
import CSQLiteSettings

/// Process-wide SQLite settings, made before the first connection opens.
///
/// The archive's connections are each used by one thread at a time (GRDB serializes its own), so
/// SQLite's per-connection mutexes and its global memory-statistics mutex are pure cost: 5% of a
/// large run went to `pthread_mutex_lock`/`unlock` (docs/performance.md).
enum SQLiteSettings {
    /// What applying the settings gave: `SQLITE_OK` (0), or `SQLITE_MISUSE` (21) when SQLite was
    /// already initialized in this process (a host application opened a database first), which
    /// leaves SQLite's defaults: slower, equally correct.
    static let applied: Int32 = {
        let threading = credit_sqlite_config_multithread()
        guard threading == 0 else { return threading }
        return credit_sqlite_config_memstatus(0)
    }()

    /// Applies the settings once; every path that opens a connection calls it first.
    static func apply() {
        _ = applied
    }
}
