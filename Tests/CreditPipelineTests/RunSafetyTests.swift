import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Unattended runs: one at a time per archive, a signal stops a run cleanly, and a run whose
/// process died is marked interrupted by the next one.
@Suite(.serialized) struct RunSafetyTests {
    @Test func aSecondRunAtOnceFailsNamingTheRunInProgressAndTouchesNothing() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let workspace = try ArchiveDurabilityTests.workspace(with: try ArchiveDurabilityTests.twoFiles(in: scratch))
        defer { workspace.directory.remove() }
        let first = try CLI.start(["run", workspace.pipeline])
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        // Wait until the first run says who it is in the lock file.
        let lockFile = workspace.archive + ".lock"
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, first.isRunning,
              !((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").hasPrefix("run 1 since") {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let second = try CLI.run(["run", workspace.pipeline])
        let holder = (try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? ""
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.status == 75, "exit \(second.status): \(second.stderr)")
        #expect(second.stderr.contains("run 1 since"), "\(second.stderr)")
        #expect(second.stderr.contains("(pid \(first.processIdentifier))"), "\(second.stderr)")
        #expect(holder.contains("pid \(first.processIdentifier)"))
        // The loser created no run row and noted no file.
        #expect(try CLIQuery.sqlite(workspace.archive, "SELECT COUNT(*) FROM runs").1
            .trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    /// A nightly run and a backfill alike: what was committed before the signal is kept, the file
    /// being read is not. A backfill commits its files in groups: with a group per file the first
    /// file is kept; in one group of both files, the signal takes the group back (or, falling
    /// between the files, commits the first).
    @Test(arguments: [([], 1), (["--backfill", "--commit-every", "1"], 1), (["--backfill"], 0)])
    func sigtermRollsBackTheCurrentFileMarksTheRunInterruptedAndAResumeFinishes(mode: [String], kept: Int) throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        // The second file is large enough to be still archiving when the signal comes, although
        // it was read and checked ahead while the first was archived.
        let files = try ArchiveDurabilityTests.twoFiles(in: scratch, secondRecords: 40000)
        let clean = try ArchiveDurabilityTests.workspace(with: files)
        defer { clean.directory.remove() }
        #expect(try CLI.run(["run", clean.pipeline]).status == 0)

        let workspace = try ArchiveDurabilityTests.workspace(with: files)
        defer { workspace.directory.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = ["run", workspace.pipeline, "--log-level", "info", "--progress", "off"] + mode
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        // The signal comes once the first file is archived (a backfill's group may not be committed
        // yet, so the log says so, not the archive).
        var stderr = ""
        while process.isRunning, !stderr.contains("] archived") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stderr += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGTERM)
        stderr += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 143, "\(stderr)")
        #expect(stderr.contains("interrupted by signal 15"), "\(stderr)")
        #expect(try CLIQuery.sqlite(workspace.archive, "SELECT status FROM runs WHERE id = 1").1
            .trimmingCharacters(in: .whitespacesAndNewlines) == "interrupted")
        // Only whole files: the first is archived (unless its group was rolled back), the second
        // left for the next run. In one group, a signal that falls between the two files (the
        // second not begun) commits the first: either way the log says what happened.
        let archived = try workspace.scalar("SELECT COUNT(*) FROM files")
        if kept == 0 {
            #expect(archived == "0" || archived == "1")
            #expect(stderr.contains("the open group of files was rolled back") == (archived == "0"), "\(stderr)")
            #expect(stderr.contains("committed a group of files") == (archived == "1"), "\(stderr)")
        } else {
            #expect(archived == "\(kept)")
        }
        #expect(FileManager.default.fileExists(atPath: workspace.directory.file("var/reports/run-000001/report.json")))

