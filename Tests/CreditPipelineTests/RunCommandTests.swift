import Foundation
import Testing
import TestSupport

/// Runs the built `credit-etl` binary the way cron or an operator would.
struct CLI {
    static var executable: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("credit-etl").path,
            Repository.path(".build/debug/credit-etl"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }

    /// Starts the binary without waiting for it (for tests that stop it), its output discarded.
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs the binary (or `program`, such as a shell that sets a limit first) to its end, with
    /// `environment` added to this process's.
    static func run(_ arguments: [String], input: String? = nil, program: String? = nil,
                    environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program ?? executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = Pipe()
        if input != nil { process.standardInput = inputPipe }
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}

extension CLI {
    /// Runs the binary held at a named moment (`CREDIT_ETL_PAUSE_AT`, ``TestHook``): `whilePaused`
    /// changes the world there, then the run goes on to its end (killed after `timeout` seconds,
    /// so a run that hangs fails the test instead of holding it: exit 124 or 137).
    static func run(_ arguments: [String], pausedAt hook: String, gate: String, timeout: Int = 60,
                    whilePaused: () throws -> Void) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-k", "5", "\(timeout)", executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["CREDIT_ETL_PAUSE_AT": "\(hook):\(gate)"]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(Double(timeout))
        while !FileManager.default.fileExists(atPath: gate + ".waiting"), Date() < deadline, process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let reached = FileManager.default.fileExists(atPath: gate + ".waiting")
        if reached { try whilePaused() }
        // Releasing the run: were the gate not created, the run would wait out its minute unseen.
        let released = FileManager.default.createFile(atPath: gate, contents: nil)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(reached, "the run never reached \(hook): \(stdout) \(stderr)")
        #expect(released, "cannot create \(gate) to release the run")
        return (process.terminationStatus, stdout, stderr)
    }
}

/// A pipeline over a temporary inbox, with the repository's catalog.
struct Workspace {
    let directory: TemporaryDirectory
    var pipeline: String { directory.file("pipeline.yaml") }
    var archive: String { directory.file("var/archive.sqlite") }

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("pipeline.yaml", """
            name: test
            catalog: \(Repository.path("catalogs"))
            inbox: inbox
            archive: var/archive.sqlite
            reports: var/reports
            settle_seconds: 0
            fail_on: [unreadable_files]
            """)
        try FileManager.default.createDirectory(atPath: directory.file("inbox"), withIntermediateDirectories: true)
    }

    func drop(_ relative: String, from source: String) throws {
        let target = directory.file("inbox/" + relative)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: target)
    }

    /// One value of a query on the archive, trimmed.
    func scalar(_ sql: String) throws -> String {
        try CLIQuery.sqlite(archive, sql).1.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Everything a run showed people: its output, the latest report in both forms, and every
    /// quarantine note.
    func outputs(of run: (status: Int32, stdout: String, stderr: String)) throws -> [String] {
        var outputs = [run.stdout, run.stderr]
        for report in ["report.json", "index.html"] {
            outputs.append(try String(contentsOfFile: directory.file("var/reports/latest/\(report)"), encoding: .utf8))
        }
        let quarantine = directory.file("var/quarantine")
        for note in FileManager.default.enumerator(atPath: quarantine)?.compactMap({ $0 as? String })
            .filter({ $0.hasSuffix(".error.txt") }) ?? [] {
            outputs.append(try String(contentsOfFile: quarantine + "/" + note, encoding: .utf8))
        }
        return outputs
    }

    /// Row counts of the tables that hold archived data.
    func counts() throws -> [String: Int] {
        var result: [String: Int] = [:]
        for table in ["files", "item_admin_penalty", "rejected_records", "findings", "file_finding_counts"] {
            let (_, out, _) = try CLIQuery.sqlite(archive, "SELECT COUNT(*) FROM \(table)")
            result[table] = Int(out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        return result
    }
}

/// Reads the archive with GRDB-independent SQL, as an operator would with sqlite3.
enum CLIQuery {
    static func sqlite(_ database: String, _ sql: String) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
            + "print('\\n'.join('|'.join(str(v) for v in r) for r in c.execute(sys.argv[2])))", database, sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), "")
    }
}

@Suite(.serialized) struct RunCommandTests {
    let sample = Repository.path("samples/nb-scjg/admin_penalty_20261120.csv")

