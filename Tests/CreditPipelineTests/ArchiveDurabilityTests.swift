import CreditArchive
import CreditArchiveSQLite
import CreditCore
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A run's outcome never depends on where it was stopped: a run killed at any point and resumed
/// leaves the same archive as one clean run, and a disk that fills up fails the run loudly with
/// nothing half-written and no finding that a record does not deserve.
@Suite(.serialized) struct ArchiveDurabilityTests {
    /// Two same-item files: the second repeats the first's records (most unchanged, every fifth
    /// changed) and adds new ones, so the second file's outcome depends on what the first left.
    static func twoFiles(in directory: TemporaryDirectory, secondRecords: Int = 6000) throws
        -> (first: String, second: String)
    {
        let synth = directory.file("synth")
        for (count, folder) in [(4000, "a"), (secondRecords, "b")] {
            let made = try CLI.run(["synth", "--item", "admin_penalty", "--records", "\(count)", "--seed", "5",
                                    "--defect-rate", "0.05", "--catalog", Repository.path("catalogs"),
                                    "--out", "\(synth)/\(folder)"])
            #expect(made.status == 0, "\(made.stderr)")
        }
        let first = try String(contentsOfFile: "\(synth)/a/admin_penalty_20261120.csv", encoding: .utf8)
        // synth writes CRLF, which a Swift String holds as one Character: split on the text.
        var lines = try String(contentsOfFile: "\(synth)/b/admin_penalty_20261120.csv", encoding: .utf8)
            .components(separatedBy: "\r\n")
        for index in stride(from: 5, to: lines.count, by: 5) {
            lines[index] = lines[index].replacingOccurrences(of: ",处罚内容", with: ",处罚内容（变更）")
        }
        return (first, lines.joined(separator: "\r\n"))
    }

    /// Runs the workspace's pipeline to its end; returns the run and how long it took.
    static func timedRun(_ workspace: Workspace, _ options: [String]) throws
        -> (run: (status: Int32, stdout: String, stderr: String), seconds: Double)
    {
        let started = Date()
        let run = try CLI.run(["run", workspace.pipeline] + options)
        #expect(run.status == 0, "\(run.stderr)")
        return (run, Date().timeIntervalSince(started))
    }

    static func workspace(with files: (first: String, second: String)) throws -> Workspace {
        let workspace = try Workspace()
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", files.first)
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261121.csv", files.second)
        return workspace
    }

    @Test func aRunKilledAnywhereAndResumedEqualsACleanRun() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let files = try Self.twoFiles(in: scratch)