        // The interrupted run recorded nothing for later runs; the resumed run adopts it, so its
        // flags, figures and report figures are a clean run's.
        #expect(try workspace.scalar("SELECT COUNT(*) FROM report_flags") == "0")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM run_figures") == "0")
        let resumed = try CLI.run(["run", workspace.pipeline])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try CanonicalDump.of(workspace.archive) == CanonicalDump.of(clean.archive))
        #expect(try workspace.scalar("SELECT reported_in FROM runs WHERE id = 1") == "2")
        #expect(try RunCompletionState.of(workspace) == RunCompletionState.of(clean))
    }

    @Test func aRunWhoseProcessDiedIsMarkedInterruptedByTheNextOne() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        // The second file is large enough to be still archiving when the kill comes, even though
        // it is read ahead while the first is archived (with 6,000 records a loaded machine
        // sometimes finished the run first).
        let workspace = try ArchiveDurabilityTests.workspace(with: try ArchiveDurabilityTests.twoFiles(in: scratch,
                                                                                                       secondRecords: 40_000))
        defer { workspace.directory.remove() }
        let process = try CLI.start(["run", workspace.pipeline])
        try ArchiveDurabilityTests.waitForFirstFile(workspace, process)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try CLIQuery.sqlite(workspace.archive, "SELECT status FROM runs WHERE id = 1").1
            .trimmingCharacters(in: .whitespacesAndNewlines) == "running")
        let next = try CLI.run(["run", workspace.pipeline, "--log-level", "warning"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("earlier runs ended without finishing; marked interrupted"))
        #expect(try CLIQuery.sqlite(workspace.archive, "SELECT id || ':' || status FROM runs ORDER BY id").1
            .trimmingCharacters(in: .whitespacesAndNewlines) == "1:interrupted\n2:completed")
        // Run 1 never reported: run 2's report counts the file it archived, and says so.
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            workspace.directory.file("var/reports/run-000002/report.json")))) as? [String: Any])
        let totals = try #require(report["totals"] as? [String: Any])
        #expect(totals["records"] as? Int == 44_000, "4,000 records of run 1 and 40,000 of run 2")
        // The index lists the dead run without a link to a report it never wrote.
        let index = try String(contentsOfFile: workspace.directory.file("var/reports/index.html"), encoding: .utf8)
        #expect(index.contains("<tr data-run=\"1\"><td>1</td>"), "\(index)")
        #expect(index.contains("<tr data-run=\"2\"><td><a href=\"run-000002/index.html\">2</a></td>"))
        let notes = report["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("批次 1 未正常结束") }, "\(notes)")
        let archived = (report["files"] as? [[String: Any]] ?? []).filter { $0["outcome"] as? String == "archived" }
        #expect(archived.compactMap { $0["path"] as? String }.sorted()
            == ["nb-scjg/admin_penalty_20261120.csv", "nb-scjg/admin_penalty_20261121.csv"])
    }
}

/// The window between a file's commit and the note of its outcome: a run killed there archived
/// the file, and the next run's report must list it as archived (the ledger is the truth).
@Suite struct AbandonedRunReportTests {
    @Test func aFileCommittedJustBeforeTheProcessDiedIsListedAsArchived() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let workspace = try ArchiveDurabilityTests.workspace(with: try ArchiveDurabilityTests.twoFiles(in: scratch))
        defer { workspace.directory.remove() }
        #expect(try CLI.run(["run", workspace.pipeline]).status == 0)
        // As if the process died after the second file's commit, before its outcome was noted: the
        // run never completed, so it recorded neither flags nor figures.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c",
                             "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
                             workspace.archive,
                             "DELETE FROM run_files WHERE path = 'nb-scjg/admin_penalty_20261121.csv'; "
                                + "UPDATE runs SET status = 'running', finished_at = NULL WHERE id = 1; "
                                + "DELETE FROM run_figures WHERE run_id = 1; DELETE FROM report_flags WHERE run_id = 1;"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try CLI.run(["run", workspace.pipeline]).status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            workspace.directory.file("var/reports/run-000002/report.json")))) as? [String: Any])
        let archived = (report["files"] as? [[String: Any]] ?? []).filter { $0["outcome"] as? String == "archived" }
        #expect(archived.compactMap { $0["path"] as? String }.sorted()
            == ["nb-scjg/admin_penalty_20261120.csv", "nb-scjg/admin_penalty_20261121.csv"])
        #expect((report["totals"] as? [String: Any])?["records"] as? Int == 10_000)
    }
}

