import CreditArchive
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
}
