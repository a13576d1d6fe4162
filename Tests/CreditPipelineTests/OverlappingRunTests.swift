import Foundation
import Testing
import TestSupport

/// Reading and checking a file on one thread while another archives it, and the next file read
/// ahead while the current one is archived, must not change what is archived: the same archive,
/// row for row, as `run --sequential`.
@Suite struct OverlappingRunTests {
    /// A backfill of several files: every sample, and two synthetic files of several batches each
    /// (12,000 records, 4,096 a batch) with planted defects and repeated keys, the second sending
    /// every seventh record again under another subject name (new versions and 重码 across files
    /// and batches).
    static func backfill(into workspace: Workspace, from synth: TemporaryDirectory) throws {
        let samples = Repository.path("samples")
        for department in try FileManager.default.contentsOfDirectory(atPath: samples) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: samples + "/" + department, isDirectory: &isFolder),
                  isFolder.boolValue else { continue }
            for file in try FileManager.default.contentsOfDirectory(atPath: samples + "/" + department) {
                try workspace.drop("\(department)/\(file)", from: "\(samples)/\(department)/\(file)")
            }
        }
        let first = synth.file("admin_penalty_20261120.csv")
        try workspace.drop("yz-zhzf/admin_penalty_20261122.csv", from: first)
        var lines = try String(contentsOfFile: first, encoding: .utf8).components(separatedBy: "\r\n")
        for index in stride(from: 1, to: lines.count, by: 7) where !lines[index].isEmpty {
            lines[index] = lines[index].replacingOccurrences(of: "有限公司", with: "股份有限公司")
        }
        let second = synth.file("admin_penalty_20261123.csv")
        try lines.joined(separator: "\r\n").write(toFile: second, atomically: true, encoding: .utf8)
        try workspace.drop("yz-zhzf/admin_penalty_20261123.csv", from: second)
        // A file that turns out malformed two batches in: whatever it archived before the bad
        // line must go, also inside a backfill's group of files.
        var malformed = Array(lines.prefix(5001))
        malformed.append("\"unterminated,field")
        malformed.append(contentsOf: lines[5001..<5100])
        let bad = synth.file("admin_penalty_20261121.csv")
        try malformed.joined(separator: "\r\n").write(toFile: bad, atomically: true, encoding: .utf8)
        try workspace.drop("yz-zhzf/admin_penalty_20261121.csv", from: bad)
    }

    @Test func theOverlappingRunArchivesWhatTheSequentialRunDoes() throws {
        let synth = try TemporaryDirectory()
        defer { synth.remove() }
        let made = try CLI.run(["synth", "--item", "admin_penalty", "--records", "12000", "--defect-rate", "0.05",
                                "--seed", "3", "--out", synth.file(""), "--catalog", Repository.path("catalogs")])
        #expect(made.status == 0, "\(made.stderr)")

        var dumps: [String] = []
        let modes = [["--sequential"], [], ["--backfill"], ["--backfill", "--commit-every", "5000"]]
        for mode in modes {
            let workspace = try Workspace()
            defer { workspace.directory.remove() }
            try Self.backfill(into: workspace, from: synth)
            let run = try CLI.run(["run", workspace.pipeline] + mode)
            #expect(run.status == 2, "\(run.stderr)")
            #expect(try workspace.scalar("SELECT outcome FROM run_files WHERE path = 'yz-zhzf/admin_penalty_20261121.csv'")
                == "failed")
            #expect(try workspace.scalar("SELECT COUNT(*) FROM files WHERE path = 'yz-zhzf/admin_penalty_20261121.csv'") == "0")
            // The backfill exercises what the second thread hands over: repeats, 重码, versions.
            #expect(Int(try workspace.scalar("SELECT COUNT(*) FROM findings WHERE rule = 'DUP_RECORD'"))! > 10)
            #expect(Int(try workspace.scalar("SELECT COUNT(*) FROM findings WHERE rule = 'USCC_NAME_CONFLICT'"))! > 1000)
            #expect(Int(try workspace.scalar("SELECT SUM(new_versions) FROM files"))! > 1000)
            dumps.append(try CanonicalDump.of(workspace.archive))
        }
        #expect(dumps[0].split(separator: "\n").count > 30_000)
        #expect(dumps[0] == dumps[1], "the overlapping run archived something else")
        #expect(dumps[0] == dumps[2], "the backfill archived something else")
        #expect(dumps[0] == dumps[3], "the backfill committing files in groups archived something else")
    }
}

/// What an operator watching a backfill sees: progress while files are read, the rate at the end.
@Suite struct RunProgressTests {
    @Test func logLinesAndTheTerminalLineTellRecordsRateBytesAndTheRunsRate() throws {
        let synth = try TemporaryDirectory()
        defer { synth.remove() }
        #expect(try CLI.run(["synth", "--item", "admin_penalty", "--records", "20000", "--defect-rate", "0.01",
                             "--out", synth.file(""), "--catalog", Repository.path("catalogs")]).status == 0)
        let csv = synth.file("admin_penalty_20261120.csv")
        let size = try FileManager.default.attributesOfItem(atPath: csv)[.size] as! Int

        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.drop("yz-zhzf/admin_penalty_20261122.csv", from: csv)
        let logged = try CLI.run(["run", workspace.pipeline, "--progress", "log", "--progress-every", "0.000001"])
        #expect(logged.status == 0, "\(logged.stderr)")
        let lines = logged.stderr.split(separator: "\n").filter { $0.contains("progress") }
        // A line per batch at this interval (20,000 records, 4,096 a batch), records growing.
        #expect(lines.count >= 4, "\(logged.stderr)")
        let records = lines.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("credit.records=") }.flatMap { Int($0.dropFirst(15)) }
        }
        #expect(records.count == lines.count && records == records.sorted() && records.last == 20000, "\(records)")
        #expect(lines.allSatisfy { $0.contains("credit.bytes_total=\(size)") }, "\(lines)")
        #expect(logged.stdout.contains(" records/s"), "\(logged.stdout)")

        // The terminal's line: redrawn in place, with the file, the count, the rate and the bytes.
        let again = try Workspace()
        defer { again.directory.remove() }
        try again.drop("yz-zhzf/admin_penalty_20261122.csv", from: csv)
        let line = try CLI.run(["run", again.pipeline, "--progress", "line", "--progress-every", "0.000001"])
        #expect(line.status == 0)
        #expect(line.stderr.contains("\r\u{1B}[2K[1/1] yz-zhzf/admin_penalty_20261122.csv · 20,000 records · "),
                "\(line.stderr)")
        #expect(line.stderr.contains("/\(size / 1_000_000) MB ("), "\(line.stderr)")
        // Off: nothing on standard error.
        let third = try Workspace()
        defer { third.directory.remove() }
        try third.drop("yz-zhzf/admin_penalty_20261122.csv", from: csv)
        let quiet = try CLI.run(["run", third.pipeline, "--progress", "off"])
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
    }
}