/// An inbox written by other systems' jobs: what it holds is not trusted.
@Suite(.serialized) struct HostileInboxTests {
    @Test func linksOutAndLoopsAndFIFOsAreRefusedUnreadAndTheQuarantineKeepsBytes() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let inbox = workspace.directory.file("inbox")
        // A file outside the inbox that only its owner should read.
        let secret = try workspace.directory.write("secret/passwd", "root:x:0:0:root:/root:/bin/bash\n")
        try FileManager.default.createDirectory(atPath: inbox + "/nb-scjg", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: inbox + "/nb-scjg/admin_penalty_20261101.csv",
                                                   withDestinationPath: secret)
        #expect(mkfifo(inbox + "/nb-scjg/admin_penalty_20261102.csv", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: inbox + "/nb-scjg/admin_penalty_20261103.csv",
                                                   withDestinationPath: inbox + "/nb-scjg/admin_penalty_20261104.csv")
        try FileManager.default.createSymbolicLink(atPath: inbox + "/nb-scjg/admin_penalty_20261104.csv",
                                                   withDestinationPath: inbox + "/nb-scjg/admin_penalty_20261103.csv")
        // A link inside the inbox to a malformed file: followed, and quarantined as bytes.
        let broken = "行政处罚决定书文号,处罚决定日期\n\"甬市监罚〔2026〕1号,2026/11/01\n"
        try workspace.directory.write("inbox/store/broken.txt", broken)
        try FileManager.default.createSymbolicLink(atPath: inbox + "/nb-scjg/admin_penalty_20261105.csv",
                                                   withDestinationPath: inbox + "/store/broken.txt")
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"))

        let run = try CLI.run(["-c", "exec timeout 120 \"$0\" run \"$1\"", CLI.executable, workspace.pipeline],
                              program: "/bin/sh")
        #expect(run.status == 2, "exit \(run.status) (124 means the run hung): \(run.stderr)")
        #expect(run.stdout.contains("nb-scjg/admin_penalty_20261101.csv: a symbolic link to a file outside the inbox"))
        #expect(run.stdout.contains("nb-scjg/admin_penalty_20261102.csv: not a regular file (a FIFO)"))
        #expect(run.stdout.contains("nb-scjg/admin_penalty_20261103.csv: a symbolic link loop"))
        #expect(run.stdout.contains("nb-scjg/admin_penalty_20261104.csv: a symbolic link loop"))
        #expect(run.stdout.contains("failed"))
        #expect(run.stdout.contains("nb-scjg/admin_penalty_20261120.csv: 20 records"))
        #expect(run.stdout.split(separator: "\n").filter { $0.hasPrefix("  refused") }.count == 4, "\(run.stdout)")
        for output in [run.stdout, run.stderr,
                       try String(contentsOfFile: workspace.directory.file("var/reports/latest/report.json"), encoding: .utf8),
                       try String(contentsOfFile: workspace.directory.file("var/reports/latest/index.html"), encoding: .utf8)] {
            #expect(!output.contains("root:x"), "the file outside the inbox was read")
        }
        let copy = workspace.directory.file("var/quarantine/run-000001/nb-scjg/admin_penalty_20261105.csv")
        let attributes = try FileManager.default.attributesOfItem(atPath: copy)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular, "the quarantine kept a link, not the bytes")
        #expect(try String(contentsOfFile: copy, encoding: .utf8) == broken)
    }
}