        let clean = try Self.workspace(with: files)
        defer { clean.directory.remove() }
        let (_, duration) = try Self.timedRun(clean, [])
        let expected = try CanonicalDump.of(clean.archive)
        let expectedReports = try RunCompletionState.of(clean)
        // The second file really depends on the first: unchanged, new versions and new records.
        let second = try CLIQuery.sqlite(clean.archive, "SELECT new_records, new_versions, unchanged FROM files "
            + "WHERE path LIKE '%20261121.csv'").1.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "|").compactMap { Int($0) }
        #expect(second.count == 3 && second.allSatisfy { $0 > 0 }, "new, new versions, unchanged: \(second)")

        // Once right after the first file is committed, then at random points of the run, the
        // report phase included (a failure names its seed: CREDIT_ETL_TEST_SEED replays it).
        var generator = SeededGenerator.forTest("aRunKilledAnywhereAndResumedEqualsACleanRun")
        var killPoints: [Double?] = [nil]
        for _ in 0..<10 { killPoints.append(Double.random(in: 0.05...0.95, using: &generator) * duration) }
        for point in killPoints {
            let workspace = try Self.workspace(with: files)
            defer { workspace.directory.remove() }
            let process = try CLI.start(["run", workspace.pipeline])
            if let point {
                Thread.sleep(forTimeInterval: point)
            } else {
                try Self.waitForFirstFile(workspace, process)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let resumed = try CLI.run(["run", workspace.pipeline])
            #expect(resumed.status == 0, "resume after a kill at \(point.map { "\($0) s" } ?? "the first file"): \(resumed.stderr)")
            let dump = try CanonicalDump.of(workspace.archive)
            let place = "kill at \(point.map { "\($0) s" } ?? "the first file") (seed \(generator.seed))"
            #expect(dump == expected, "\(place) left another archive")
            #expect(try RunCompletionState.of(workspace) == expectedReports,
                    "\(place) left other flags, figures or report figures")
        }
    }

    /// The moments a random kill rarely hits: just before the run's completion commits, just after
    /// it, and with the report written but not yet in place. Each resumed run leaves the archive,
    /// the 重错码 flags, the recorded figures and the report figures of a clean run.
    @Test(arguments: KillPoint.run)
    func aRunKilledAroundItsCompletionAndReportEqualsACleanRun(point: KillPoint) throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let files = try Self.twoFiles(in: scratch)
        let clean = try Self.workspace(with: files)
        defer { clean.directory.remove() }
        _ = try Self.timedRun(clean, [])
        let expected = try RunCompletionState.of(clean)
        #expect(expected.contains("flag|1|"), "the clean run flagged codes: \(expected.prefix(300))")
        // What the completion recorded is what the report shows (the trends read the former).
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            clean.directory.file("var/reports/run-000001/report.json")))) as? [String: Any])
        let totals = try #require(report["totals"] as? [String: Any])
        let shown = ["records", "compliant", "timely", "late", "distinct_codes", "dup_error_codes"]
            .map { "\(totals[$0] as? Int ?? -1)" }.joined(separator: "|")
        #expect(try clean.scalar("""
            SELECT records || '|' || compliant || '|' || timely || '|' || late || '|' || distinct_codes || '|' || dup_error_codes
            FROM run_figures WHERE run_id = 1
            """) == shown)
        #expect(totals["dup_error_codes"] as? Int ?? 0 > 0)

        let workspace = try Self.workspace(with: files)
        defer { workspace.directory.remove() }
        let killed = try CLI.run(["run", workspace.pipeline], environment: ["CREDIT_ETL_KILL_AT": point.rawValue])
        #expect(killed.status == 9 || killed.status == 137 || killed.status == -9 || killed.status == SIGKILL,
                "the run died at \(point.rawValue): exit \(killed.status) \(killed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.file("var/reports/run-000001/report.json")))
        let resumed = try CLI.run(["run", workspace.pipeline, "--log-level", "notice"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try CanonicalDump.of(workspace.archive) == CanonicalDump.of(clean.archive))
        #expect(try RunCompletionState.of(workspace) == expected, "killed at \(point.rawValue)")
        // Killed after the completion, the run's own report is rendered by the next run, and said so.
        if point != .beforeCompletion {
            #expect(resumed.stderr.contains("rendered again"), "\(resumed.stderr)")
            #expect(try workspace.scalar("SELECT status FROM runs WHERE id = 1") == "completed")
        } else {
            #expect(try workspace.scalar("SELECT reported_in FROM runs WHERE id = 1") == "2")
            // Adopted and reported by run 2, the interrupted run is no longer unfinished business.
            let doctor = try CLI.run(["doctor", workspace.pipeline])
            #expect(doctor.stdout.contains("unfinished runs       none"), "\(doctor.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.file("var/reports/run-000001.partial")))
    }

    /// A backfill writes with the rollback journal and commits files in groups: killed anywhere,
    /// its half-written group is rolled back from the journal when the archive is next opened, by
    /// a backfill or a nightly run, and its files are archived again.
    @Test func aBackfillKilledAnywhereAndResumedEqualsACleanRun() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let files = try Self.twoFiles(in: scratch)

        let clean = try Self.workspace(with: files)
        defer { clean.directory.remove() }
        let (run, duration) = try Self.timedRun(clean, ["--backfill", "--log-level", "info"])
        #expect(run.stderr.contains("backfill: the rollback journal for this run"), "\(run.stderr)")
        // The archive is back in WAL mode for the nightly runs and readers after it.
        #expect(try CLIQuery.sqlite(clean.archive, "PRAGMA journal_mode").1.contains("wal"))
        let expected = try CanonicalDump.of(clean.archive)
        // The same archive as a run with the write-ahead log.
        let nightly = try Self.workspace(with: files)
        defer { nightly.directory.remove() }
        #expect(try CLI.run(["run", nightly.pipeline]).status == 0)
        #expect(try CanonicalDump.of(nightly.archive) == expected)

        var generator = SeededGenerator.forTest("aBackfillKilledAnywhereAndResumedEqualsACleanRun")
        var hotJournals = 0
        for attempt in 0..<6 {
            let point = Double.random(in: 0.05...0.95, using: &generator) * duration
            let workspace = try Self.workspace(with: files)
            defer { workspace.directory.remove() }
            // Each file committed on its own (a group per file) or both together.
            let process = try CLI.start(["run", workspace.pipeline, "--backfill", "--commit-every",
                                         attempt % 3 == 0 ? "1" : "1000000"])
            Thread.sleep(forTimeInterval: point)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if FileManager.default.fileExists(atPath: workspace.archive + "-journal") { hotJournals += 1 }
            // Resumed half the time as a backfill, half as a nightly run.
            let resumed = try CLI.run(["run", workspace.pipeline] + (attempt % 2 == 0 ? ["--backfill"] : []))
            #expect(resumed.status == 0, "resume after a kill at \(point) s: \(resumed.stderr)")
            #expect(try CanonicalDump.of(workspace.archive) == expected,
                    "kill at \(point) s left another archive (seed \(generator.seed))" as Comment)
        }
        // Most of a run is inside a file's transaction: kills left half-written files to roll back.
        #expect(hotJournals >= 1)
    }

    /// Polls the archive until the first file is committed (WAL lets another process read).
    static func waitForFirstFile(_ workspace: Workspace, _ process: Process) throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            if FileManager.default.fileExists(atPath: workspace.archive),
               let count = Int(try CLIQuery.sqlite(workspace.archive, "SELECT COUNT(*) FROM files").1
                   .trimmingCharacters(in: .whitespacesAndNewlines)), count >= 1 {
                return
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// An archive whose B-tree is damaged (16 bytes of a subject_names leaf page's header flipped)
    /// is refused before anything is written: exit 74 with doctor's advice, the file unchanged, and
    /// the next run refuses it again (it used to archive 500 records into the damaged tree).
    @Test func aDamagedArchiveIsRefusedBeforeAnythingIsWritten() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"))
        #expect(try CLI.run(["run", workspace.pipeline]).status == 0)
        let page = try SQLiteShell.run(workspace.archive, """
            SELECT pageno, (SELECT page_size FROM pragma_page_size) FROM dbstat
            WHERE name = 'subject_names' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1
            """).split(separator: "|").compactMap { Int($0) }
        #expect(page.count == 2, "\(page)")
        let handle = try #require(FileHandle(forUpdatingAtPath: workspace.archive))
        let offset = UInt64((page[0] - 1) * page[1] + (page[0] == 1 ? 100 : 0) + 1)
        try handle.seek(toOffset: offset)
        let original = try #require(try handle.read(upToCount: 16))
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(original.map { ~$0 }))
        try handle.close()
        let damaged = try Data(contentsOf: URL(fileURLWithPath: workspace.archive))

        try workspace.drop("nb-sthjj/admin_penalty_20261119.csv", from: Repository.path("samples/nb-sthjj/admin_penalty_20261119.csv"))
        for _ in 0..<2 {
            let run = try CLI.run(["run", workspace.pipeline])
            #expect(run.status == 74, "exit \(run.status): \(run.stderr)")
            #expect(run.stderr.contains("the archive is damaged") && run.stderr.contains("restore it from a backup"),
                    "\(run.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.archive)) == damaged, "the run wrote to it")
        }
        let doctor = try CLI.run(["doctor", workspace.pipeline])
        #expect(doctor.stdout.contains("archive integrity") && doctor.status != 0, "\(doctor.stdout)")
    }

    /// An archive exactly as the last clean run left it (its `.checked` stamp: identity, size, time
    /// to the nanosecond, no write-ahead log) is not read whole again; one that may have changed
    /// since is: written by another program, left by a killed run, or last checked whole over a
    /// week ago. (The damaged archive above is refused with a stamp beside it: the damage changed
    /// the file's time.)
    @Test func anArchiveAsTheLastCleanRunLeftItIsNotCheckedWholeAgain() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let files = try Self.twoFiles(in: scratch, secondRecords: 40_000)
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", files.first)
        let stamp = workspace.archive + ".checked"
        func check() throws -> String {
            let run = try CLI.run(["run", workspace.pipeline, "--log-level", "info", "--progress", "off"])
            #expect(run.status == 0, "\(run.stderr)")
            if run.stderr.contains("the archive was checked whole") { return "whole" }
            if run.stderr.contains("closed it, checked whole on") { return "trusted" }
            return run.stderr
        }
        #expect(try check() == "whole")
        #expect(FileManager.default.fileExists(atPath: stamp))
        #expect(try check() == "trusted")
        #expect(try check() == "trusted")
        // Another program writes to it.
        _ = try SQLiteShell.run(workspace.archive, "CREATE TABLE other_program (a); DROP TABLE other_program;")
        #expect(try check() == "whole")
        // A run killed mid-file leaves no stamp (each run removes it before it writes).
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261121.csv", files.second)
        let killed = try CLI.start(["run", workspace.pipeline])
        let deadline = Date().addingTimeInterval(60)
        while killed.isRunning, Date() < deadline, FileManager.default.fileExists(atPath: stamp) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        Thread.sleep(forTimeInterval: 0.3)
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(killed.terminationReason == .uncaughtSignal, "the run ended before it was killed")
        #expect(!FileManager.default.fileExists(atPath: stamp))
        #expect(try check() == "whole")
        #expect(try check() == "trusted")
        // Last checked whole eight days ago: checked whole again, whatever else the stamp says.
        let text = try String(contentsOfFile: stamp, encoding: .utf8)
        let old = Int(Date().timeIntervalSince1970) - 8 * 86_400
        try text.replacingOccurrences(of: #"full_check \d+"#, with: "full_check \(old)", options: .regularExpression)
            .write(toFile: stamp, atomically: true, encoding: .utf8)
        #expect(try check() == "whole")
    }

    /// A file-size limit (`ulimit -f`) makes the archive's writes fail half-way through a file.
    @Test func aFullDiskFailsTheRunAndLeavesNothingHalfWritten() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let files = try Self.twoFiles(in: scratch)

        // The reference: both files archived by runs that had room.
        let reference = try Workspace()
        defer { reference.directory.remove() }
        try reference.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", files.first)
        #expect(try CLI.run(["run", reference.pipeline]).status == 0)
        try reference.directory.write("inbox/nb-scjg/admin_penalty_20261121.csv", files.second)
        #expect(try CLI.run(["run", reference.pipeline]).status == 0)

        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", files.first)
        #expect(try CLI.run(["run", workspace.pipeline]).status == 0)
        let before = try CanonicalDump.of(workspace.archive)
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261121.csv", files.second)
        // Room for a few hundred KiB more than the archive and its WAL already take.
        let used = [workspace.archive, workspace.archive + "-wal"].compactMap {
            try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int
        }.max() ?? 0
        let limit = (used + 512 * 1024) / 1024
        let full = try CLI.run(["-c", "ulimit -f \(limit); exec \"$0\" run \"$1\"", CLI.executable, workspace.pipeline],
                               program: "/bin/sh")
        #expect(full.status == 74, "exit \(full.status): \(full.stderr)")
        #expect(full.stderr.contains("admin_penalty_20261121.csv"), "the message names the file: \(full.stderr)")
        #expect(full.stderr.contains("file-size limit") || full.stderr.contains("disk"), "\(full.stderr)")
        #expect(full.stderr.contains("nothing of this file was kept"))
        #expect(try CanonicalDump.of(workspace.archive) == before, "the failed file left something behind")

        // With room again, the same file archives exactly as it would have: no DUP_RECORD, no
        // finding it does not deserve.
        let again = try CLI.run(["run", workspace.pipeline])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try CanonicalDump.of(workspace.archive) == CanonicalDump.of(reference.archive))
        // The failed run is adopted by the next: the flags, figures and report figures are the
        // reference's, run for run.
        #expect(try workspace.scalar("SELECT status || ':' || reported_in FROM runs WHERE id = 2") == "failed:3")
        #expect(try RunCompletionState.of(workspace) == RunCompletionState.of(reference))
    }
}

/// The archive's content with everything that depends on when and in which run it was written
/// taken out (row ids, file ids, run ids, timestamps): two archives of the same data by any
/// sequence of runs dump the same.
/// The archive's canonical dump (``ArchiveDump``), by its path.
enum CanonicalDump {
    static func of(_ archive: String) throws -> String {
        try ArchiveDump.text(of: Archive(path: archive), items: Array(Repository.catalog().items.values))
    }
}

/// What completed runs leave beside the records, as text that does not depend on run ids or
/// times: each run that completed with records numbered in order (1, 2, …), its 重错码 flags
/// (`report_flags`), its recorded figures (`run_figures`) and the figures of its report
/// (`report.json`'s totals and slices). A killed and resumed run must leave what a clean run does.
enum RunCompletionState {
    static func of(_ workspace: Workspace) throws -> String {
        let runs = try workspace.scalar("SELECT run_id FROM run_figures WHERE records > 0 ORDER BY run_id")
            .split(separator: "\n").map(String.init)
        let rank = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1, $0 + 1) })
        var lines: [String] = []
        for row in try workspace.scalar("SELECT run_id, department, item, code FROM report_flags").split(separator: "\n") {
            let parts = row.split(separator: "|", maxSplits: 1).map(String.init)
            lines.append("flag|\(rank[parts[0]].map(String.init) ?? "run without records")|\(parts.count > 1 ? parts[1] : "")")
        }
        for row in try workspace.scalar("""
            SELECT run_id, records, compliant, timely, late, distinct_codes, dup_error_codes FROM run_figures
            WHERE records > 0
            """).split(separator: "\n") {
            let parts = row.split(separator: "|", maxSplits: 1).map(String.init)
            lines.append("figures|\(rank[parts[0]] ?? 0)|\(parts[1])")
        }
        for (index, run) in runs.enumerated() {
            let digits = String(repeating: "0", count: max(0, 6 - run.count)) + run
            let path = workspace.directory.file("var/reports/run-\(digits)/report.json")
            guard let data = FileManager.default.contents(atPath: path),
                  let report = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                lines.append("report|\(index + 1)|missing")
                continue
            }
            for key in ["totals", "slices"] {
                let value = try JSONSerialization.data(withJSONObject: report[key] ?? NSNull(),
                                                       options: [.sortedKeys, .fragmentsAllowed])
                lines.append("report|\(index + 1)|\(key)|\(String(decoding: value, as: UTF8.self))")
            }
        }
        return lines.sorted().joined(separator: "\n")
    }
}
