import CreditArchive
import CreditCatalog

extension PostgresArchive {
    /// The archive's own tables on PostgreSQL, as numbered migrations applied once each and noted
    /// in `schema_migrations`. The same tables and columns as the SQLite archive (its migrations
    /// v1 to v5 at once), in PostgreSQL's types: digests are `bytea`, counts `bigint`, flags
    /// stay 0/1 integers so that the report's queries read the same on both.
    ///
    /// Codes, names and hashes compare byte by byte (`COLLATE "C"`): they are identifiers, not
    /// words to sort for readers, and a server's linguistic collation (zh_CN, en_US) costs
    /// several times as much per comparison in indexes that every record touches.
    ///
    /// The tables a record writes to (item tables, `findings`, `rejected_records`,
    /// `subject_codes`) name their file without a foreign key: PostgreSQL checks a foreign key with
    /// a trigger per row, which cost a fifth of a backfill's time (12.1 s against 9.9 s for
    /// 200,000 records). Their rows are written in the transaction that enters the file in the
    /// ledger, so they cannot point at a file that is not there.
    ///
    /// Nothing is ever dropped: a later migration only adds.
    static let migrations: [(name: String, sql: String)] = [
        ("v1", """
        CREATE TABLE runs (
            id bigserial PRIMARY KEY,
            pipeline text NOT NULL,
            started_at text NOT NULL,
            finished_at text,
            status text NOT NULL,
            error text,
            reported_in bigint
        );
        -- The ledger: one row per file ever archived, keyed by its content hash.
        CREATE TABLE files (
            id bigserial PRIMARY KEY,
            sha256 text COLLATE "C" NOT NULL UNIQUE,
            size bigint NOT NULL,
            path text NOT NULL,
            feed text NOT NULL,
            department text NOT NULL,
            item text NOT NULL,
            format text NOT NULL,
            header text NOT NULL,
            run_id bigint NOT NULL REFERENCES runs(id),
            ingested_at text NOT NULL,
            records bigint NOT NULL DEFAULT 0,
            compliant bigint NOT NULL DEFAULT 0,
            submitted text,
            timely bigint NOT NULL DEFAULT 0,
            late bigint NOT NULL DEFAULT 0,
            timeliness_unknown bigint NOT NULL DEFAULT 0,
            new_records bigint NOT NULL DEFAULT 0,
            new_versions bigint NOT NULL DEFAULT 0,
            unchanged bigint NOT NULL DEFAULT 0,
            withdrawn bigint NOT NULL DEFAULT 0,
            corrected bigint NOT NULL DEFAULT 0,
            encoding text
        );
        CREATE INDEX files_by_run ON files(run_id, department, item);
        CREATE TABLE run_files (
            id bigserial PRIMARY KEY,
            run_id bigint NOT NULL REFERENCES runs(id),
            path text NOT NULL,
            sha256 text,
            outcome text NOT NULL,
            file_id bigint REFERENCES files(id),
            feed text,
            line bigint,
            message text
        );
        CREATE INDEX run_files_by_run ON run_files(run_id);
        CREATE TABLE rejected_records (
            id bigserial PRIMARY KEY,
            file_id bigint NOT NULL,
            line bigint NOT NULL,
            byte_offset bigint NOT NULL,
            fields text NOT NULL,
            key bytea,
            decision bytea,
            subject_code text,
            subject_name text
        );
        CREATE INDEX rejected_by_file ON rejected_records(file_id, line);
        CREATE INDEX rejected_by_key ON rejected_records(key) WHERE key IS NOT NULL;
        CREATE INDEX rejected_by_decision ON rejected_records(decision) WHERE decision IS NOT NULL;
        CREATE TABLE findings (
            id bigserial PRIMARY KEY,
            file_id bigint NOT NULL,
            line bigint,
            rule text NOT NULL,
            severity text NOT NULL,
            field text,
            value text,
            detail text,
            personal integer NOT NULL DEFAULT 0
        );
        CREATE INDEX findings_by_file ON findings(file_id, rule);
        CREATE TABLE file_finding_counts (
            file_id bigint NOT NULL REFERENCES files(id),
            rule text NOT NULL,
            severity text NOT NULL,
            field text NOT NULL DEFAULT '',
            count bigint NOT NULL,
            PRIMARY KEY (file_id, rule, severity, field)
        );
        CREATE TABLE subject_codes (
            file_id bigint NOT NULL,
            code text COLLATE "C" NOT NULL,
            name_key text COLLATE "C" NOT NULL,
            name text NOT NULL,
            valid integer NOT NULL,
            personal integer NOT NULL DEFAULT 0
        );
        CREATE INDEX subject_codes_by_file ON subject_codes(file_id);
        CREATE UNIQUE INDEX subject_codes_by_code ON subject_codes(code, name_key, file_id);
        CREATE INDEX subject_codes_by_name ON subject_codes(name_key, valid, code, file_id);
        CREATE TABLE registry (
            code text COLLATE "C" PRIMARY KEY,
            name text NOT NULL,
            name_key text NOT NULL,
            file_id bigint NOT NULL REFERENCES files(id)
        );
        -- Validation's memory, as on SQLite (ArchiveMemory): the primary keys are what makes a
        -- key or a subject's first name unique across workers, not any worker's RAM.
        CREATE TABLE record_keys (
            key bytea PRIMARY KEY,
            seen_file bigint NOT NULL,
            version bigint NOT NULL DEFAULT 0,
            current_row bigint,
            content bytea,
            withdrawn integer NOT NULL DEFAULT 0
        );
        CREATE TABLE subject_names (
            code bytea PRIMARY KEY,
            name_key bytea NOT NULL,
            name text NOT NULL
        );
        CREATE TABLE rejected_decisions (
            decision bytea PRIMARY KEY,
            item text NOT NULL,
            file_id bigint NOT NULL
        );
        CREATE INDEX rejected_decisions_by_item ON rejected_decisions(item);
        CREATE TABLE report_flags (
            department text NOT NULL,
            item text NOT NULL,
            code text NOT NULL,
            run_id bigint NOT NULL,
            PRIMARY KEY (department, item, code, run_id)
        );
        CREATE TABLE run_figures (
            run_id bigint PRIMARY KEY REFERENCES runs(id),
            day text NOT NULL,
            records bigint NOT NULL,
            compliant bigint NOT NULL,
            timely bigint NOT NULL,
            late bigint NOT NULL,
            distinct_codes bigint NOT NULL,
            dup_error_codes bigint NOT NULL
        );
        -- The files of a run that workers share (`run --worker`): one row per inbox entry, in
        -- the order a single process would take them. A worker claims a row with
        -- SELECT … FOR UPDATE SKIP LOCKED inside the file's own transaction, so the claim ends
        -- with the transaction: committed with the file (`done`), or released when the worker
        -- dies and its connection closes.
        CREATE TABLE run_queue (
            run_id bigint NOT NULL REFERENCES runs(id),
            seq integer NOT NULL,
            path text NOT NULL,
            item text,
            registry boolean NOT NULL DEFAULT false,
            state text NOT NULL DEFAULT 'pending',
            worker text,
            PRIMARY KEY (run_id, seq)
        );
        CREATE INDEX run_queue_pending ON run_queue(run_id, seq) WHERE state = 'pending';
        """),
        // A file is one department's submission: the same bytes from two departments (two
        // header-only "nothing to report" files) are two files, each counted for its sender.
        ("2-ledger-per-department", """
        ALTER TABLE files DROP CONSTRAINT files_sha256_key;
        CREATE UNIQUE INDEX files_by_content ON files(sha256, department);
        """),
        // A rejected record's print (``RecordPrinter``), as on SQLite (its migration v7 says why).
        ("3-rejected-prints", "ALTER TABLE rejected_records ADD COLUMN print bytea"),
        // Records checked against each edition of the item's standard, as on SQLite (its v8).
        ("4-standard-editions", """
        CREATE TABLE file_edition_counts (
            file_id bigint NOT NULL REFERENCES files(id),
            edition text NOT NULL,
            records bigint NOT NULL,
            PRIMARY KEY (file_id, edition)
        )
        """),
        // The publication ledger, as on SQLite (its v9).
        ("5-publication", PublicationLedgerSQL.tables(serial: "bigserial PRIMARY KEY", blob: "bytea", integer: "bigint",
                                                      withoutRowID: "")),
        // Whether a record went out marked as disputed, as on SQLite (its v10).
        ("6-publication-marks", PublicationLedgerSQL.markedColumns),
        // The last run started when an export was recorded, as on SQLite (its v11).
        ("7-export-after-run", PublicationLedgerSQL.afterRunColumn.replacingOccurrences(of: "INTEGER", with: "bigint")),
    ]

