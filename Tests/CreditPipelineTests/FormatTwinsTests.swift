import CreditCatalog
import Foundation
import Testing
import TestSupport

/// A department's CSV dump, rewritten as XML (GB18030-declared) and as JSON in an envelope, is
/// archived to the same contents: the same normalized rows, raw values and extra keys, the same
/// rejected records and the same findings.
@Suite(.serialized) struct FormatTwinsTests {
    static let source = "samples/nb-zjj/admin_license_20261120.csv"

    @Test func xmlAndJSONTwinsArchiveLikeTheirCSV() throws {
        let catalog = try Repository.catalog()
        let item = try #require(catalog.items["admin_license"])
        let (header, records, _, _) = try readCSV(try String(contentsOfFile: Repository.path(Self.source), encoding: .utf8))
        let ids = header.map { item.fieldIndex(forHeader: $0).map { item.fields[$0].id } ?? $0 }

        var xml = "<?xml version=\"1.0\" encoding=\"GB18030\"?>\n<DATA>\n"
        var json = "{\"code\": 0, \"data\": {\"list\": [\n"
        for (index, record) in records.enumerated() {
            xml += "  <ROW>" + zip(ids, record).map { "<\($0)>\(Self.escape($1))</\($0)>" }.joined() + "</ROW>\n"
            let members = zip(ids, record).map { "\"\($0)\": \"\($1.replacingOccurrences(of: "\"", with: "\\\""))\"" }
            json += (index > 0 ? ",\n" : "") + "  {" + members.joined(separator: ", ") + "}"
        }
        xml += "</DATA>\n"
        json += "\n]}}\n"

        let csv = try Self.archive(format: "csv", file: "admin_license_20261120.csv",
                                   bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Repository.path(Self.source)))))
        let fromXML = try Self.archive(format: "xml", file: "admin_license_20261120.xml", bytes: gb18030(xml),
                                       extra: "    record_path: /DATA/ROW\n")
        let fromJSON = try Self.archive(format: "json", file: "admin_license_20261120.json", bytes: Array(json.utf8),
                                        extra: "    record_path: data.list\n")
        #expect(csv.rows.count == 6)
        #expect(fromXML == csv)
        #expect(fromJSON == csv)
    }

    struct Contents: Equatable {
        var rows: [String]
        var rejected: String
        var findings: [String]
    }

    /// Runs the pipeline over one file with a catalog whose nb-zjj feed reads `format`.
    static func archive(format: String, file: String, bytes: [UInt8], extra: String = "") throws -> Contents {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.copyItem(atPath: Repository.path("catalogs"), toPath: directory.file("catalogs"))
        var feeds = try String(contentsOfFile: directory.file("catalogs/feeds.yaml"), encoding: .utf8)
        feeds = feeds.replacingOccurrences(of: """
              - id: nb-zjj.admin_license
                department: nb-zjj
                item: admin_license
                format: csv
                files: "nb-zjj/admin_license_*.csv"
            """, with: """
              - id: nb-zjj.admin_license
                department: nb-zjj
                item: admin_license
                format: \(format)
            \(extra)    files: "nb-zjj/\(file)"
            """)
        try feeds.write(toFile: directory.file("catalogs/feeds.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory.file("inbox/nb-zjj"), withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: directory.file("inbox/nb-zjj/\(file)")))
        _ = try directory.write("p.yaml", "catalog: catalogs\ninbox: inbox\narchive: a.sqlite\nreports: reports\nsettle_seconds: 0\nfail_on: [unreadable_files]\n")
        let run = try CLI.run(["run", directory.file("p.yaml")])
        #expect(run.status == 0, "\(format): \(run.stdout) \(run.stderr)")
        let archive = directory.file("a.sqlite")
        let columns = try Repository.catalog().items["admin_license"]?.fields.map(\.id).joined(separator: " || '|' || ") ?? ""
        let rows = try CLIQuery.sqlite(archive, "SELECT \(columns) || '|' || IFNULL(_raw, '') || '|' || IFNULL(_extra, '') FROM item_admin_license ORDER BY rowid").1
        let rejected = try CLIQuery.sqlite(archive, "SELECT COUNT(*) FROM rejected_records").1
        let findings = try CLIQuery.sqlite(archive, "SELECT rule || ' ' || IFNULL(field, '') FROM findings ORDER BY id").1
        return Contents(rows: rows.split(separator: "\n").map(String.init), rejected: rejected,
                        findings: findings.split(separator: "\n").map(String.init))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
