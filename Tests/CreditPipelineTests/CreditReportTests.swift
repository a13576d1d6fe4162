import CreditCore
import Foundation
import Testing
import TestSupport

/// `credit-etl credit-report` and `verify-report` on the subjects CheckSubjectsTests plants: each
/// section against what was planted (a listing, a public penalty, and statements where nothing
/// is on record), the same report from both backends, `verify-report` saying the same report, a
/// changed archive (naming the section) and an edited file apart; and the report as Chromium
/// prints it (A4 pages, the Chinese text).
@Suite(.serialized) struct CreditReportTests {
    /// The report of `code` for 2025-01-01 to 2025-06-01 in `out`: its path.
    static func report(_ code: String, _ workspace: Workspace, out: String, extra: [String] = []) throws -> String {
        let run = try CLI.run(["credit-report", code, "--pipeline", workspace.pipeline, "--from", "2025-01-01", "--to", "2025-06-01",
                               "--out", out] + extra)
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        return try #require(run.stdout.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
    }

    /// A section's text (`<section class="item" data-item="…">` to its end).
    static func section(_ html: String, _ item: String) -> String {
        html.components(separatedBy: "<section class=\"item\" data-item=\"\(item)\">").dropFirst().first?
            .components(separatedBy: "</section>").first ?? ""
    }

