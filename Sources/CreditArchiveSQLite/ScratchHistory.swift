import CreditArchive
import CreditCore
import GRDBSQLite

/// The memory of `validate`: the business keys one file carried and the first name of each
/// subject code, on a private temporary database that SQLite deletes when it is closed, so that
/// a file of any size is checked for repeated keys and 重码 in bounded memory, without an archive.
public final class ScratchHistory {
    private let connection: OpaquePointer
    private let selectKey: PreparedStatement
    private let noteKey: PreparedStatement
    private let selectName: PreparedStatement
    private let insertName: PreparedStatement
    private static let path = "(temporary database)"

    public init() throws(ArchiveError) {
        var handle: OpaquePointer?
        SQLiteSettings.apply()
        let code = sqlite3_open_v2("", &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            sqlite3_close_v2(handle)
            throw ArchiveError(.open, path: Self.path, message: "cannot create a temporary database; check TMPDIR's free space")
        }
        connection = handle
        do throws(ArchiveError) {
            for sql in [Archive.recordKeysTable, Archive.subjectNamesTable] {
                let result = sqlite3_exec(connection, sql, nil, nil, nil)
                guard result == SQLITE_OK else {
                    throw ArchiveError(path: Self.path, doing: "creating the temporary tables", primaryCode: result & 0xFF,
                                       cause: String(cString: sqlite3_errmsg(connection)))
                }
            }
            selectKey = try PreparedStatement(connection, "SELECT 1 FROM record_keys WHERE key = ?1", path: Self.path)
            noteKey = try PreparedStatement(connection, "INSERT OR IGNORE INTO record_keys (key, seen_file) VALUES (?1, 1)",
                                            path: Self.path)
            selectName = try PreparedStatement(connection, "SELECT name_key, name FROM subject_names WHERE code = ?1",
                                               path: Self.path)
            insertName = try PreparedStatement(connection, "INSERT INTO subject_names (code, name_key, name) VALUES (?1, ?2, ?3)",
                                               path: Self.path)
        } catch {
            sqlite3_close_v2(connection)
            throw error
        }
    }

    deinit {
        sqlite3_close_v2(connection)
    }

    /// The keys this file carried already and the codes' first names, of what `questions` name.
    public func fetchPrior(_ questions: HistoryQuestions, into prior: inout PriorState) throws(ArchiveError) {
        prior.removeAll()
        for key in questions.keys {
            selectKey.reset()
            selectKey.bind(1, key)
            if try selectKey.step("reading a business key") { prior.keys[key] = KeyHistory(carriedByThisFile: true) }
        }
        selectKey.reset()
        for code in questions.codes {
            selectName.reset()
            selectName.bind(1, code)
            guard try selectName.step("reading a subject's first name"), let key = selectName.digest(0) else { continue }
            prior.firstNames[code] = SubjectName(key: key, name: selectName.text(1) ?? "")
        }
        selectName.reset()
    }

    /// Remembers what a batch's verdicts changed: the keys it carried, the codes it named first.
    public func record(_ history: HistoryVerdicts) throws(ArchiveError) {
        for verdict in history.records {
            guard let key = verdict.key else { continue }
            noteKey.reset()
            noteKey.bind(1, key)
            try noteKey.step("noting a business key")
        }
        for first in history.firstNames {
            insertName.reset()
            insertName.bind(1, first.code)
            insertName.bind(2, first.key)
            insertName.bind(3, first.name)
            try insertName.step("recording a subject's first name")
        }
    }
}