/// The inbox can change between its listing and the opening of a file: an entry swapped for a
/// link to a file outside the inbox, or for a FIFO, is refused unread, the run does not hang on the
/// FIFO, and nothing of the outside file reaches the archive, the quarantine or the report.
@Suite(.serialized) struct SwappedEntryTests {
    @Test func entriesSwappedAfterListingAreRefusedUnreadAndTheRunDoesNotHang() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let sample = Repository.path("samples/nb-scjg/admin_penalty_20261120.csv")
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: sample)
        try workspace.drop("nb-scjg/admin_penalty_20261121.csv", from: Repository.path("samples/yz-zhzf/admin_penalty_20261120.csv"))
        // Records a department never sent, outside the inbox: they must never be archived.
        let outside = try String(contentsOfFile: sample, encoding: .utf8).replacingOccurrences(of: "宁波", with: "外部")
        let secret = try workspace.directory.write("outside/secret.csv", outside)
        let gate = workspace.directory.file("gate")

        // Listed as regular files; then one becomes a link out of the inbox and the other a FIFO.
        let linked = workspace.directory.file("inbox/nb-scjg/admin_penalty_20261121.csv")
        let fifo = workspace.directory.file("inbox/nb-scjg/admin_penalty_20261120.csv")
        let run = try CLI.run(["run", workspace.pipeline], pausedAt: "after-listing", gate: gate) {
            try FileManager.default.removeItem(atPath: linked)
            try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: secret)
            try FileManager.default.removeItem(atPath: fifo)
            #expect(mkfifo(fifo, 0o600) == 0)
        }
        let stdout = run.stdout
        #expect(run.status == 2, "exit \(run.status) (124, 137: the run hung): \(stdout)")
        #expect(stdout.contains("is now a symbolic link"), "\(stdout)")
        #expect(stdout.contains("no longer a regular file"), "\(stdout)")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM files") == "0")
        #expect(try workspace.scalar("SELECT COUNT(*) || ':' || GROUP_CONCAT(DISTINCT outcome) FROM run_files") == "2:failed")
        for output in try workspace.outputs(of: run) {
            #expect(!output.contains("外部"), "the outside file was read")
        }
        let quarantined = FileManager.default.enumerator(atPath: workspace.directory.file("var/quarantine"))?
            .compactMap { $0 as? String } ?? []
        #expect(quarantined.filter { !$0.hasSuffix(".error.txt") && $0.hasSuffix(".csv") }.isEmpty, "\(quarantined)")
    }
}

/// File names are bytes: one that is not UTF-8 used to be skipped without a word, and one with a
/// line break forged lines in the run's output and log. Both are refused, named escaped.
@Suite(.serialized) struct FileNameTests {
    @Test func namesThatAreNotUTF8OrHoldLineBreaksAreRefusedEscaped() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"))
        let folder = workspace.directory.file("inbox/nb-scjg")
        let sample = try Data(contentsOf: URL(fileURLWithPath: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv")))
        // Made through the C library: a Swift String cannot hold the invalid byte.
        for name in [Array("admin_penalty_20261121_".utf8) + [0xFF] + Array(".csv".utf8),
                     Array("admin_penalty_20261122.csv\n  archived  forged.csv: 1 records".utf8)] {
            let path = Array(folder.utf8) + [0x2F] + name + [0]
            let descriptor = path.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o600) }
            }
            #expect(descriptor >= 0)
            _ = sample.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        let run = try CLI.run(["run", workspace.pipeline, "--log-level", "info"])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("nb-scjg/admin_penalty_20261121_\\xff.csv: its name is not valid UTF-8"), "\(run.stdout)")
        #expect(run.stdout.contains("nb-scjg/admin_penalty_20261122.csv\\n  archived  forged.csv: 1 records: its name holds a control character"),
                "\(run.stdout)")
        for output in [run.stdout, run.stderr] {
            #expect(!output.split(separator: "\n").contains { $0.hasPrefix("  archived  forged.csv") }, "a forged line")
        }
        #expect(try workspace.scalar("SELECT COUNT(*) FROM files") == "1")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM run_files WHERE outcome = 'refused'") == "2")
        let report = try String(contentsOfFile: workspace.directory.file("var/reports/latest/report.json"), encoding: .utf8)
        #expect(report.contains("admin_penalty_20261121_\\\\xff.csv"), "escaped in the report too")
    }
}

