import CreditArchive
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
        // The second file really depends on the first: unchanged, new versions and new records.
        let second = try CLIQuery.sqlite(clean.archive, "SELECT new_records, new_versions, unchanged FROM files "
            + "WHERE path LIKE '%20261121.csv'").1.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "|").compactMap { Int($0) }
        #expect(second.count == 3 && second.allSatisfy { $0 > 0 }, "new, new versions, unchanged: \(second)")

        // Once right after the first file is committed, then at random points of the run.
        var generator = SystemRandomNumberGenerator()
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
            #expect(dump == expected, "kill at \(point.map { "\($0) s" } ?? "the first file") left another archive")
        }
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

        var generator = SystemRandomNumberGenerator()
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
            #expect(try CanonicalDump.of(workspace.archive) == expected, "kill at \(point) s left another archive")
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