    /// Applies the migrations not yet applied, each in its own transaction, under an advisory
    /// lock so that workers starting together take turns.
    func migrate() throws(ArchiveError) {
        try locked { () throws(ArchiveError) in
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let applied = Set(try connection.query("SELECT name FROM schema_migrations").compactMap { $0[0] })
            for migration in Self.migrations where !applied.contains(migration.name) {
                try transaction { () throws(ArchiveError) in
                    try connection.execute(migration.sql)
                    try connection.execute("INSERT INTO schema_migrations (name) VALUES ($1)", [migration.name])
                }
            }
        }
    }

    /// Writes the digest of each `field` value of `table` into its digest column, as the SQLite
    /// archive does (``SubjectLookup/identityDigest(_:)``): a slice of rows at a time.
    private func fillIdentityDigests(table: String, field: String) throws(ArchiveError) {
        var after: Int64 = 0
        while true {
            let rows = try connection.query("""
                SELECT _id, \(field) FROM \(table) WHERE _id > $1 AND \(field) IS NOT NULL ORDER BY _id LIMIT 10000
                """, ["\(after)"])
            guard !rows.isEmpty else { return }
            var ids: [String] = [], digests: [String] = []
            for row in rows {
                let id = try PostgresText.id(row[0], location: location)
                after = id
                guard let digest = row[1].flatMap(SubjectLookup.identityDigest) else { continue }
                ids.append("\(id)")
                digests.append(digest.hex)
            }
            _ = try connection.execute("""
                UPDATE \(table) t SET \(SubjectLookup.digestColumn(field)) = decode(d.digest, 'hex')
                FROM unnest(string_to_array($1, ',')::bigint[], string_to_array($2, ',')) AS d(id, digest)
                WHERE t._id = d.id
                """, [ids.joined(separator: ","), digests.joined(separator: ",")])
        }
    }