/// A file still being written is left for the next run, not archived half-way.
@Suite(.serialized) struct GrowingFileTests {
    @Test func aFileThatGrowsWhileWatchedIsPendingAndArchivedOnceStill() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let pipeline = try String(contentsOfFile: workspace.pipeline, encoding: .utf8)
            .replacingOccurrences(of: "settle_seconds: 0", with: "settle_seconds: 1")
        try pipeline.write(toFile: workspace.pipeline, atomically: true, encoding: .utf8)
        let sample = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"),
                                encoding: .utf8)
        let lines = sample.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let growing = workspace.directory.file("inbox/nb-scjg/admin_penalty_20261121.csv")
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261121.csv", lines[0] + "\n")
        try workspace.drop("nb-sthjj/admin_penalty_20261119.csv", from: Repository.path("samples/nb-sthjj/admin_penalty_20261119.csv"))

        // A department's transfer job appends records while the run watches: the run is held
        // between the watch's two looks (CREDIT_ETL_PAUSE_AT), so the timing is the test's, not
        // the machine's.
        let first = try CLI.run(["run", workspace.pipeline], pausedAt: "while-settling",
                                gate: workspace.directory.file("gate")) {
            let handle = try #require(FileHandle(forWritingAtPath: growing))
            handle.seekToEndOfFile()
            handle.write(Data((lines.dropFirst().joined(separator: "\n") + "\n").utf8))
            try handle.close()
        }
        #expect(first.status == 0, "pending is not a failure: \(first.stderr)")
        #expect(first.stdout.contains("nb-scjg/admin_penalty_20261121.csv: its size or time changed within 1.0 s"),
                "\(first.stdout)")
        #expect(first.stdout.contains("nb-sthjj/admin_penalty_20261119.csv: 8 records"))
        #expect(try workspace.scalar("SELECT COUNT(*) FROM files") == "1", "the growing file must not be archived")

        let second = try CLI.run(["run", workspace.pipeline])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("nb-scjg/admin_penalty_20261121.csv: 20 records"), "\(second.stdout)")
    }
}

/// What a run writes holds personal data: owner only by default, the group when asked.
@Suite(.serialized) struct FileModeTests {
    static func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test(arguments: [(false, 0o600, 0o700), (true, 0o640, 0o750)])
    func theArchiveReportsAndQuarantineAreOwnerOnlyUnlessTheGroupIsAsked(group: Bool, file: Int, folder: Int) throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        if group {
            try (try String(contentsOfFile: workspace.pipeline, encoding: .utf8) + "\ngroup_readable: true\n")
                .write(toFile: workspace.pipeline, atomically: true, encoding: .utf8)
        }
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"))
        try workspace.directory.write("inbox/nb-tax/tax_a_grade_20261115.json", "{\"data\": {\"list\": [\n")
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(try Self.mode(workspace.archive) == file)
        #expect(try Self.mode(workspace.archive + ".lock") == 0o600)
        #expect(try Self.mode(workspace.directory.file("var/reports/run-000001")) == folder)
        #expect(try Self.mode(workspace.directory.file("var/reports/run-000001/report.json")) == file)
        #expect(try Self.mode(workspace.directory.file("var/reports/run-000001/index.html")) == file)
        #expect(try Self.mode(workspace.directory.file("var/quarantine/run-000001")) == folder)
        #expect(try Self.mode(workspace.directory.file("var/quarantine/run-000001/nb-tax/tax_a_grade_20261115.json")) == file)
    }

    @Test func aMissingInboxCreatesNothing() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try FileManager.default.removeItem(atPath: workspace.directory.file("inbox"))
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 66)
        #expect(run.stderr.contains("inbox folder not found"))
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.file("var")), "nothing is created")
    }
}

