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

    @Test func sigtermRollsBackTheCurrentFileMarksTheRunInterruptedAndAResumeFinishes() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let files = try ArchiveDurabilityTests.twoFiles(in: scratch)
        let clean = try ArchiveDurabilityTests.workspace(with: files)
        defer { clean.directory.remove() }
        #expect(try CLI.run(["run", clean.pipeline]).status == 0)

        let workspace = try ArchiveDurabilityTests.workspace(with: files)
        defer { workspace.directory.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = ["run", workspace.pipeline]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        try ArchiveDurabilityTests.waitForFirstFile(workspace, process)
        kill(process.processIdentifier, SIGTERM)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 143, "\(stderr)")
        #expect(stderr.contains("interrupted by signal 15"), "\(stderr)")
        #expect(try CLIQuery.sqlite(workspace.archive, "SELECT status FROM runs WHERE id = 1").1
            .trimmingCharacters(in: .whitespacesAndNewlines) == "interrupted")
        // Only whole files: the first is archived, the second left for the next run.
        #expect(try CLIQuery.sqlite(workspace.archive, "SELECT COUNT(*) FROM files").1
            .trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        #expect(FileManager.default.fileExists(atPath: workspace.directory.file("var/reports/run-000001/report.json")))

        let resumed = try CLI.run(["run", workspace.pipeline])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try ArchiveDump.canonical(workspace.archive) == ArchiveDump.canonical(clean.archive))
    }

    @Test func aRunWhoseProcessDiedIsMarkedInterruptedByTheNextOne() throws {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let workspace = try ArchiveDurabilityTests.workspace(with: try ArchiveDurabilityTests.twoFiles(in: scratch))
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
    }
}
