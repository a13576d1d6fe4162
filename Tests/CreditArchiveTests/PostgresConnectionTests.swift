import CreditArchive
import CreditArchivePostgres
import Foundation
import Testing
import TestSupport

/// The PostgreSQL backend's connection (issue 13), against a throwaway cluster of its own.
@Suite(.serialized, .enabled("a throwaway PostgreSQL cluster must start (the reason is printed when it cannot)") {
    PostgresCluster.unavailable == nil
})
struct PostgresConnectionTests {
    @Test func copyLoadsEveryRowWithItsEscapesAndNullsAndQueriesReadThemBack() throws {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        let connection = try PostgresConnection(cluster.conninfo)
        #expect(connection.location.hasSuffix(":\(cluster.port)/postgres"))
        try connection.execute("CREATE TABLE t (id integer PRIMARY KEY, name text, note text)")
        let rows: [[String?]] = (1...20_000).map { ["\($0)", "宁波某某\($0)有限公司", $0 % 7 == 0 ? nil : "tab\there\\back\nline"] }
        #expect(try connection.copy(into: "t", columns: ["id", "name", "note"], rows: rows) == 20_000)
        #expect(try connection.query("SELECT count(*), count(note) FROM t") == [["20000", "17143"]])
        #expect(try connection.query("SELECT name, note FROM t WHERE id = $1", ["8"]) == [["宁波某某8有限公司", "tab\there\\back\nline"]])
        #expect(try connection.query("SELECT note FROM t WHERE id = 7") == [[nil]])
    }

    /// A server stopped under a connection is said to be gone, for a statement and for a bulk
    /// load alike: not "(SQLSTATE ?????) … likely a bug".
    @Test func aServerStoppedUnderAConnectionSaysTheConnectionWasLost() throws {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        let connection = try PostgresConnection(cluster.conninfo)
        try connection.execute("CREATE TABLE t (id integer)")
        let other = try PostgresConnection(cluster.conninfo)
        cluster.stop()
        func check(_ error: ArchiveError?, _ what: String) {
            #expect(error?.code == .io, "\(what): \(String(describing: error))")
            #expect(error?.message.contains("the connection to the server was lost") == true, "\(what): \(String(describing: error))")
            #expect(error?.message.contains("bug") == false)
            #expect(error?.description.contains("?????") == false)
        }
        check(#expect(throws: ArchiveError.self) { try connection.execute("INSERT INTO t VALUES (1)") }, "a statement")
        check(#expect(throws: ArchiveError.self) { _ = try other.copy(into: "t", columns: ["id"], rows: [["1"]]) }, "a bulk load")
    }

    /// A failing load stores nothing, and its error names the constraint, never the row's values.
    @Test func aFailedCopyStoresNothingAndItsErrorCarriesNoValue() throws {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        let connection = try PostgresConnection(cluster.conninfo)
        try connection.execute("CREATE TABLE subjects (code text PRIMARY KEY, name text)")
        let secret = "330212199207180621"
        do {
            try connection.copy(into: "subjects", columns: ["code", "name"], rows: [[secret, "李某"], [secret, "李某某"]])
            Issue.record("a duplicate key must fail the load")
        } catch {
            #expect(error.code == .statement)
            #expect(error.description.contains("SQLSTATE 23505"), "\(error)")
            #expect(error.description.contains("constraint subjects_pkey"), "\(error)")
            #expect(!error.description.contains(secret) && !error.description.contains("李某"), "\(error)")
        }
        #expect(try connection.query("SELECT count(*) FROM subjects") == [["0"]])
        // The connection is usable after the failure.
        try connection.copy(into: "subjects", columns: ["code", "name"], rows: [["a", nil]])
        #expect(try connection.query("SELECT count(*) FROM subjects WHERE name IS NULL") == [["1"]])
    }

    @Test func aServerThatIsNotThereIsAnOpenErrorSayingWhatToCheck() throws {
        let cluster = try PostgresCluster()
        let conninfo = cluster.conninfo
        cluster.stop()
        do {
            _ = try PostgresConnection(conninfo + " connect_timeout=5")
            Issue.record("connecting to a stopped server must fail")
        } catch {
            #expect(error.code == .open)
            #expect(error.message.contains("check that the server runs"), "\(error)")
        }
    }

    /// The schema follows the catalog: a field the catalog gains becomes a column, rows already
    /// archived keep their values, nothing is dropped, and migrations are applied once however
    /// often (and by however many workers) the archive is opened.
    @Test func aCatalogFieldAddsAColumnAndNothingIsDropped() throws {
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        var item = try #require(try Repository.catalog().items["admin_penalty"])
        let archive = try PostgresArchive(cluster.conninfo)
        try archive.prepare(items: [item])
        let connection = try PostgresConnection(cluster.conninfo)
        let migrations = try connection.query("SELECT count(*) FROM schema_migrations")
        #expect(migrations.first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0 >= 2)
        try connection.execute("INSERT INTO runs (pipeline, started_at, status) VALUES ('t', 'now', 'running')")
        try connection.execute("""
            INSERT INTO files (sha256, size, path, feed, department, item, format, header, run_id, ingested_at)
            VALUES ('x', 1, 'a.csv', 'f', 'd', 'admin_penalty', 'csv', '[]', 1, 'now')
            """)
        try connection.execute("INSERT INTO item_admin_penalty (_id, _file, _line, _offset, cf_wsh) VALUES (1, 1, 2, 0, 'A')")
        var added = item.fields[0]
        added.id = "cf_added"
        item.fields.append(added)
        let reopened = try PostgresArchive(cluster.conninfo)
        try reopened.prepare(items: [item])
        let columns = try connection.query("""
            SELECT column_name FROM information_schema.columns WHERE table_name = 'item_admin_penalty'
            """).compactMap { $0[0] }
        #expect(columns.contains("cf_added") && columns.contains("cf_wsh"))
        #expect(try connection.query("SELECT cf_wsh, cf_added FROM item_admin_penalty") == [["A", nil]])
        #expect(try connection.query("SELECT cf_added FROM current_admin_penalty").count == 1, "views are remade with it")
        #expect(try connection.query("SELECT count(*) FROM schema_migrations") == migrations, "applied once each")
    }
}

/// Numbers read from the server's text fail loudly instead of becoming 0 (a count in a report, an
/// id that decides whether a file is in the ledger). No server needed.
@Suite struct PostgresTextTests {
    @Test func numbersAreReadStrictly() throws {
        #expect(try PostgresText.count("42", location: "pg") == 42)
        #expect(try PostgresText.count(nil, location: "pg") == 0, "a SUM over no row")
        #expect(try PostgresText.number(nil, location: "pg") == nil)
        #expect(try PostgresText.id("7", location: "pg") == 7)
        for text in ["4 2", "4.2", "", "330203198503120710X"] {
            let error = #expect(throws: ArchiveError.self) { _ = try PostgresText.count(text, location: "pg") }
            #expect(error?.message.contains("not a number") == true)
            #expect(error?.message.contains(text) == false || text.isEmpty, "the text itself is never repeated")
            #expect(throws: ArchiveError.self) { _ = try PostgresText.id(text, location: "pg") }
        }
        #expect(throws: ArchiveError.self, "an id is never NULL") { _ = try PostgresText.id(nil, location: "pg") }
    }
}