    @Test(arguments: Backend.available)
    func eachSectionSaysWhatTheArchiveHoldsAndVerifyReportNoticesAChange(backend: Backend) throws {
        let (workspace, cluster, planted) = try CheckSubjectsTests.archive(backend)
        defer { workspace.directory.remove() }
        defer { cluster?.stop() }
        let path = try Self.report(planted.listed, workspace, out: workspace.directory.file("reports"))
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("主体名称：宁波名单甲有限公司"))
        #expect(html.contains("报告期间：2025-01-01 至 2025-06-01"))
        // As planted: on the 严重失信 list since 2025-01-02 (长期), one penalty of 2025-01-05 public
        // (一般: to 2026-01-04), nothing else.
        let serious = Self.section(html, "serious_dishonest")
        #expect(serious.contains("甬人社失〔2025〕1号") && serious.contains("2025-01-02") && serious.contains("公示中"), "\(serious)")
        let penalty = Self.section(html, "admin_penalty")
        #expect(penalty.contains("甬罚〔2025〕71号") && penalty.contains("公示中（至 2026-01-04）"), "\(penalty)")
        #expect(!penalty.contains("甬罚〔2025〕72号"), "another subject's penalty")
        for (item, statement) in [("abnormal_operation", "未发现经营异常名录记录"), ("court_dishonest", "未发现失信被执行人记录"),
                                  ("admin_license", "未发现行政许可记录"), ("credit_commitment", "未发现信用承诺记录")] {
            #expect(Self.section(html, item).contains(statement), "\(item): \(Self.section(html, item))")
        }
        // A penalty whose publication ended inside the period shows its end; after it, none is listed.
        let ended = try String(contentsOfFile: try Self.report(planted.ended, workspace, out: workspace.directory.file("ended")),
                               encoding: .utf8)
        #expect(Self.section(ended, "admin_penalty").contains("公示至 2025-04-30，已结束"), "\(Self.section(ended, "admin_penalty"))")
        let later = try CLI.run(["credit-report", planted.ended, "--pipeline", workspace.pipeline, "--from", "2025-06-01",
                                 "--to", "2025-12-01", "--out", workspace.directory.file("later")])
        let laterText = try String(contentsOfFile: try #require(later.stdout.split(separator: " ").last.map {
            String($0).trimmingCharacters(in: .whitespacesAndNewlines) }), encoding: .utf8)
        #expect(Self.section(laterText, "admin_penalty").contains("未发现行政处罚记录"))
        // Unknown and invalid codes are refused, and nothing is written.
        #expect(try CLI.run(["credit-report", planted.unknown, "--pipeline", workspace.pipeline, "--out", workspace.directory.file("x")]).status == 1)
        #expect(try CLI.run(["credit-report", planted.broken, "--pipeline", workspace.pipeline, "--out", workspace.directory.file("x")]).status == 64)
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.file("x")))

        // The archive as it was: the same report.
        let same = try CLI.run(["verify-report", path, "--pipeline", workspace.pipeline])
        #expect(same.status == 0 && same.stdout.hasPrefix("same:"), "\(same.stdout) \(same.stderr)")
        // An edited file: its content no longer has its digest.
        let edited = workspace.directory.file("edited.html")
        try html.replacingOccurrences(of: "甬罚〔2025〕71号", with: "甬罚〔2025〕17号").write(toFile: edited, atomically: true, encoding: .utf8)
        let altered = try CLI.run(["verify-report", edited, "--pipeline", workspace.pipeline])
        #expect(altered.status == 1 && altered.stderr.contains("altered"), "\(altered.stderr)")
        // A new penalty in the period: the archive now gives another report, and says which section.
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20250301.csv", PublicationTests.penalties(
            [PublicationTests.Penalty(number: "甬罚〔2025〕91号", category: "警告", decided: "2025/02/20")], codes: [planted.listed])
            .replacingOccurrences(of: "宁波公示1有限公司", with: "宁波名单甲有限公司"))
        let night = try CLI.run(["run"] + (backend == .postgres ? ["--worker"] : []) + [workspace.pipeline])
        #expect(night.stdout.contains("· rejected 0 ·"), "\(night.stdout) \(night.stderr)")
        let differs = try CLI.run(["verify-report", path, "--pipeline", workspace.pipeline])
        #expect(differs.status == 1 && differs.stderr.contains("differs") && differs.stderr.contains("行政处罚"), "\(differs.stderr)")
        #expect(!differs.stderr.contains("严重失信主体名单"), "only the changed section is named: \(differs.stderr)")
        #expect(try CLI.run(["verify-report", workspace.pipeline, "--pipeline", workspace.pipeline]).status == 65)
    }

    /// The same archive content gives the same report from either backend.
    @Test(.enabled(if: Backend.available.contains(.postgres)))
    func bothBackendsGiveTheSameReport() throws {
        var digests: [String] = []
        for backend in [Backend.sqlite, .postgres] {
            let (workspace, cluster, planted) = try CheckSubjectsTests.archive(backend)
            defer { workspace.directory.remove() }
            defer { cluster?.stop() }
            let html = try String(contentsOfFile: try Self.report(planted.listed, workspace, out: workspace.directory.file("r")),
                                  encoding: .utf8)
            digests.append(html.components(separatedBy: "<meta name=\"credit-report:digest\" content=\"").last?.prefix(64).description ?? "")
        }
        #expect(digests.count == 2 && digests[0] == digests[1] && digests[0].count == 64)
    }

    /// Printed by Chromium: A4 pages, the report's Chinese text (not boxes), the empty statements.
    @Test func theReportPrintsOnA4() throws {
        let (workspace, _, planted) = try CheckSubjectsTests.archive(.sqlite)
        defer { workspace.directory.remove() }
        let path = try Self.report(planted.listed, workspace, out: workspace.directory.file("reports"))
        let profile = try TemporaryDirectory()
        defer { profile.remove() }
        let pdf = workspace.directory.file("report.pdf")
        _ = try BrowserReportTests.chromium(["--print-to-pdf=\(pdf)", "--no-pdf-header-footer"], page: path, profile: profile.file("p"))
        #expect(FileManager.default.fileExists(atPath: pdf))
        let info = try Self.tool("pdfinfo", [pdf])
        #expect(info.contains("(A4)"), "\(info)")
        let text = try Self.tool("pdftotext", ["-layout", pdf, "-"])
        for expected in ["信用报告", "宁波名单甲有限公司", "甬人社失", "未发现经营异常名录记录", "SHA-256"] {
            #expect(text.contains(expected), "the printed report lacks \(expected)")
        }
    }

    static func tool(_ name: String, _ arguments: [String]) throws -> String {
        let path = "/usr/bin/\(name)"
        try #require(FileManager.default.isExecutableFile(atPath: path),
                     "\(name) is missing: `make test` installs it (scripts/debian-packages-test.txt: poppler-utils)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(name) exited with \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }
}