/// What used to be archived silently: control characters, bytes that are not UTF-8, repeated
/// JSON keys. Each is now a finding on its record, or refuses the file, with file and line.
@Suite(.serialized) struct SilentAcceptanceTests {
    @Test func nulBytesAndInvalidUTF8AfterTheFirstMiBRejectTheirRecordsWithoutEchoingThem() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let sample = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"),
                                encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        // A valid record repeated past the first MiB (the encoding is told from the start), then
        // one with a NUL in the name and one with a GBK name.
        var bytes = Array((sample[0] + "\n").utf8)
        var line = 1
        while bytes.count < 1_200_000 {
            line += 1
            bytes += Array((sample[2].replacingOccurrences(of: "102号", with: "\(line)号") + "\n").utf8)
        }
        let nul = sample[2].replacingOccurrences(of: "102号", with: "nul号")
            .replacingOccurrences(of: "宁波海曙明州贸易有限公司", with: "宁波海曙明州\u{0}贸易有限公司")
        bytes += Array((nul + "\n").utf8)
        // The name in GBK bytes (宁波), as if the export switched encoding.
        let gbk = sample[2].replacingOccurrences(of: "102号", with: "gbk号")
            .components(separatedBy: "宁波海曙明州贸易有限公司")
        bytes += Array(gbk[0].utf8) + [0xC4, 0xFE, 0xB2, 0xA8] + Array(gbk[1].utf8) + [0x0A]
        let path = workspace.directory.file("inbox/nb-scjg/admin_penalty_20261120.csv")
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 0, "\(run.stderr)")
        let found = try CLIQuery.sqlite(workspace.archive, """
            SELECT line || ' ' || rule || ' ' || COALESCE(field, '') || ' ' || COALESCE(value, '-') FROM findings
            WHERE rule IN ('CONTROL_CHARACTER', 'INVALID_UTF8') ORDER BY line
            """).1.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(found == "\(line + 1) CONTROL_CHARACTER cf_xdr_mc -\n\(line + 2) INVALID_UTF8 cf_xdr_mc -", "\(found)")
        #expect(try CLIQuery.sqlite(workspace.archive, "SELECT COUNT(*) FROM item_admin_penalty WHERE cf_wsh LIKE '%nul号' OR cf_wsh LIKE '%gbk号'").1
            .trimmingCharacters(in: .whitespacesAndNewlines) == "0", "neither record is archived as accepted")
    }

    @Test func aRepeatedJSONKeyRefusesTheFileNamingItsLine() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.directory.write("inbox/nb-tax/tax_a_grade_20261115.json", """
            {"code": 0, "data": {"list": [
              {"nsrsbh": "91330200MA2EL6266C", "nsrmc": "宁波甲公司", "pjnd": "2025"},
              {"nsrsbh": "91330200MA2EL6266C", "nsrmc": "宁波甲公司",
               "nsrmc": "宁波乙公司", "pjnd": "2025"}
            ]}}
            """)
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 2)
        #expect(run.stdout.contains("nb-tax/tax_a_grade_20261115.json:3: the key \"nsrmc\" appears twice in the record starting on line 3"),
                "\(run.stdout)")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM files") == "0")
    }
}

/// No output of a run carries a full ID number, whatever the input does wrong.
@Suite(.serialized) struct PrivacyTests {
    @Test func syntaxErrorsAndHeaderlessFilesNeverEchoPersonalData() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let id = "330203199001011234"
        // JSON with an ID number left unquoted; a CSV sent without its header row.
        try workspace.directory.write("inbox/nb-zy/court_dishonest_20261119.jsonl",
                                      "{\"bzxrmc\": \"张三\", \"zjhm\": \(id)X}\n")
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261121.csv",
                                      "张三,自然人,\(id),甬市监罚〔2026〕1号,2026-11-01\n李四,自然人,330203199001011235,甬市监罚〔2026〕2号,2026-11-02\n")
        let run = try CLI.run(["run", workspace.pipeline, "--log-level", "info"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stdout.contains("admin_penalty_20261121.csv:1: no column of the first line names a field"),
                "\(run.stdout)")
        #expect(run.stdout.contains("court_dishonest_20261119.jsonl:1: \"zjhm\" has a value that is not JSON"),
                "\(run.stdout)")
        let outputs = try workspace.outputs(of: run)
        #expect(outputs.count == 6, "two quarantine notes")
        for output in outputs {
            #expect(!output.contains(id), "a full ID number in an output: \(output.prefix(300))")
            #expect(!output.contains("张三"))
        }
    }
}

