import CreditArchive
import CreditCatalog
import Foundation
import GRDB

extension Archive {
    /// The archive's own tables. Item tables are made from the catalog by ``prepare(items:)``.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    pipeline TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    status TEXT NOT NULL,
                    error TEXT
                );
                -- The ledger: one row per file ever archived, keyed by its content hash (and, since v6, its department).
                CREATE TABLE files (
                    id INTEGER PRIMARY KEY,
                    sha256 TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    feed TEXT NOT NULL,
                    department TEXT NOT NULL,
                    item TEXT NOT NULL,
                    format TEXT NOT NULL,
                    header TEXT NOT NULL,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    ingested_at TEXT NOT NULL,
                    records INTEGER NOT NULL DEFAULT 0,
                    compliant INTEGER NOT NULL DEFAULT 0
                );
                -- What each run did with each file it saw (archived, skipped, failed, unmatched).
                CREATE TABLE run_files (
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    path TEXT NOT NULL,
                    sha256 TEXT,
                    outcome TEXT NOT NULL,
                    file_id INTEGER REFERENCES files(id),
                    feed TEXT,
                    line INTEGER,
                    message TEXT
                );
                CREATE INDEX run_files_by_run ON run_files(run_id);
                -- Records with at least one error, as received (a JSON array in header order).
                CREATE TABLE rejected_records (
                    id INTEGER PRIMARY KEY,
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    line INTEGER NOT NULL,
                    byte_offset INTEGER NOT NULL,
                    fields TEXT NOT NULL
                );
                CREATE INDEX rejected_by_file ON rejected_records(file_id, line);
                -- Every finding, errors and warnings, on rejected and accepted records.
                CREATE TABLE findings (
                    id INTEGER PRIMARY KEY,
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    line INTEGER,
                    rule TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    field TEXT,
                    value TEXT,
                    detail TEXT,
                    personal INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX findings_by_file ON findings(file_id, rule);
                -- Quality counts per file, so any slice of any run re-aggregates by adding.
                CREATE TABLE file_finding_counts (
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    rule TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    field TEXT NOT NULL DEFAULT '',
                    count INTEGER NOT NULL,
                    PRIMARY KEY (file_id, rule, severity, field)
                );
                """)
        }
        migrator.registerMigration("v2-timeliness-and-subjects") { db in
            try db.execute(sql: """
                -- When the file was submitted (from its name, else the run's date), and its
                -- timeliness verdicts (及时率).
                ALTER TABLE files ADD COLUMN submitted TEXT;
                ALTER TABLE files ADD COLUMN timely INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE files ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE files ADD COLUMN timeliness_unknown INTEGER NOT NULL DEFAULT 0;
                -- Each distinct (subject code, name) a file carried: 错码 and 重码 are counted from it.
                CREATE TABLE subject_codes (
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    code TEXT NOT NULL,
                    name_key TEXT NOT NULL,
                    name TEXT NOT NULL,
                    valid INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX subject_codes_by_file ON subject_codes(file_id, code, name_key);
                -- The subject registry: the latest registered name of each code, from the items
                -- marked `registry: true` (企业登记注册).
                CREATE TABLE registry (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    name_key TEXT NOT NULL,
                    file_id INTEGER NOT NULL REFERENCES files(id)
                );
                """)
        }
        migrator.registerMigration("v3-history") { db in
            try db.execute(sql: Archive.recordKeysTable + ";" + Archive.subjectNamesTable + ";" + """
                -- Decisions (the business key without its subject part) rejected and not corrected
                -- since: a later accepted record of the same decision corrects it (纠正).
                -- (`decision` is scoped to the item: see KeyScope.)
                CREATE TABLE rejected_decisions (
                    decision BLOB PRIMARY KEY,
                    item TEXT NOT NULL,
                    file_id INTEGER NOT NULL
                ) WITHOUT ROWID;
                -- The key, decision and subject of a rejected record, for corrections and `trace`.
                ALTER TABLE rejected_records ADD COLUMN key BLOB;
                ALTER TABLE rejected_records ADD COLUMN decision BLOB;
                ALTER TABLE rejected_records ADD COLUMN subject_code TEXT;
                ALTER TABLE rejected_records ADD COLUMN subject_name TEXT;
                CREATE INDEX rejected_by_key ON rejected_records(key) WHERE key IS NOT NULL;
                CREATE INDEX rejected_by_decision ON rejected_records(decision) WHERE decision IS NOT NULL;
                -- What each file did to the archive's history.
                ALTER TABLE files ADD COLUMN new_records INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE files ADD COLUMN new_versions INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE files ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE files ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE files ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE subject_codes ADD COLUMN personal INTEGER NOT NULL DEFAULT 0;
                -- Covering indexes for 重码 both ways: a code's names (also what keeps a file's
                -- pairs unique), a name's valid codes. By file, only the file id: rows come in
                -- file order, so that index is appended to, never reshuffled.
                DROP INDEX subject_codes_by_file;
                CREATE INDEX subject_codes_by_file ON subject_codes(file_id);
                CREATE UNIQUE INDEX subject_codes_by_code ON subject_codes(code, name_key, file_id);
                CREATE INDEX subject_codes_by_name ON subject_codes(name_key, valid, code, file_id);
                CREATE INDEX files_by_run ON files(run_id, department, item);
                -- A run whose process died is reported by the next run: this names that run.
                ALTER TABLE runs ADD COLUMN reported_in INTEGER;
                -- The 重错码 codes each run's report found per department × item: 纠正率's
                -- denominator later, "as judged then", without re-reading the slice's history.
                CREATE TABLE report_flags (
                    department TEXT NOT NULL,
                    item TEXT NOT NULL,
                    code TEXT NOT NULL,
                    run_id INTEGER NOT NULL,
                    PRIMARY KEY (department, item, code, run_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-file-encoding") { db in
            // The encoding the department's file was in, so that its feedback goes back in it.
            // Files archived before this are taken as UTF-8.
            try db.execute(sql: "ALTER TABLE files ADD COLUMN encoding TEXT")
        }
        migrator.registerMigration("v5-run-figures") { db in
            // Each reported run's headline figures, for trends: what the report showed, kept so a
            // trend never recomputes old runs. `day` is the run's civil date (Asia/Shanghai).
            try db.execute(sql: """
                CREATE TABLE run_figures (
                    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
                    day TEXT NOT NULL,
                    records INTEGER NOT NULL,
                    compliant INTEGER NOT NULL,
                    timely INTEGER NOT NULL,
                    late INTEGER NOT NULL,
                    distinct_codes INTEGER NOT NULL,
                    dup_error_codes INTEGER NOT NULL
                )
                """)
        }
        migrator.registerMigration("v6-ledger-per-department") { db in
            // A file is one department's submission: the same bytes from two departments (two
            // header-only "nothing to report" files) are two files, each counted for its sender.
            // SQLite cannot drop a column's UNIQUE: the ledger is copied into a table without it
            // (foreign keys are checked once the migration is done).
            guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'files'"),
                  sql.contains("sha256 TEXT NOT NULL UNIQUE") else {
                throw ArchiveError(.corrupt, path: db.description, message: "the ledger (files) is not the table this "
                    + "version expects; restore the archive from a backup")
            }
            let indexes = try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'files' AND sql IS NOT NULL
                """)
            // The table's own definition under a new name (`CREATE TABLE files (` or, once renamed,
            // `CREATE TABLE "files" (`), without the UNIQUE.
            guard let columns = sql.firstIndex(of: "(") else {
                throw ArchiveError(.corrupt, path: db.description, message: "the ledger's definition cannot be read; "
                    + "restore the archive from a backup")
            }
            try db.execute(sql: "CREATE TABLE files_v6 " + sql[columns...]
                .replacingOccurrences(of: "sha256 TEXT NOT NULL UNIQUE", with: "sha256 TEXT NOT NULL"))
            try db.execute(sql: """
                INSERT INTO files_v6 SELECT * FROM files;
                DROP TABLE files;
                ALTER TABLE files_v6 RENAME TO files;
                """)
            for index in indexes { try db.execute(sql: index) }
            try db.execute(sql: "CREATE UNIQUE INDEX files_by_content ON files(sha256, department)")
        }
        migrator.registerMigration("v7-rejected-prints") { db in
            // A rejected record's print as received (``RecordPrinter``): the same bytes rejected
            // again are kept, but not counted again in the code figures. (A stored version's
            // print is its row's `_print`, added to the item tables by ``prepare(items:)``.)
            try db.execute(sql: "ALTER TABLE rejected_records ADD COLUMN print BLOB")
        }
        migrator.registerMigration("v8-standard-editions") { db in
            // Records each file had checked against each edition of its item's standard (the 2016
            // layout's decisions against the 2016 edition): the report says which applied.
            try db.execute(sql: """
                CREATE TABLE file_edition_counts (
                    file_id INTEGER NOT NULL REFERENCES files(id),
                    edition TEXT NOT NULL,
                    records INTEGER NOT NULL,
                    PRIMARY KEY (file_id, edition)
                )
                """)
        }
        migrator.registerMigration("v9-publication") { db in
            // The publication ledger (`credit-etl publish`): each export, the changes it carried,
            // and what the last export said of each key, so each change leaves exactly once.
            try db.execute(sql: Self.publicationTables)
        }
        migrator.registerMigration("v10-publication-marks") { db in
            // Whether a record went out marked as disputed (异议处理中), in both ledger tables.
            try db.execute(sql: PublicationLedgerSQL.markedColumns)
        }
        migrator.registerMigration("v11-export-after-run") { db in
            // The last run started when an export was recorded: a run's report counts the exports since.
            try db.execute(sql: PublicationLedgerSQL.afterRunColumn)
        }
        return migrator
    }

    /// The publication ledger's tables (the same on PostgreSQL but for the types).
    static let publicationTables = PublicationLedgerSQL.tables(serial: "INTEGER PRIMARY KEY", blob: "BLOB",
                                                               integer: "INTEGER", withoutRowID: " WITHOUT ROWID")

    /// Where each business key of each item stands: the last file that carried it (a key twice
    /// in one file is `DUP_RECORD`), its accepted versions, the digest of the current version's
    /// content (a resubmission with the same digest is `unchanged`), and whether it was withdrawn.
    /// `key` is the key's digest scoped to its item (``KeyScope``), so the
    /// B-tree compares 16 bytes, not an item name and then 16 bytes.
    static let recordKeysTable = """
        CREATE TABLE record_keys (
            key BLOB PRIMARY KEY,
            seen_file INTEGER NOT NULL,
            version INTEGER NOT NULL DEFAULT 0,
            current_row INTEGER,
            content BLOB,
            withdrawn INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID
        """

    /// The first name each subject code (digest, scoped to the item) was seen with in each item,
    /// across runs: a later other name in the same item is `USCC_NAME_CONFLICT` (a name other than
    /// the registry's has its own warning).
    static let subjectNamesTable = """
        CREATE TABLE subject_names (
            code BLOB PRIMARY KEY,
            name_key BLOB NOT NULL,
            name TEXT NOT NULL
        ) WITHOUT ROWID
        """

    /// The table accepted records of `item` go to.
    
    /// The view of the current version of every record of `item` (withdrawn ones included, with
    /// `_withdrawn = 1`).
    
    /// The view of what is published: current versions not withdrawn (a withdrawal ends a
    /// record's publication, spec §7.2).
    
    /// The archive's own columns of an item table, after the lineage columns and fields.
    static let historyColumns = [
        ("_key", "BLOB"), ("_decision", "BLOB"), ("_previous", "INTEGER"), ("_version", "INTEGER NOT NULL DEFAULT 1"), ("_current", "INTEGER NOT NULL DEFAULT 1"),
        ("_withdrawn", "INTEGER NOT NULL DEFAULT 0"),
        // The version's print as received (``RecordPrinter``): a large file of the same feed loads
        // its current versions' prints, and a byte-identical re-send is counted without checks.
        ("_print", "BLOB"),
    ]

    /// Drops the index of `items`' subject codes for a large load (``SubjectLookup/dropStatements(of:)``);
    /// ``makeSubjectIndexes(items:)`` (or the next run's ``prepare(items:)``, if this one dies)
    /// builds it again. Built after the load it is one sort instead of a random insert per record,
    /// which made a 10,000,000-record backfill's last million 26% slower than its first and the
    /// backfill 25% slower in all (docs/performance.md).
    public func dropSubjectIndexes(items: [CatalogItem]) throws(ArchiveError) {
        try write { db in
            for item in items.sorted(by: { $0.id < $1.id }) {
                for statement in SubjectLookup.dropStatements(of: item) { try db.execute(sql: statement) }
            }
        }
    }

    /// Writes the digest of each `field` value of `table` into its digest column, a slice of rows
    /// at a time (an update is not made while a statement still reads the table).
    static func fillIdentityDigests(_ db: Database, table: String, field: String) throws {
        let update = try db.makeStatement(sql: "UPDATE \(table) SET \(SubjectLookup.digestColumn(field)) = ? WHERE _id = ?")
        var after: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT _id, \(field) FROM \(table) WHERE _id > ? AND \(field) IS NOT NULL ORDER BY _id LIMIT 10000
                """, arguments: [after])
            guard let last = rows.last else { return }
            for row in rows {
                let value: String = row[1]
                try update.execute(arguments: [SubjectLookup.identityDigest(value).map { Data($0.bytes) }, row[0] as Int64])
            }
            after = last[0]
        }
    }

    /// Builds the subject lookup's indexes of `items` where they are missing.
    public func makeSubjectIndexes(items: [CatalogItem]) throws(ArchiveError) {
        try write { db in try Self.indexing(db) {
            for item in items.sorted(by: { $0.id < $1.id }) where try db.tableExists(ArchiveSchema.tableName(forItem: item.id)) {
                for statement in SubjectLookup.indexStatements(of: item) { try db.execute(sql: statement) }
            }
        } }
    }

    /// Creates each item's table and its view of current versions, and adds columns for fields
    /// the catalog gained since.
    ///
    /// Item and field ids are checked by the catalog loader to be plain lower-case words, so
    /// they are safe to use as SQL names.
    public func prepare(items: [CatalogItem]) throws(ArchiveError) {
        try write { db in
            // In id order: archives built from the same catalog have the same schema, table for table.
            for item in items.sorted(by: { $0.id < $1.id }) {
                let table = ArchiveSchema.tableName(forItem: item.id)
                let view = ArchiveSchema.currentViewName(forItem: item.id)
                if try db.tableExists(table) {
                    let existing = Set(try db.columns(in: table).map(\.name))
                    for field in item.fields where !existing.contains(field.id) {
                        try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(field.id) TEXT")
                    }
                    for (column, type) in Self.historyColumns where !existing.contains(column) {
                        try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(column) \(type)")
                    }
                } else {
                    let columns = item.fields.map { "    \($0.id) TEXT" }.joined(separator: ",\n")
                    try db.execute(sql: """
                        CREATE TABLE \(table) (
                            _id INTEGER PRIMARY KEY,
                            _file INTEGER NOT NULL REFERENCES files(id),
                            _line INTEGER NOT NULL,
                            _offset INTEGER NOT NULL,
                        \(columns),
                            _raw TEXT,
                            _extra TEXT,
                            _key BLOB,
                            _decision BLOB,
                            _previous INTEGER,
                            _version INTEGER NOT NULL DEFAULT 1,
                            _current INTEGER NOT NULL DEFAULT 1,
                            _withdrawn INTEGER NOT NULL DEFAULT 0,
                            _print BLOB
                        );
                        CREATE INDEX \(table)_by_file ON \(table)(_file, _line);
                        """)
                }
                // The ID numbers' digests, computed for the rows of an archive made before they were kept.
                let columns = Set(try db.columns(in: table).map(\.name))
                for field in SubjectLookup.fields(of: item, for: .identityNumber)
                where !columns.contains(SubjectLookup.digestColumn(field)) {
                    try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(SubjectLookup.digestColumn(field)) BLOB")
                    try Self.fillIdentityDigests(db, table: table, field: field)
                }
                // The subject lookup's indexes (`credit-etl subject`), made where missing.
                for statement in SubjectLookup.indexStatements(of: item) { try db.execute(sql: statement) }
                // A view's `*` is fixed when it is made: remake it so it has every column.
                let published = ArchiveSchema.publishedViewName(forItem: item.id)
                try db.execute(sql: """
                    DROP VIEW IF EXISTS \(view);
                    CREATE VIEW \(view) AS SELECT * FROM \(table) WHERE _current = 1;
                    DROP VIEW IF EXISTS \(published);
                    CREATE VIEW \(published) AS SELECT * FROM \(table) WHERE _current = 1 AND _withdrawn = 0;
                    """)
            }
        }
    }
}
