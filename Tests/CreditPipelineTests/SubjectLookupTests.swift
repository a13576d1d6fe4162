import CreditArchive
import CreditArchivePostgres
import CreditCatalog
import CreditCore
import Foundation
import Testing
import TestSupport

/// `credit-etl subject` through the lookup's indexes (``SubjectLookup``): by code (the files the
/// subject pairs name, then the (file, code) index), by a name (an organization's through its
/// codes, written with spaces too; a person's through the name index), by ID number; each answer against a count of the archive's
/// tables made here with SQL, and the same on both backends. SQLite's plans use the indexes.
@Suite(.serialized) struct SubjectLookupTests {
    /// The samples archived on `backend`; the pipeline file and, for PostgreSQL, its cluster.
    static func archive(_ backend: Backend) throws -> (TemporaryDirectory, String, PostgresCluster?) {
        let (directory, pipeline, cluster) = try samples(backend)
        let run = try CLI.run(["run"] + (backend == .postgres ? ["--worker"] : []) + [pipeline])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        return (directory, pipeline, cluster)
    }

    /// The samples in an inbox, and a pipeline archiving them on `backend`, not yet run.
    static func samples(_ backend: Backend) throws -> (TemporaryDirectory, String, PostgresCluster?) {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: Repository.path("samples"), toPath: directory.file("inbox"))
        var archive = "var/archive.sqlite"
        var cluster: PostgresCluster?
        if backend == .postgres {
            let server = try PostgresCluster()
            archive = "postgresql://credit@localhost:\(server.port)/postgres?host=\(server.directory)"
            cluster = server
        }
        let pipeline = try directory.write("pipeline.yaml", """
            name: nightly
            catalog: \(Repository.path("catalogs"))
            inbox: inbox
            archive: \(archive)
            reports: var/reports
            settle_seconds: 0
            fail_on: [unreadable_files]

            """)
        return (directory, pipeline, cluster)
    }

    /// The (item, file, line) of each record `subject --json` answered.
    static func answered(_ query: String, _ pipeline: String) throws -> [String] {
        let result = try CLI.run(["subject", query, "--json", "--unmasked", "--pipeline", pipeline])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                "\(result.stdout) \(result.stderr)")
        let records = try #require(json["records"] as? [[String: Any]])
        return records.map { "\($0["item"] ?? "") \($0["path"] ?? "") \($0["line"] ?? "")" }.sorted()
    }

    @Test func aSubjectIsFoundByCodeNameAndIDNumberAsTheTablesSay() throws {
        let (directory, pipeline, _) = try Self.archive(.sqlite)
        defer { directory.remove() }
        let database = directory.file("var/archive.sqlite")
        let catalog = try Repository.catalog()
        /// The (item, file, line) of current records whose `column(item)` equals `value`, over every item.
        func counted(_ column: (CatalogItem) -> [String], _ value: String) throws -> [String] {
            var rows: [String] = []
            for item in catalog.items.values {
                for field in column(item) {
                    let (_, out, _) = try CLIQuery.sqlite(database, """
                        SELECT '\(item.id) ' || f.path || ' ' || r._line FROM \(ArchiveSchema.tableName(forItem: item.id)) r
                        JOIN files f ON f.id = r._file WHERE r._current = 1 AND r.\(field) = '\(value)'
                        """)
                    rows += out.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("Traceback") }
                }
            }
            return Array(Set(rows)).sorted()
        }
        let (_, organization, _) = try CLIQuery.sqlite(database, "SELECT cf_xdr_shxym || '|' || cf_xdr_mc FROM item_admin_penalty "
            + "WHERE cf_xdr_shxym IS NOT NULL AND cf_xdr_shxym <> '00000000000000000X' AND _current = 1 ORDER BY _id LIMIT 1")
        let parts = organization.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
        let (code, name) = (try #require(parts.first), try #require(parts.last))
        let byCode = try counted({ item in item.subject.map { [$0.code] } ?? [] }, code)
        #expect(!byCode.isEmpty)
        #expect(try Self.answered(code, pipeline) == byCode)
        // By name: the records of its codes under that name; spaces and letter case do not matter.
        let byName = try counted({ item in item.subject.map { [$0.name] } ?? [] }, name)
        #expect(try Self.answered(name, pipeline) == byName)
        let spaced = String(name.prefix(2)) + " " + String(name.dropFirst(2))
        #expect(try Self.answered(spaced, pipeline) == byName, "a name written with a space")
        // A person: by name through the name index, and by ID number.
        let (_, person, _) = try CLIQuery.sqlite(database, "SELECT cf_xdr_mc || '|' || cf_xdr_zjhm FROM item_admin_penalty "
            + "WHERE cf_xdr_zjhm IS NOT NULL AND cf_xdr_shxym IS NULL AND _current = 1 ORDER BY _id LIMIT 1")
        let personParts = person.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
        let (personName, number) = (try #require(personParts.first), try #require(personParts.last))
        #expect(personParts.count == 2, "the samples hold a person's accepted penalty")
        let personByName = try counted({ item in item.subject.map { [$0.name] } ?? [] }, personName)
        #expect(!personByName.isEmpty)
        #expect(try Self.answered(personName, pipeline) == personByName)
        let byNumber = try counted({ item in SubjectLookup.fields(of: item, for: .identityNumber) }, number)
        #expect(!byNumber.isEmpty)
        #expect(try Self.answered(number, pipeline) == byNumber)

        // Each lookup's statement reads an index, not the table; an ID number's, its digest's.
        for (column, condition) in [("cf_xdr_shxym", " AND r._file IN (1, 2)"), ("_digest_cf_fr_zjhm", ""), ("_digest_cf_xdr_zjhm", ""),
                                    ("cf_xdr_mc", " AND (r.cf_xdr_shxym IS NULL OR r.cf_xdr_shxym = '00000000000000000X')")] {
            let (_, plan, _) = try CLIQuery.sqlite(database, "EXPLAIN QUERY PLAN SELECT * FROM item_admin_penalty r "
                + "WHERE r.\(column) = 'x'\(condition) AND r._current = 1")
            let index = column.hasPrefix("_") ? "item_admin_penalty_by\(column)" : "item_admin_penalty_by_\(column)"
            #expect(plan.contains("USING INDEX \(index)"), "\(column): \(plan)")
        }
        // The files of a code, and the codes and files of a name, come from the subject pairs' indexes.
        for (query, index) in [("SELECT DISTINCT file_id FROM subject_codes WHERE code = 'x'", "subject_codes_by_code"),
                               ("SELECT DISTINCT code, file_id FROM subject_codes WHERE name_key = 'x'", "subject_codes_by_name")] {
            let (_, plan, _) = try CLIQuery.sqlite(database, "EXPLAIN QUERY PLAN " + query)
            #expect(plan.contains("USING COVERING INDEX \(index)"), "\(plan)")
        }
    }

    /// A large load builds the lookup's indexes after it; a run finds them missing (a load killed
    /// in between) and builds them again.
    @Test func aBackfillBuildsTheIndexesAfterItsLoadAndARunRestoresMissingOnes() throws {
        let (directory, pipeline, _) = try Self.samples(.sqlite)
        defer { directory.remove() }
        let database = directory.file("var/archive.sqlite")
        func indexes() throws -> [String] {
            try CLIQuery.sqlite(database, "SELECT name FROM sqlite_master WHERE type = 'index' AND name GLOB 'item_admin_penalty_by_*' "
                + "AND name <> 'item_admin_penalty_by_file' ORDER BY name").1.split(separator: "\n").map(String.init)
        }
        let expected = ["item_admin_penalty_by_cf_xdr_mc", "item_admin_penalty_by_cf_xdr_shxym",
                        "item_admin_penalty_by_digest_cf_fr_zjhm", "item_admin_penalty_by_digest_cf_xdr_zjhm"]
        let backfill = try CLI.run(["run", "--backfill", "--log-level", "info", pipeline])
        #expect(backfill.status == 0, "\(backfill.stderr)")
        #expect(backfill.stderr.contains("indexes are built after it") && backfill.stderr.contains("built the subject lookup's indexes"),
                "\(backfill.stderr)")
        #expect(try indexes() == expected)
        _ = try CLIQuery.sqlite(database, "DROP INDEX item_admin_penalty_by_cf_xdr_shxym")
        #expect(try indexes().count == 3)
        #expect(try CLI.run(["run", pipeline]).status == 0)
        #expect(try indexes() == expected)
    }

    /// An ID number is looked up by its digest: no index of an item table holds an identity-number
    /// column, each digest is that of the number beside it (computed here by hand), and an archive
    /// made before the digests were kept (its index on the numbers themselves) gets them, and
    /// loses that index, on its next run, answering as before.
    @Test func noIndexHoldsAnIDNumberAndAnOlderArchiveGetsTheDigests() throws {
        let (directory, pipeline, _) = try Self.archive(.sqlite)
        defer { directory.remove() }
        let database = directory.file("var/archive.sqlite")
        let catalog = try Repository.catalog()
        func identityColumnsIndexed() throws -> [String] {
            var found: [String] = []
            for item in catalog.items.values.sorted(by: { $0.id < $1.id }) {
                let table = ArchiveSchema.tableName(forItem: item.id)
                let identities = Set(SubjectLookup.fields(of: item, for: .identityNumber))
                let (_, names, _) = try CLIQuery.sqlite(database, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '\(table)'")
                for index in names.split(separator: "\n") {
                    let (_, columns, _) = try CLIQuery.sqlite(database, "SELECT name FROM pragma_index_info('\(index)')")
                    found += columns.split(separator: "\n").map(String.init).filter(identities.contains).map { "\(index).\($0)" }
                }
            }
            return found
        }
        #expect(catalog.items.values.contains { !SubjectLookup.fields(of: $0, for: .identityNumber).isEmpty })
        #expect(try identityColumnsIndexed() == [])
        // Each stored digest against one made here: the FNV pair of the number in upper case.
        let (_, pairs, _) = try CLIQuery.sqlite(database, """
            SELECT cf_xdr_zjhm, lower(hex(_digest_cf_xdr_zjhm)) FROM item_admin_penalty WHERE cf_xdr_zjhm IS NOT NULL
            UNION ALL SELECT cf_fr_zjhm, lower(hex(_digest_cf_fr_zjhm)) FROM item_admin_penalty WHERE cf_fr_zjhm IS NOT NULL
            """)
        let stored = pairs.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(stored.count >= 2)
        for pair in stored {
            let canonical = pair[0].filter { $0 != " " && $0 != "-" }.uppercased()
            #expect(pair[1] == KeyDigest(Array(canonical.utf8)).hex, "\(pair)")
        }
        let (_, withoutDigest, _) = try CLIQuery.sqlite(database, "SELECT COUNT(*) FROM item_admin_penalty "
            + "WHERE cf_xdr_zjhm IS NOT NULL AND _digest_cf_xdr_zjhm IS NULL")
        #expect(withoutDigest.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let (_, number, _) = try CLIQuery.sqlite(database, "SELECT cf_xdr_zjhm FROM item_admin_penalty "
            + "WHERE cf_xdr_zjhm IS NOT NULL AND _current = 1 ORDER BY _id LIMIT 1")
        let person = number.trimmingCharacters(in: .whitespacesAndNewlines)
        let answer = try Self.answered(person, pipeline)
        #expect(!answer.isEmpty)

        // The archive as the version before left it: no digest column, the number itself indexed.
        for statement in ["DROP VIEW current_admin_penalty", "DROP VIEW published_admin_penalty",
                          "DROP INDEX item_admin_penalty_by_digest_cf_xdr_zjhm",
                          "ALTER TABLE item_admin_penalty DROP COLUMN _digest_cf_xdr_zjhm",
                          "CREATE INDEX item_admin_penalty_by_cf_xdr_zjhm ON item_admin_penalty(cf_xdr_zjhm) WHERE cf_xdr_zjhm IS NOT NULL"] {
            #expect(try CLIQuery.sqlite(database, statement).0 == 0, "\(statement)")
        }
        #expect(try identityColumnsIndexed() == ["item_admin_penalty_by_cf_xdr_zjhm.cf_xdr_zjhm"])
        // Until its next run, such an archive is read by the numbers themselves, one or a list.
        #expect(try Self.answered(person, pipeline) == answer)
        func checked() throws -> String? {
            let list = try directory.write("list.csv", "身份证号码\n\(person)\n")
            let out = directory.file("checks")
            let run = try CLI.run(["check-subjects", list, "--pipeline", pipeline, "--out", out])
            #expect(run.status == 0, "\(run.stderr)")
            return try CheckSubjectsTests.results(out).first?["核查结果"]
        }
        #expect(try checked() == "已找到")
        let next = try CLI.run(["run", pipeline])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try identityColumnsIndexed() == [])
        let (_, filled, _) = try CLIQuery.sqlite(database, "SELECT COUNT(*), SUM(_digest_cf_xdr_zjhm IS NOT NULL) FROM item_admin_penalty "
            + "WHERE cf_xdr_zjhm IS NOT NULL")
        let counts = filled.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
        #expect(counts.count == 2 && counts[0] == counts[1] && (Int(counts[0]) ?? 0) > 0, "\(counts)")
        #expect(try Self.answered(person, pipeline) == answer)
        #expect(try checked() == "已找到")
    }

    /// The same on PostgreSQL: the digests beside the numbers, as made here by hand; an archive
    /// made before (no digest column, an index on the numbers) gets them on its next run.
    @Test(.enabled(if: Backend.available.contains(.postgres)))
    func anOlderPostgresArchiveGetsTheDigests() throws {
        let (directory, pipeline, cluster) = try Self.archive(.postgres)
        defer { directory.remove() }
        let server = try #require(cluster)
        defer { server.stop() }
        func rows(_ sql: String) throws -> [[String?]] { try PostgresConnection(server.conninfo).query(sql) }
        func indexes() throws -> [String] {
            try rows("SELECT indexname FROM pg_indexes WHERE tablename = 'item_admin_penalty' AND indexname LIKE '%zjhm' ORDER BY 1")
                .map { $0[0] ?? "" }
        }
        #expect(try indexes() == ["item_admin_penalty_by_digest_cf_fr_zjhm", "item_admin_penalty_by_digest_cf_xdr_zjhm"])
        let pairs = try rows("SELECT cf_xdr_zjhm, encode(_digest_cf_xdr_zjhm, 'hex') FROM item_admin_penalty WHERE cf_xdr_zjhm IS NOT NULL")
        #expect(!pairs.isEmpty)
        for pair in pairs {
            let canonical = (pair[0] ?? "").filter { $0 != " " && $0 != "-" }.uppercased()
            #expect(pair[1] == KeyDigest(Array(canonical.utf8)).hex, "\(pair)")
        }
        let person = try #require(pairs.first?[0] ?? nil)
        let answer = try Self.answered(person, pipeline)
        #expect(!answer.isEmpty)
        _ = try PostgresConnection(server.conninfo).execute("""
            DROP VIEW current_admin_penalty; DROP VIEW published_admin_penalty;
            ALTER TABLE item_admin_penalty DROP COLUMN _digest_cf_xdr_zjhm;
            CREATE INDEX item_admin_penalty_by_cf_xdr_zjhm ON item_admin_penalty(cf_xdr_zjhm) WHERE cf_xdr_zjhm IS NOT NULL
            """)
        #expect(try indexes() == ["item_admin_penalty_by_cf_xdr_zjhm", "item_admin_penalty_by_digest_cf_fr_zjhm"])
        #expect(try Self.answered(person, pipeline) == answer, "read by the numbers until the next run")
        let next = try CLI.run(["run", "--worker", pipeline])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try indexes() == ["item_admin_penalty_by_digest_cf_fr_zjhm", "item_admin_penalty_by_digest_cf_xdr_zjhm"])
        let refilled = try rows("SELECT cf_xdr_zjhm, encode(_digest_cf_xdr_zjhm, 'hex') FROM item_admin_penalty WHERE cf_xdr_zjhm IS NOT NULL")
        func lines(_ rows: [[String?]]) -> [String] { rows.map { row in row.map { $0 ?? "∅" }.joined(separator: "|") }.sorted() }
        #expect(lines(refilled) == lines(pairs))
        #expect(try Self.answered(person, pipeline) == answer)
    }

    /// The same answers from PostgreSQL as from SQLite, for each kind of query.
    @Test(.enabled(if: Backend.available.contains(.postgres)))
    func bothBackendsAnswerAlike() throws {
        let (sqlite, sqlitePipeline, _) = try Self.archive(.sqlite)
        defer { sqlite.remove() }
        let (postgres, postgresPipeline, cluster) = try Self.archive(.postgres)
        defer { postgres.remove() }
        defer { cluster?.stop() }
        let (_, rows, _) = try CLIQuery.sqlite(sqlite.file("var/archive.sqlite"), """
            SELECT cf_xdr_shxym, cf_xdr_mc FROM item_admin_penalty WHERE cf_xdr_shxym IS NOT NULL AND _current = 1
            UNION ALL SELECT cf_xdr_zjhm, cf_xdr_mc FROM item_admin_penalty WHERE cf_xdr_zjhm IS NOT NULL AND _current = 1
            """)
        let queries = Set(rows.split(separator: "\n").flatMap { $0.split(separator: "|").map(String.init) })
        #expect(queries.count > 10)
        for query in queries.sorted() {
            let mine = try Self.answered(query, sqlitePipeline)
            #expect(!mine.isEmpty, "\(query)")
            #expect(try Self.answered(query, postgresPipeline) == mine, "\(query)")
        }
    }
}