/// Personal data is masked by what a value looks like, not by the column it came in: an ID number
/// sent in the 统一社会信用代码 column, an ID number and a name written into 违法事实, a person's
/// name asked of `subject`.
@Suite(.serialized) struct MaskingByValueTests {
    @Test func idNumbersAndNamesInTheWrongColumnOrInFreeTextAreMaskedEverywhere() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let id = "330203198503120710", name = "张某某"
        let sample = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"), encoding: .utf8)
        var lines = sample.components(separatedBy: "\r\n")
        var person = lines[3].components(separatedBy: ",")
        #expect(person[0] == name && person[1] == "自然人" && person[12] == id, "\(person)")
        person[2] = id                                    // the ID number in the USCC column
        person[15] = "\(name)（身份证号\(id)）" + String(repeating: "在经营场所销售过期食品", count: 500)
        lines[3] = person.joined(separator: ",")
        let file = try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", lines.joined(separator: "\r\n"))
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 0, "\(run.stderr)")
        // The planted values did reach the findings the report shows.
        #expect(try workspace.scalar("SELECT COUNT(*) FROM findings WHERE value = '\(id)' AND line = 4") != "0")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM findings WHERE rule = 'LENGTH_EXCEEDED' AND line = 4") == "1")

        var outputs = try workspace.outputs(of: run)
        let day = try workspace.scalar("SELECT day FROM run_figures WHERE run_id = 1")
        let period = try CLI.run(["report", "--pipeline", workspace.pipeline, "--period", String(day.prefix(7))])
        #expect(period.status == 0 || period.status == 3, "\(period.stderr)")
        let periodFolder = workspace.directory.file("var/reports/period-\(day.prefix(7))")
        for name in ["report.json", "index.html"] {
            outputs.append(try String(contentsOfFile: periodFolder + "/" + name, encoding: .utf8))
        }
        for arguments in [["trace", "--pipeline", workspace.pipeline, "--file", "nb-scjg/admin_penalty_20261120.csv", "--line", "4"],
                          ["trace", "--pipeline", workspace.pipeline, "--file", "nb-scjg/admin_penalty_20261120.csv", "--line", "4", "--json"],
                          ["subject", "--pipeline", workspace.pipeline, name],
                          ["subject", "--pipeline", workspace.pipeline, id],
                          ["validate", file, "--item", "admin_penalty"]] {
            let query = try CLI.run(arguments)
            // `subject` finds no accepted record of this person (the record was rejected) but
            // still names the query in its title: masked.
            let expected = arguments[0] == "subject" ? (arguments[3] == name ? "张**" : "3302**********0710") : "cf_"
            #expect(query.stdout.contains(expected), "\(arguments): \(query.stdout) \(query.stderr)")
            outputs += [query.stdout, query.stderr]
        }
        for output in outputs {
            #expect(!output.contains(id), "a full ID number: \(output.prefix(400))")
            #expect(!output.contains(name), "a natural person's full name: \(output.prefix(400))")
        }
        // Asked for, the values are there.
        let unmasked = try CLI.run(["trace", "--pipeline", workspace.pipeline, "--file", "nb-scjg/admin_penalty_20261120.csv",
                                    "--line", "4", "--unmasked"])
        #expect(unmasked.stdout.contains(name) && unmasked.stdout.contains(id), "\(unmasked.stdout.prefix(600))")
    }
}