    @Test func theSampleRunShowsTheDocumentedCountsAndASecondRunChangesNothing() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: sample)

        let first = try CLI.run(["run", workspace.pipeline])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("20 records, 10 compliant, 10 rejected (50.00%)"))
        #expect(first.stdout.contains("compliance rate 50.00% (10/20)"))
        let afterFirst = try workspace.counts()
        // Findings: 13 planted defects and 18 late submissions (samples/README.md).
        #expect(afterFirst == ["files": 1, "item_admin_penalty": 10, "rejected_records": 10, "findings": 31,
                               "file_finding_counts": 14])
        let (_, rules, _) = try CLIQuery.sqlite(workspace.archive,
            "SELECT rule, severity, field, SUM(count) FROM file_finding_counts GROUP BY 1, 2, 3 ORDER BY 1, 3")
        #expect(rules.split(separator: "\n") == [
            "DATE_FORMAT|error|cf_jdrq|1", "DATE_FORMAT|error|cf_yxq|1", "DATE_LONG_TERM_TEXT|warning|cf_yxq|1",
            "DATE_UNPADDED|warning|cf_jdrq|1",
            "REQUIRED|error|cf_cflb|1", "REQUIRED|error|cf_sy|1", "REQUIRED|error|cf_wsh|1",
            "REQUIRED_WHEN|error|cf_nr_wfff|1", "ROW_FIELD_COUNT|error||1", "TIMELINESS_LATE|warning|cf_jdrq|18",
            "USCC_CHARSET|error|cf_cfjgdm|1", "USCC_CHECK|error|cf_xdr_shxym|1", "USCC_LENGTH|error|cf_xdr_shxym|1",
            "USCC_NAME_CONFLICT|warning|cf_xdr_mc|1",
        ])
        // Lineage: every archived row leads to its file, line and run.
        let (_, lineage, _) = try CLIQuery.sqlite(workspace.archive, """
            SELECT r._line, f.path, f.run_id FROM item_admin_penalty r JOIN files f ON f.id = r._file
            WHERE r.cf_yxq = '2099-12-31'
            """)
        #expect(lineage.trimmingCharacters(in: .whitespacesAndNewlines) == "16|nb-scjg/admin_penalty_20261120.csv|1")

        let second = try CLI.run(["run", workspace.pipeline])
        #expect(second.status == 0)
        #expect(second.stdout.contains("already archived in run 1; skipped, archive unchanged"))
        #expect(try workspace.counts() == afterFirst)

        let report = try String(contentsOfFile: workspace.directory.file("var/reports/latest/report.json"), encoding: .utf8)
        #expect(report.contains("\"outcome\" : \"duplicate\""))
        let html = try String(contentsOfFile: workspace.directory.file("var/reports/run-000001/index.html"), encoding: .utf8)
        #expect(html.contains("合规率"))
        #expect(html.contains("50.00%"))
    }

    /// A malformed file of any format stops that file only: it is copied to the quarantine with
    /// its reason, nothing of it is archived, and the next file is read.
    @Test func malformedFilesOfEveryFormatAreQuarantinedAndTheRunGoesOn() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.directory.write("inbox/cx-scjg/admin_license_20261120.xml",
                                      "<?xml version=\"1.0\"?>\n<DATA>\n<ROW><xk_xdr_mc>甲</ROW>\n</DATA>\n")
        try workspace.directory.write("inbox/nb-tax/tax_a_grade_20261115.json", "{\"data\": {\"list\": [{\"nsrmc\": \"甲\"}\n")
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: sample)
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 2)
        #expect(run.stdout.contains("cx-scjg/admin_license_20261120.xml:3:24: malformed XML: Opening and ending tag mismatch"))
        #expect(run.stdout.contains("nb-tax/tax_a_grade_20261115.json:2: the file ends before the record array is closed"))
        #expect(run.stdout.contains("archived  nb-scjg/admin_penalty_20261120.csv: 20 records"))
        let quarantined = workspace.directory.file("var/quarantine/run-000001/nb-tax/tax_a_grade_20261115.json")
        #expect(FileManager.default.fileExists(atPath: quarantined))
        let reason = try String(contentsOfFile: quarantined + ".error.txt", encoding: .utf8)
        #expect(reason.contains("the file ends before the record array is closed"))
        #expect(FileManager.default.fileExists(
            atPath: workspace.directory.file("var/quarantine/run-000001/cx-scjg/admin_license_20261120.xml.error.txt")))
        #expect(try workspace.counts()["files"] == 1)
    }

    @Test func anUnterminatedQuoteStopsTheFileAndLeavesTheArchiveAsItWas() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: sample)
        _ = try CLI.run(["run", workspace.pipeline])
        let before = try workspace.counts()

        let lines = try String(contentsOfFile: sample, encoding: .utf8).components(separatedBy: "\r\n")
        let broken = lines[0..<3].joined(separator: "\r\n") + "\r\n\"宁波未闭合公司," + lines[3] + "\r\n"
            + lines[4..<lines.count].joined(separator: "\r\n")
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261121.csv", broken)

        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 2)
        // The quote opened on line 4 runs on to the next quote (line 12), where strict parsing stops.
        #expect(run.stdout.contains("nb-scjg/admin_penalty_20261121.csv:12:76: unexpected character after a closing quote"))
        #expect(run.stdout.contains("the record began on line 4: a quote opened there may never be closed"))
        #expect(run.stdout.contains("nothing of this file was archived"))
        #expect(try workspace.counts() == before)
    }

    @Test func aBrokenPipelineFileNamesFileLineAndKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pipeline = try directory.write("p.yaml", "catalog: c\ninbox: i\narchive: a.sqlite\nreportz: r\n")
        let run = try CLI.run(["run", pipeline])
        #expect(run.status == 78)
        #expect(run.stderr.contains("\(pipeline):4:1: reportz: unknown key; check its spelling"))
        #expect(run.stderr.contains("reports: missing"))
    }

    @Test func helpDescribesEveryCommand() throws {
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("run"))
        let runHelp = try CLI.run(["run", "--help"])
        #expect(runHelp.stdout.contains("--language"))
        #expect(runHelp.stdout.contains("--log-level"))
        let usage = try CLI.run(["run"])
        #expect(usage.status == 64)
    }
}