    /// Creates each item's table and its views, and adds columns for fields the catalog gained
    /// since (nothing is dropped): the same tables as ``Archive/prepare(items:)`` makes on SQLite,
    /// with an index on the business key and on the subject's code for `trace` and `subject`.
    ///
    /// Item and field ids are checked by the catalog loader to be plain lower-case words, so they
    /// are safe to use as SQL names.
    public func prepare(items: [CatalogItem]) throws(ArchiveError) {
        try locked { () throws(ArchiveError) in
            try transaction { () throws(ArchiveError) in
                for item in items.sorted(by: { $0.id < $1.id }) {
                    let table = ArchiveSchema.tableName(forItem: item.id)
                    let existing = Set(try connection.query("""
                        SELECT column_name FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = $1
                        """, [table]).compactMap { $0[0] })
                    if existing.isEmpty {
                        let columns = item.fields.map { "    \($0.id) text" }.joined(separator: ",\n")
                        var sql = """
                            CREATE TABLE \(table) (
                                _id bigint PRIMARY KEY,
                                _file bigint NOT NULL,
                                _line bigint NOT NULL,
                                _offset bigint NOT NULL,
                            \(columns),
                                _raw text,
                                _extra text,
                                _key bytea,
                                _decision bytea,
                                _previous bigint,
                                _version bigint NOT NULL DEFAULT 1,
                                _current integer NOT NULL DEFAULT 1,
                                _withdrawn integer NOT NULL DEFAULT 0,
                                _print bytea
                            );
                            CREATE INDEX \(table)_by_file ON \(table)(_file, _line);
                            CREATE INDEX \(table)_by_key ON \(table)(_key) WHERE _key IS NOT NULL;
                            """
                        if let code = item.subject?.code {
                            sql += "CREATE INDEX \(table)_by_subject ON \(table)(\(code)) WHERE _current = 1;"
                        }
                        try connection.execute(sql)
                    } else {
                        for field in item.fields where !existing.contains(field.id) {
                            try connection.execute("ALTER TABLE \(table) ADD COLUMN \(field.id) text")
                        }
                        // A version's print (``RecordPrinter``), as `_print` on SQLite.
                        if !existing.contains("_print") {
                            try connection.execute("ALTER TABLE \(table) ADD COLUMN _print bytea")
                        }
                    }
                    // The ID numbers' digests, computed for the rows of an archive made before they were kept.
                    for field in SubjectLookup.fields(of: item, for: .identityNumber)
                    where !existing.contains(SubjectLookup.digestColumn(field)) {
                        try connection.execute("ALTER TABLE \(table) ADD COLUMN \(SubjectLookup.digestColumn(field)) bytea")
                        if !existing.isEmpty { try fillIdentityDigests(table: table, field: field) }
                    }
                    // The subject lookup's indexes (`credit-etl subject`), made where missing.
                    for statement in SubjectLookup.indexStatements(of: item) { try connection.execute(statement) }
                    let view = ArchiveSchema.currentViewName(forItem: item.id)
                    let published = ArchiveSchema.publishedViewName(forItem: item.id)
                    try connection.execute("""
                        DROP VIEW IF EXISTS \(view);
                        CREATE VIEW \(view) AS SELECT * FROM \(table) WHERE _current = 1;
                        DROP VIEW IF EXISTS \(published);
                        CREATE VIEW \(published) AS SELECT * FROM \(table) WHERE _current = 1 AND _withdrawn = 0;
                        """)
                }
            }
        }
    }
}