/// A value of any size cannot take the run's memory: past the item's limit the file stops.
@Suite struct FieldSizeTests {
    @Test func xmlAndJSONValuesPastTheLimitStopTheirFilesToo() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let long = String(repeating: "长", count: 100_000)   // 300,000 bytes of UTF-8
        try workspace.directory.write("inbox/nb-zy/court_dishonest_20261119.jsonl",
                                      "{\"bzxrmc\": \"宁波甲公司\"}\n{\"bzxrmc\": \"\(long)\"}\n")
        try workspace.directory.write("inbox/cx-scjg/admin_license_20261120.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <DATA>
            <ROW><xk_xdr_mc>宁波乙公司</xk_xdr_mc></ROW>
            <ROW><xk_xdr_mc>宁波丙公司</xk_xdr_mc><xk_nr>\(long)</xk_nr></ROW>
            </DATA>
            """)
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 2)
        #expect(run.stdout.contains("court_dishonest_20261119.jsonl:2: the value of \"bzxrmc\" in the record starting on line 2 "
            + "is longer than 262144 bytes"), "\(run.stdout)")
        #expect(run.stdout.contains("admin_license_20261120.xml:4: the value of <xk_nr> in the record starting on line 4 "
            + "is longer than 262144 bytes"), "\(run.stdout)")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM files") == "0")
    }

    @Test func aValueLongerThanTheLimitStopsTheFileNamingItsLine() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let lines = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"), encoding: .utf8)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
        // Line 3 carries a 3 MB 违法事实 (quoted, no line breaks).
        let huge = lines[2].replacingOccurrences(of: "未明码标价", with: "\"" + String(repeating: "未", count: 1_000_000) + "\"")
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv",
                                      ([lines[0], lines[1], huge] + lines[3...]).joined(separator: "\n") + "\n")
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 2)
        #expect(run.stdout.contains("admin_penalty_20261120.csv:3: a value in the record starting on line 3 is longer than 262144 bytes"),
                "\(run.stdout)")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM files") == "0")
    }
}

/// The night issue 10 describes, in one inbox: a file still being written, a FIFO, a link out of
/// the inbox, a JSON file whose syntax error sits on an ID number, and a good file.
@Suite(.serialized) struct HostileNightTests {
    @Test func theNightlyPipelineOverAHostileInbox() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let pipeline = try String(contentsOfFile: workspace.pipeline, encoding: .utf8)
            .replacingOccurrences(of: "settle_seconds: 0", with: "settle_seconds: 1")
        try pipeline.write(toFile: workspace.pipeline, atomically: true, encoding: .utf8)
        let inbox = workspace.directory.file("inbox")
        let id = "330203199001011234"
        let secret = try workspace.directory.write("secret/shadow", "root:$6$secret:19000:0:99999:7:::\n")
        try FileManager.default.createDirectory(atPath: inbox + "/nb-scjg", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: inbox + "/nb-scjg/admin_penalty_20261101.csv",
                                                   withDestinationPath: secret)
        #expect(mkfifo(inbox + "/nb-scjg/admin_penalty_20261102.csv", 0o600) == 0)
        try workspace.directory.write("inbox/nb-zy/court_dishonest_20261119.jsonl", "{\"bzxrmc\": \"张三\", \"zjhm\": \(id)X}\n")
        try workspace.drop("nb-sthjj/admin_penalty_20261119.csv", from: Repository.path("samples/nb-sthjj/admin_penalty_20261119.csv"))
        let growing = try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261121.csv", "行政相对人名称\n")
        // Its transfer job writes while the run watches the inbox.
        let run = try CLI.run(["run", workspace.pipeline, "--log-level", "info"], pausedAt: "while-settling",
                              gate: workspace.directory.file("gate"), timeout: 120) {
            let handle = try #require(FileHandle(forWritingAtPath: growing))
            handle.seekToEndOfFile()
            handle.write(Data((0..<25).map { "宁波写入中\($0)有限公司\n" }.joined().utf8))
            try handle.close()
        }
        #expect(run.status == 2, "exit \(run.status) (124: the run hung): \(run.stdout)\(run.stderr)")
        let outcomes = try CLIQuery.sqlite(workspace.archive, "SELECT path || ' ' || outcome FROM run_files ORDER BY path").1
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(outcomes == """
            nb-scjg/admin_penalty_20261101.csv refused
            nb-scjg/admin_penalty_20261102.csv refused
            nb-scjg/admin_penalty_20261121.csv pending
            nb-sthjj/admin_penalty_20261119.csv archived
            nb-zy/court_dishonest_20261119.jsonl failed
            """, "\(outcomes)")
        let outputs = try workspace.outputs(of: run)
        #expect(outputs.count == 5, "one quarantine note")
        for output in outputs {
            #expect(!output.contains(id), "a full ID number in an output")
            #expect(!output.contains("root:"), "the file outside the inbox was read")
        }
        for (path, mode) in [(workspace.archive, 0o600), (workspace.directory.file("var/reports/run-000001"), 0o700),
                             (workspace.directory.file("var/quarantine/run-000001"), 0o700)] {
            #expect(try FileModeTests.mode(path) == mode, "\(path)")
        }
    }
}
