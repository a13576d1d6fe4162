import Foundation
import Testing
import TestSupport

@Suite struct ValidateCommandTests {
    @Test func aReadableFilePrintsItsFindingsAndExitsZero() throws {
        let run = try CLI.run(["validate", Repository.path("samples/hs-scjg/admin_license_20261121.csv"), "--item",
                               "admin_license", "--catalog", Repository.path("catalogs"), "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let objects = try run.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let rules = objects.compactMap { $0["rule"] as? String }
        #expect(rules.sorted() == ["ID_CHECK", "LB_CODE_MISMATCH", "ORGCODE_MISMATCH", "PLACEHOLDER_REGNO_MISSING",
                                   "REQUIRED_WHEN", "TIMELINESS_LATE", "USCC_PLACEHOLDER_ACCEPTED", "USCC_PLACEHOLDER_ACCEPTED"])
        let idCheck = try #require(objects.first { $0["rule"] as? String == "ID_CHECK" })
        #expect(idCheck["line"] as? Int == 4)
        #expect(idCheck["field"] as? String == "xk_xdr_zjhm")
        // An ID number is personal data: masked.
        #expect((idCheck["value"] as? String)?.contains("*") == true)
        let summary = try #require(objects.last?["summary"] as? [String: Int])
        #expect(summary["records"] == 8)
        #expect(summary["compliant"] == 4)
    }

    @Test func everyFormatIsReadAndAMalformedFileExitsTwo() throws {
        let xml = try CLI.run(["validate", Repository.path("samples/cx-scjg/admin_license_20261120.xml"), "--item",
                               "admin_license", "--record-path", "/DATA/ROW", "--catalog", Repository.path("catalogs")])
        #expect(xml.status == 0, "\(xml.stderr)")
        #expect(xml.stdout.contains("records 4 · compliant 2"))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let broken = try directory.write("broken.json", "[{\"nsrmc\": \"甲\"},\n {\"nsrmc\" \"乙\"}]")
        let run = try CLI.run(["validate", broken, "--item", "tax_a_grade", "--catalog", Repository.path("catalogs")])
        #expect(run.status == 2)
        #expect(run.stderr.contains("broken.json:2: expected `:` after the key \"nsrmc\""))
    }
}
