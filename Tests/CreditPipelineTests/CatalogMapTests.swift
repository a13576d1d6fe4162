import Foundation
import Testing
import TestSupport

/// Onboarding a department's export whose columns carry the department's own names.
///
/// The headers below are what a department's own system exports, written here by the test (the
/// English abbreviations such systems use for the Chinese field names, and two columns of the
/// system's own that belong to no field); the values come from `synth`, so they are valid.
@Suite struct CatalogMapTests {
    /// Field id → the department's header, in the catalog's field order.
    static let englishHeaders: KeyValuePairs<String, String> = [
        "cf_xdr_mc": "PARTY_NAME", "cf_xdr_lb": "PARTY_TYPE", "cf_xdr_shxym": "UNI_SOCIAL_CREDIT_CODE",
        "cf_xdr_gszc": "REG_NO", "cf_xdr_zzjg": "ORG_CODE", "cf_xdr_swdj": "TAX_REG_NO",
        "cf_xdr_sydw": "INSTITUTION_CERT_NO", "cf_xdr_shzz": "SOCIAL_ORG_REG_NO", "cf_frdb": "LEGAL_REP",
        "cf_fr_zjlx": "LEGAL_REP_ID_TYPE", "cf_fr_zjhm": "LEGAL_REP_ID_NO", "cf_xdr_zjlx": "PARTY_ID_TYPE",
        "cf_xdr_zjhm": "PARTY_ID_NO", "cf_wsh": "PUNISH_DOC_NO", "cf_wfxw": "ILLEGAL_ACT_TYPE",
        "cf_sy": "ILLEGAL_FACTS", "cf_yj": "PUNISH_BASIS", "cf_cflb": "PUNISH_TYPE", "cf_nr": "PUNISH_CONTENT",
        "cf_nr_fk": "FINE_AMT", "cf_nr_wfff": "CONFISCATED_AMT", "cf_nr_zkdx": "REVOKED_LICENSE",
        "cf_jdrq": "DECISION_DATE", "cf_yxq": "VALID_DATE", "cf_gsjzq": "PUBLICITY_END_DATE",
        "cf_cfjg": "PUNISH_ORG", "cf_cfjgdm": "PUNISH_ORG_CODE", "cf_sjly": "DATA_SOURCE",
        "cf_sjlydm": "DATA_SOURCE_CODE", "cf_zt": "STATUS", "bz": "REMARK",
    ]

    static var english: [String: String] { Dictionary(uniqueKeysWithValues: englishHeaders.map { ($0.key, $0.value) }) }

    /// One proposed line of `catalog map`'s output.
    struct Proposal: Equatable {
        var field: String
        var confidence: String
    }

