import Foundation
import Testing
import TestSupport

/// Files as real departments' tools write them, which a strict reader used to get wrong without
/// saying so.
@Suite struct RealWorldInputTests {
    /// The sample with its line ends as an old Mac or Excel export writes them: a lone CR.
    static func carriageReturnOnly() throws -> String {
        let sample = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"), encoding: .utf8)
        return sample.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r")
    }

    /// A CR-only file was read as 0 records and the run said success; a rerun then skipped it as
    /// already archived, so its records were never read. Now it is read like the LF sample.
    @Test func aCarriageReturnOnlyFileIsReadLikeAnyOther() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let text = try Self.carriageReturnOnly()
        #expect(!text.contains("\n"))
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", text)
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.stdout.contains("20 records, 10 compliant, 10 rejected (50.00%)"), "\(run.stdout)")
        #expect(try workspace.scalar("SELECT records, compliant FROM files") == "20|10")
        // The findings point at the lines a text editor shows.
        #expect(try workspace.scalar("SELECT MAX(line) FROM findings") == "22")

        let file = workspace.directory.file("inbox/nb-scjg/admin_penalty_20261120.csv")
        let validate = try CLI.run(["validate", file, "--item", "admin_penalty"])
        #expect(validate.stdout.contains("records 20 · compliant 10 · rejected 10"), "\(validate.stdout)")
    }

    /// A name dated after the run let a record decided in 2098 pass as compliant and timely. The
    /// run's date is used instead, and the report says so.
    @Test func aFileNamedWithAFutureDateIsCheckedAgainstTheRunsDate() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let sample = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"), encoding: .utf8)
        let future = sample.replacingOccurrences(of: "2026/10/08,2027/10/08", with: "2098/12/30,2099/06/30")
        #expect(future != sample)
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20990101.csv", future)
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 0, "\(run.stderr)")
        // The run's civil date (Asia/Shanghai), as its report and figures record it.
        let today = try workspace.scalar("SELECT day FROM run_figures WHERE run_id = 1")
        #expect(today.count == 10 && today < "2099-01-01")
        #expect(try workspace.scalar("SELECT submitted FROM files") == today)
        #expect(try workspace.scalar("SELECT line FROM findings WHERE rule = 'DATE_AFTER_SUBMISSION'") == "2")
        #expect(try workspace.scalar("SELECT value || '>' || detail FROM findings WHERE rule = 'FILE_DATE_AFTER_RUN'")
            == "2099-01-01>\(today)")
        let report = try String(contentsOfFile: workspace.directory.file("var/reports/latest/index.html"), encoding: .utf8)
        #expect(report.contains("FILE_DATE_AFTER_RUN") && report.contains("文件名中的报送日期晚于本批次日期"))
    }
}
