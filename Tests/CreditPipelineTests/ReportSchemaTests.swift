import Foundation
import Testing
import TestSupport

/// `report.json` against its published schema (docs/report.schema.json), so that what other
/// systems read from it stays what the schema promises.
@Suite struct ReportSchemaTests {
    static func check(_ files: [String]) throws -> (status: Int32, output: String) {
        let python = try #require(TestPython.interpreter(), """
            jsonschema is not available: run `make test`, which installs it into .build/python, \
            or set CREDIT_ETL_PYTHON to an interpreter that has jsonschema 4.26
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Repository.path("scripts/check-report-schema.py")] + files
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func theGoldenReportAndReportsOfEveryKindOfRunFollowTheSchema() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        for (department, file) in [("nb-scjg", "admin_penalty_20261120.csv"), ("nb-zy", "court_dishonest_20261119.jsonl"),
                                   ("cx-scjg", "admin_license_20261120.xml")] {
            try workspace.drop("\(department)/\(file)", from: Repository.path("samples/\(department)/\(file)"))
        }
        // A file that cannot be read (line, message), then a run of duplicates (first_run), in English.
        _ = try workspace.directory.write("inbox/nb-zjj/admin_license_20261121.csv", "名称,代码\n\"unterminated\n")
        #expect(try CLI.run(["run", workspace.pipeline]).status == 2)
        #expect(try CLI.run(["run", workspace.pipeline, "--language", "en"]).status == 2)
        let reports = [Repository.path("Tests/CreditReportsTests/Golden/sample-run.json"),
                       workspace.directory.file("var/reports/run-000001/report.json"),
                       workspace.directory.file("var/reports/run-000002/report.json")]
        let second = try String(contentsOfFile: reports[2], encoding: .utf8)
        #expect(second.contains("\"first_run\" : 1") && second.contains("\"line\" : 1,"), "the optional keys are exercised")
        let result = try Self.check(reports)
        #expect(result.status == 0, "\(result.output)")
    }

    /// The check can fail: a report missing a key, or with a target that is not a percentage.
    @Test func aReportThatBreaksTheSchemaIsCaught() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let golden = try String(contentsOfFile: Repository.path("Tests/CreditReportsTests/Golden/sample-run.json"), encoding: .utf8)
        let broken = try directory.write("broken.json", golden
            .replacingOccurrences(of: "\"targets_met\" : false,", with: "")
            .replacingOccurrences(of: "\"dup_error_code_rate\" : \"0.01%\"", with: "\"dup_error_code_rate\" : \"0.01\""))
        let result = try Self.check([broken])
        #expect(result.status == 1)
        #expect(result.output.contains("'targets_met' is a required property"), "\(result.output)")
        #expect(result.output.contains("targets/dup_error_code_rate: '0.01' does not match"), "\(result.output)")
    }
}

/// Examples are kept per department × item × rule: a department whose files come after a large
/// one still has its own examples of a rule the large one broke thousands of times.
@Suite struct ReportSampleTests {
    @Test func everyDepartmentKeepsItsOwnExamplesOfEachRule() throws {
        let synth = try TemporaryDirectory()
        defer { synth.remove() }
        let made = try CLI.run(["synth", "--item", "admin_penalty", "--records", "3000", "--defect-rate", "0.05",
                                "--seed", "5", "--out", synth.file(""), "--catalog", Repository.path("catalogs")])
        #expect(made.status == 0, "\(made.stderr)")
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        // hs-scjg sorts before nb-sthjj: its many findings come first in the archive.
        try workspace.drop("hs-scjg/admin_penalty_20261120.csv", from: synth.file("admin_penalty_20261120.csv"))
        try workspace.drop("nb-sthjj/admin_penalty_20261119.csv", from: Repository.path("samples/nb-sthjj/admin_penalty_20261119.csv"))
        #expect(try CLI.run(["run", workspace.pipeline]).status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            workspace.directory.file("var/reports/latest/report.json")))) as? [String: Any])
        let samples = try #require(report["samples"] as? [[String: Any]])
        func rules(_ prefix: String) -> [String: Int] {
            var counts: [String: Int] = [:]
            for sample in samples where (sample["path"] as? String)?.hasPrefix(prefix) == true {
                counts[sample["rule"] as? String ?? "", default: 0] += 1
            }
            return counts
        }
        let large = rules("hs-scjg/"), small = rules("nb-sthjj/")
        let shared = Set(large.keys).intersection(small.keys)
        #expect(!shared.isEmpty, "both departments broke some rule")
        #expect(large.values.max() == 10, "at most 10 per department, item and rule")
        #expect(try Int(workspace.scalar("""
            SELECT COUNT(*) FROM findings g JOIN files f ON f.id = g.file_id
            WHERE f.department = 'hs-scjg' AND g.rule = '\(shared.first!)'
            """))! > 10, "the large file broke it more often than it shows")
    }
}