    /// Reads the `columns:` entries of the proposal: `      HEADER: field_id  # confidence …`.
    static func proposals(in output: String) -> [String: Proposal] {
        var result: [String: Proposal] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("      ") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: "#", maxSplits: 1)
            let mapping = parts[0].split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard mapping.count == 2 else { continue }
            let confidence = parts.count > 1 ? String(parts[1].trimmingCharacters(in: .whitespaces).prefix { $0 != " " }) : ""
            result[mapping[0].trimmingCharacters(in: CharacterSet(charactersIn: "\""))] =
                Proposal(field: mapping[1], confidence: confidence)
        }
        return result
    }

    /// Writes `synth`'s valid records under the department's own header, with a row number first
    /// and an update time last (columns of the department's system, not of the item).
    static func departmentExport(in directory: TemporaryDirectory, records: Int,
                                 header names: [String: String]) throws -> (export: String, original: String) {
        let synth = try CLI.run(["synth", "--item", "admin_penalty", "--records", "\(records)", "--defect-rate", "0",
                                 "--seed", "11", "--out", directory.file("synth"),
                                 "--catalog", Repository.path("catalogs")])
        #expect(synth.status == 0, "\(synth.stderr)")
        let original = directory.file("synth/admin_penalty_20261120.csv")
        let lines = try String(contentsOfFile: original, encoding: .utf8).split(whereSeparator: \.isNewline)
        let catalog = try Repository.catalog()
        let fieldIDs = catalog.items["admin_penalty"]!.fields.filter { !$0.isLegacy }.map(\.id)
        var out = "ROW_ID," + fieldIDs.map { names[$0]! }.joined(separator: ",") + ",UPDATE_TIME\n"
        for (number, line) in lines.dropFirst().enumerated() {
            out += "\(number + 1),\(line),2026-11-20 03:1\(number % 10):00\n"
        }
        let export = try directory.write("export/penalties.csv", out)
        return (export, original)
    }

    @Test func englishAbbreviationsMapToTheRightPenaltyFields() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (export, original) = try Self.departmentExport(in: directory, records: 400, header: Self.english)

        let map = try CLI.run(["catalog", "map", export, "--item", "admin_penalty",
                               "--catalog", Repository.path("catalogs")])
        #expect(map.status == 0, "\(map.stderr)")
        let proposed = Self.proposals(in: map.stdout)
        for (field, header) in Self.englishHeaders {
            #expect(proposed[header]?.field == field, "\(header) should map to \(field):\n\(map.stdout)")
        }
        // The system's own columns are not placed (a time of day is not a decision date), but named.
        #expect(proposed["ROW_ID"] == nil && proposed["UPDATE_TIME"] == nil, "\(map.stdout)")
        #expect(map.stdout.contains("#   ROW_ID"), "\(map.stdout)")
        #expect(map.stdout.contains("#   UPDATE_TIME"), "\(map.stdout)")
        // A column whose values carry the field's kind of code, and whose name agrees, is sure.
        #expect(proposed["UNI_SOCIAL_CREDIT_CODE"]?.confidence == "high", "\(map.stdout)")
        #expect(proposed["DECISION_DATE"]?.confidence == "high", "\(map.stdout)")
        #expect(proposed["PUNISH_TYPE"]?.confidence == "high", "\(map.stdout)")
        // Values are sampled, never shown: the output carries no record value.
        #expect(!map.stdout.contains("合成主体"), "\(map.stdout)")

        // Pasted under a feed, the proposal makes the file read like the catalog's own layout.
        let catalogCopy = directory.file("catalog")
        try FileManager.default.copyItem(atPath: Repository.path("catalogs"), toPath: catalogCopy)
        let feeds = try String(contentsOfFile: catalogCopy + "/feeds.yaml", encoding: .utf8)
        let stanza = """
              - id: nb-scjg.penalty_export
                department: nb-scjg
                item: admin_penalty
                format: csv
                files: "export/*.csv"

            """
        try (feeds + "\n" + stanza + map.stdout).write(toFile: catalogCopy + "/feeds.yaml", atomically: true, encoding: .utf8)
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.directory.write("pipeline.yaml", """
            name: onboarding
            catalog: \(catalogCopy)
            inbox: inbox
            archive: var/archive.sqlite
            reports: var/reports
            settle_seconds: 0
            """)
        try workspace.drop("export/penalties_20261120.csv", from: export)
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: original)
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        // Both files: every record accepted, under either layout.
        #expect(try workspace.scalar("SELECT group_concat(records || '/' || compliant, ' ') FROM files ORDER BY id")
                    == "400/400 400/400")
        // And read through the proposal, the export's records are the catalog layout's records,
        // value for value: the second file's are all unchanged versions, not stored again.
        #expect(try workspace.scalar("SELECT COUNT(*) FROM item_admin_penalty") == "400")
        #expect(try workspace.scalar(
            "SELECT COUNT(*) FROM findings WHERE rule LIKE 'REQUIRED%' OR rule LIKE 'HEADER_MISSING%'") == "0")
    }

    /// Database column names built from the fields' pinyin initials, without the item's prefix
    /// and separators (cf_xdr_mc → XDRMC), as departments' own databases name them.
    @Test func pinyinInitialColumnNamesMapByTheFieldIDs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var headers: [String: String] = [:]
        // Today's layout: synth writes no 2016-only column.
        for field in try Repository.catalog().items["admin_penalty"]!.fields where !field.isLegacy {
            let parts = field.id.split(separator: "_")
            headers[field.id] = (parts.first == "cf" ? parts.dropFirst() : parts[...]).joined().uppercased()
        }
        let (export, _) = try Self.departmentExport(in: directory, records: 100, header: headers)
        let map = try CLI.run(["catalog", "map", export, "--item", "admin_penalty",
                               "--catalog", Repository.path("catalogs")])
        #expect(map.status == 0, "\(map.stderr)")
        let proposed = Self.proposals(in: map.stdout)
        for (field, header) in headers {
            #expect(proposed[header]?.field == field, "\(header) should map to \(field):\n\(map.stdout)")
        }
    }

    @Test func aFileWhoseHeaderMatchesNothingIsRefusedWithTheAdviceToMapIt() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (export, _) = try Self.departmentExport(in: directory, records: 20, header: Self.english)
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: export)
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 2)
        #expect(run.stderr.contains("credit-etl catalog map"), "\(run.stderr)")
        #expect(run.stderr.contains("nb-scjg.admin_penalty"), "\(run.stderr)")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM rejected_records") == "0")
        #expect(try workspace.scalar("SELECT outcome FROM run_files") == "failed")
    }
}

/// Chinese names of a department's own, in a JSON export: matched by shared characters, and a
/// column whose name says nothing placed by its values (valid USCCs), with low confidence.
@Suite struct CatalogMapJSONTests {
    @Test func ownChineseNamesAndCodesInJSON() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let codes = ["91330200MA2CJ0FB0Q", "91330200MA2GQJ1L73", "91330200MA2H1HY47G"]
        var records: [String] = []
        for (number, code) in codes.enumerated() {
            records.append("""
                {"作出处罚决定日期": "2026-11-1\(number)", "处罚决定书编号": "甬市监罚〔2026〕\(number + 1)号",
                 "QYBM": "\(code)", "当事人": "宁波某某\(number)有限公司", "罚没类别": "警告;罚款"}
                """)
        }
        let file = try directory.write("export.json", "[" + records.joined(separator: ",") + "]")
        let map = try CLI.run(["catalog", "map", file, "--item", "admin_penalty", "--catalog", Repository.path("catalogs")])
        #expect(map.status == 0, "\(map.stderr)")
        let proposed = CatalogMapTests.proposals(in: map.stdout)
        #expect(proposed["作出处罚决定日期"]?.field == "cf_jdrq", "\(map.stdout)")
        #expect(proposed["处罚决定书编号"]?.field == "cf_wsh", "\(map.stdout)")
        #expect(proposed["罚没类别"]?.field == "cf_cflb", "\(map.stdout)")
        // Three USCC fields and a name that says nothing: placed by the values, but not surely.
        #expect(proposed["QYBM"]?.field.hasSuffix("dm") == true || proposed["QYBM"]?.field == "cf_xdr_shxym", "\(map.stdout)")
        #expect(proposed["QYBM"]?.confidence == "low", "\(map.stdout)")
        #expect(!map.stdout.contains("91330200MA2CJ0FB0Q"), "values are never printed")
    }
}
