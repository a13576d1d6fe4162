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
