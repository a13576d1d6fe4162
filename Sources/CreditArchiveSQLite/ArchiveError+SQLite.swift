import CreditArchive
import GRDB
import GRDBSQLite

extension ArchiveError {
    /// Classifies an error SQLite (or GRDB) raised while `doing` something.
    package init(path: String, doing: String, error: any Error) {
        if let error = error as? ArchiveError {
            self = error
            return
        }
        var primary: Int32 = -1
        var cause = "\(error)"
        if let error = error as? DatabaseError {
            primary = error.resultCode.primaryResultCode.rawValue
            cause = error.message ?? "\(error.resultCode)"
        }
        self.init(path: path, doing: doing, primaryCode: primary, cause: cause)
    }

    package init(path: String, doing: String, primaryCode: Int32, cause: String) {
        let code: Code
        let advice: String
        switch primaryCode {
        case SQLITE_FULL:
            code = .full
            advice = "the disk beside the archive is full; free space and run again"
        case SQLITE_IOERR:
            code = .io
            advice = "the disk failed or a file-size limit was reached (`ulimit -f`); check the disk and run again"
        case SQLITE_BUSY, SQLITE_LOCKED:
            code = .busy
            advice = "another process holds the archive; wait for it to finish and run again"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            code = .corrupt
            advice = "the archive file is damaged; restore it from a backup"
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_READONLY:
            code = .open
            advice = "check that the folder exists, is writable, and holds a credit-etl archive"
        default:
            code = .statement
            advice = "this is likely a bug; keep the archive and report the message"
        }
        self.init(code, path: path, message: "\(doing) failed: \(advice)", cause: cause)
    }
}
