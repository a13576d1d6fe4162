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

    /// A record sent on its deadline and re-sent unchanged the next day is judged once, on its
    /// first successful submission (spec §8): not late in the second file, not counted twice. (A
    /// record rejected the first time is judged when it is first accepted.)
    @Test func aRecordIsJudgedForTimelinessOnceOnItsFirstSuccessfulSubmission() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let sample = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"), encoding: .utf8)
        let lines = sample.components(separatedBy: "\r\n")
        // Decided Wednesday 2026-11-11: seven working days later is Friday 2026-11-20.
        let onTime = lines[2].replacingOccurrences(of: "2026/10/09,2027/04/09", with: "2026/11/11,2027/05/11")
        #expect(onTime != lines[2])
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", lines[0] + "\r\n" + onTime + "\r\n")
        #expect(try CLI.run(["run", workspace.pipeline]).status == 0)
        #expect(try workspace.scalar("SELECT timely || '/' || late || '/' || compliant FROM files") == "1/0/1")
        // The next day the department re-sends it unchanged, with one new record decided that day.
        let newRecord = lines[4].replacingOccurrences(of: "2026/10/12,2027/04/12", with: "2026/11/23,2027/05/23")
        #expect(newRecord != lines[4])
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261123.csv",
                                      lines[0] + "\r\n" + onTime + "\r\n" + newRecord + "\r\n")
        #expect(try CLI.run(["run", workspace.pipeline]).status == 0)
        #expect(try workspace.scalar("SELECT timely || '/' || late || '/' || timeliness_unknown || '/' || unchanged FROM files "
            + "WHERE path LIKE '%20261123.csv'") == "1/0/0/1", "only the new record is judged")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM findings WHERE rule = 'TIMELINESS_LATE'") == "0")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            workspace.directory.file("var/reports/run-000002/report.json")))) as? [String: Any])
        let totals = try #require(report["totals"] as? [String: Any])
        #expect(totals["timely"] as? Int == 1 && totals["late"] as? Int == 0, "\(totals)")
    }

    /// Two departments send the same "nothing to report" file (a header only): each is its own
    /// submission, archived and counted for its sender, and neither is 未报送. The same
    /// department sending it again is still a duplicate.
    @Test func identicalFilesFromTwoDepartmentsAreTwoSubmissions() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let header = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"), encoding: .utf8)
            .components(separatedBy: "\r\n")[0] + "\r\n"
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", header)
        try workspace.directory.write("inbox/yz-zhzf/admin_penalty_20261120.csv", header)
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try workspace.scalar("SELECT department FROM files ORDER BY department") == "nb-scjg\nyz-zhzf")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM run_files WHERE outcome = 'archived'") == "2")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            workspace.directory.file("var/reports/run-000001/report.json")))) as? [String: Any])
        let departments = (report["departments"] as? [[String: Any]] ?? []).filter {
            ["nb-scjg", "yz-zhzf"].contains($0["department"] as? String ?? "")
        }
        #expect(departments.count == 2)
        for department in departments {
            #expect(department["files"] as? Int == 1, "\(department)")
        }
        // The same department again: a duplicate of its own file.
        try workspace.directory.write("inbox/yz-zhzf/admin_penalty_20261121.csv", header)
        let again = try CLI.run(["run", workspace.pipeline])
        #expect(again.stdout.contains("duplicate  yz-zhzf/admin_penalty_20261121.csv"), "\(again.stdout)")
    }

    /// A coordinate with a bare quote in an unquoted value used to refuse the whole file. It is
    /// read literally with a warning on its record; a feed that asks for strict CSV
    /// (`strict_quotes: true`) still refuses the file, naming the line.
    @Test func aBareQuoteInAValueIsReadLiterallyUnlessTheFeedIsStrict() throws {
        let sample = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"), encoding: .utf8)
        let lines = sample.components(separatedBy: "\r\n")
        var fields = lines[2].components(separatedBy: ",")
        fields[15] = "于北纬29°52'12\"的仓库销售过期食品"
        // And a quoted value with a CRLF inside: archived as received, CR and LF both kept.
        var multiline = lines[4].components(separatedBy: ",")
        multiline[15] = "\"从业人员未取得\r\n健康证明\""
        let text = ([lines[0], lines[1], fields.joined(separator: ","), lines[3], multiline.joined(separator: ",")]
            + lines[5...]).joined(separator: "\r\n")

        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", text)
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.stdout.contains("20 records"), "\(run.stdout)")
        #expect(try workspace.scalar("SELECT line || ' ' || severity FROM findings WHERE rule = 'CSV_BARE_QUOTE'") == "3 warning")
        #expect(try workspace.scalar("SELECT cf_sy FROM item_admin_penalty WHERE _line = 3") == "于北纬29°52'12\"的仓库销售过期食品")
        #expect(try workspace.scalar("SELECT instr(hex(cf_sy), '0D0A') > 0 FROM item_admin_penalty WHERE _line = 5") == "1")

        // The same file from a feed that asks for strict CSV.
        let strict = try Workspace()
        defer { strict.directory.remove() }
        try FileManager.default.copyItem(atPath: Repository.path("catalogs"), toPath: strict.directory.file("catalogs"))
        let feeds = strict.directory.file("catalogs/feeds.yaml")
        let strictFeeds = try String(contentsOfFile: feeds, encoding: .utf8).replacingOccurrences(
            of: "    files: \"nb-scjg/admin_penalty_*.csv\"\n",
            with: "    files: \"nb-scjg/admin_penalty_*.csv\"\n    strict_quotes: true\n")
        #expect(strictFeeds.contains("strict_quotes: true"))
        try strictFeeds.write(toFile: feeds, atomically: true, encoding: .utf8)
        let pipeline = try String(contentsOfFile: strict.pipeline, encoding: .utf8)
            .replacingOccurrences(of: Repository.path("catalogs"), with: strict.directory.file("catalogs"))
        try pipeline.write(toFile: strict.pipeline, atomically: true, encoding: .utf8)
        try strict.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", text)
        let refused = try CLI.run(["run", strict.pipeline])
        #expect(refused.status == 2, "\(refused.stdout)")
        #expect(refused.stdout.contains("admin_penalty_20261120.csv:3:"), "\(refused.stdout)")
        #expect(refused.stdout.contains("unexpected quote"), "\(refused.stdout)")
    }
}
