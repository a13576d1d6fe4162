import CreditArchive
import CreditArchivePostgres
import CreditArchiveSQLite
import CreditCatalog
import CreditIdentifiers
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Several `credit-etl run --worker` processes share one run on a throwaway PostgreSQL cluster
/// and leave exactly the archive one SQLite process leaves: the same records, versions,
/// findings, figures and validation memory, by ``ArchiveDump``. Skipped, loudly, where no
/// cluster can start.
@Suite(.serialized, .enabled(if: PostgresCluster.unavailable == nil, "PostgreSQL cannot start here (see the log)"))
struct PostgresWorkerTests {
    /// An inbox, a pipeline on SQLite and one on the cluster, over the same files.
    struct Setup {
        let directory: TemporaryDirectory
        let cluster: PostgresCluster
        var inbox: String { directory.file("inbox") }
        var sqlitePipeline: String { directory.file("sqlite.yaml") }
        var postgresPipeline: String { directory.file("postgres.yaml") }
        var url: String { "postgresql://credit@localhost:\(cluster.port)/postgres?host=\(cluster.directory)" }

        init() throws {
            directory = try TemporaryDirectory()
            cluster = try PostgresCluster()
            for (name, archive) in [("sqlite", "var/archive.sqlite"), ("postgres", url)] {
                _ = try directory.write("\(name).yaml", """
                    name: workers
                    catalog: \(Repository.path("catalogs"))
                    inbox: inbox
                    archive: \(archive)
                    reports: var/\(name)-reports
                    settle_seconds: 0
                    fail_on: [unreadable_files]
                    """)
            }
        }

        /// Twelve files from nine departments in three formats, with defects planted in each:
        /// eight samples (among them two a department sent again: corrections, new versions and
        /// unchanged records) and four synthetic files of 20,000 records, two per item, the
        /// second of each pair the first's records decided a day later (every key again: new
        /// versions). Two items each have a chain of large files, so workers really overlap.
        func dropInbox() throws {
            let samples = ["nb-scjg/enterprise_registration_20261118.csv", "nb-scjg/admin_penalty_20261120.csv",
                           "nb-fgw/credit_commitment_20261119.csv", "nb-tax/tax_a_grade_20261115.json",
                           "nb-zy/court_dishonest_20261119.jsonl", "cx-scjg/admin_license_20261120.xml"]
            let resent = ["nb-scjg/admin_penalty_20261123.csv", "nb-fgw/credit_commitment_20261123.csv"]
            for (folder, files) in [("samples", samples), ("samples-resent", resent)] {
                for relative in files {
                    let target = "\(inbox)/\(relative)"
                    try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                            withIntermediateDirectories: true)
                    try FileManager.default.copyItem(atPath: Repository.path("\(folder)/\(relative)"), toPath: target)
                }
            }
            for (item, seed, date, first, again, content) in [
                ("admin_license", 5, "2026-11-21", "hs-scjg", ("nb-zjj", "20261122"), "许可内容"),
                ("admin_penalty", 6, "2026-11-20", "hs-scjg", ("yz-zhzf", "20261121"), "处罚内容"),
            ] {
                let folder = "\(inbox)/\(first)"
                let result = try CLI.run(["synth", "--item", item, "--records", "20000", "--seed", "\(seed)", "--date", date,
                                          "--out", folder, "--catalog", Repository.path("catalogs")])
                #expect(result.status == 0, "\(result.stderr)")
                try FileManager.default.removeItem(atPath: "\(folder)/truth.csv")
                // Another department sends the same decisions again, every tenth one changed.
                let name = "\(item)_\(date.replacingOccurrences(of: "-", with: "")).csv"
                // synth writes CRLF, which Swift takes as one Character: split on the string.
                let lines = try String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8).components(separatedBy: "\r\n")
                let changed = lines.enumerated().map { index, line in
                    index > 0 && index % 10 == 0 ? line.replacingOccurrences(of: content, with: content + "（变更）") : line
                }
                _ = try directory.write("inbox/\(again.0)/\(item)_\(again.1).csv", changed.joined(separator: "\r\n"))
            }
            let count = FileManager.default.enumerator(atPath: inbox)?.allObjects.compactMap { $0 as? String }
                .filter { $0.contains(".") }.count
            #expect(count == 12)
        }

        func sqliteDump() throws -> String {
            let result = try CLI.run(["run", sqlitePipeline])
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            return try ArchiveDump.text(of: Archive(path: directory.file("var/archive.sqlite")),
                                        items: Array(Repository.catalog().items.values))
        }

        func postgresDump() throws -> String {
            try ArchiveDump.text(of: PostgresArchive(cluster.conninfo), items: Array(Repository.catalog().items.values))
        }

        /// Starts a worker with its output in files beside the inbox.
        func startWorker(_ name: String) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.executable)
            process.arguments = ["run", "--worker", postgresPipeline, "--progress", "off"]
            for stream in ["out", "err"] {
                guard FileManager.default.createFile(atPath: directory.file("\(name).\(stream)"), contents: nil) else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
            process.standardOutput = FileHandle(forWritingAtPath: directory.file("\(name).out"))
            process.standardError = FileHandle(forWritingAtPath: directory.file("\(name).err"))
            try process.run()
            return process
        }

        func output(_ name: String) -> String {
            (try? String(contentsOfFile: directory.file("\(name).out"), encoding: .utf8)) ?? ""
        }

        /// The files of a backend's first run's report folder, relative to it.
        func reportFiles(_ backend: String) throws -> [String] {
            let folder = directory.file("var/\(backend)-reports/run-000001")
            return (FileManager.default.subpaths(atPath: folder) ?? []).filter { path in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: "\(folder)/\(path)", isDirectory: &isFolder) && !isFolder.boolValue
            }.sorted()
        }

        /// A report file's text without the run's start and end times, which differ.
        func reportText(_ backend: String, _ file: String, folder: String = "run-000001") throws -> String {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory.file("var/\(backend)-reports/\(folder)/\(file)")))
            let text = String(decoding: data, as: UTF8.self)
            return text.replacingOccurrences(of: #"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ"#, with: "<time>",
                                             options: .regularExpression)
        }

        func scalar(_ sql: String) throws -> String? {
            try PostgresConnection(cluster.conninfo).query(sql).first?[0] ?? nil
        }

        func remove() {
            cluster.stop()
            directory.remove()
        }
    }

    @Test func threeWorkersLeaveTheArchiveOneProcessLeaves() throws {
        let setup = try Setup()
        defer { setup.remove() }
        try setup.dropInbox()
        let expected = try setup.sqliteDump()
        let workers = try (1...3).map { try setup.startWorker("worker\($0)") }
        for worker in workers { worker.waitUntilExit() }
        for (index, worker) in workers.enumerated() {
            #expect(worker.terminationStatus == 0, "\(setup.output("worker\(index + 1)"))")
        }
        // Exactly one worker finished the run, and the work was shared.
        let finishers = (1...3).filter { setup.output("worker\($0)").contains("finished by this worker") }
        #expect(finishers.count == 1, "\((1...3).map { setup.output("worker\($0)") })")
        #expect(try setup.scalar("SELECT count(DISTINCT worker) FROM run_queue") != "1")
        #expect(try setup.scalar("SELECT count(*) FROM runs") == "1")
        #expect(try setup.scalar("SELECT count(*) FROM files") == "12")
        #expect(try setup.scalar("SELECT count(*) FROM run_queue WHERE state <> 'done'") == "0")
        // What the comparison rests on: memory across files was exercised.
        let history = try setup.scalar("SELECT sum(new_versions) || ' ' || sum(unchanged) || ' ' || sum(corrected) FROM files")
        #expect(history?.split(separator: " ").allSatisfy { $0 != "0" } == true, "\(history ?? "")")
        let dump = try setup.postgresDump()
        #expect(dump == expected, "\(firstDifference(dump, expected))")
        // The last worker wrote the run's report: the same figures, findings and feedback files
        // as the SQLite run's, to the byte but for the run's times.
        let finisher = setup.output("worker\(finishers.first ?? 1)")
        #expect(finisher.contains("report:  \(setup.directory.file("var/postgres-reports/run-000001/index.html"))"))
        for file in try setup.reportFiles("sqlite") {
            let sqlite = try setup.reportText("sqlite", file), postgres = try setup.reportText("postgres", file)
            #expect(postgres == sqlite, "\(file): \(firstDifference(postgres, sqlite))")
        }
        #expect(try setup.reportFiles("postgres") == setup.reportFiles("sqlite"))
        #expect(try setup.reportFiles("sqlite").contains { $0.hasPrefix("feedback/") })
        // Idempotent: a worker started after the run finished starts another run, which finds
        // every file in the ledger and changes nothing.
        let again = try setup.startWorker("again")
        again.waitUntilExit()
        #expect(again.terminationStatus == 0, "\(setup.output("again"))")
        #expect(try setup.scalar("SELECT count(*) FROM run_files WHERE run_id = 2 AND outcome = 'duplicate'") == "12")
        #expect(try setup.postgresDump() == expected)
    }

    /// A worker killed while it writes a file leaves nothing of it; the file goes to another
    /// worker, and the archive is still the one a single clean process leaves.
    @Test func aWorkerKilledMidFileAndStartedAgainLeavesTheSameArchive() throws {
        let setup = try Setup()
        defer { setup.remove() }
        try setup.dropInbox()
        let expected = try setup.sqliteDump()
        var workers = try (1...3).map { try setup.startWorker("worker\($0)") }
        defer { for worker in workers where worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        // The worker writing a large file: its connection holds a row lock on an item table.
        var victim: Process?
        let deadline = Date().addingTimeInterval(60)
        while victim == nil, Date() < deadline {
            if try setup.scalar("SELECT to_regclass('run_queue')::text") == nil {
                Thread.sleep(forTimeInterval: 0.02)
            } else if let name = try setup.scalar("""
                SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.relation::regclass::text IN ('item_admin_penalty', 'item_admin_license')
                  AND l.mode = 'RowExclusiveLock' AND a.application_name LIKE 'credit-etl %'
                  AND EXISTS (SELECT 1 FROM run_queue WHERE state = 'done')
                LIMIT 1
                """), let pid = name.split(separator: ":").last.flatMap({ Int32($0) }) {
                victim = workers.first { $0.processIdentifier == pid }
            } else {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        // Seen holding the lock, the worker is inside a file's transaction: killed there.
        let killed = try #require(victim, "no worker was seen writing a file")
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(killed.terminationReason == .uncaughtSignal)
        workers.append(try setup.startWorker("worker4"))
        for worker in workers { worker.waitUntilExit() }
        #expect(try setup.scalar("SELECT count(*) FROM files") == "12")
        let runs = try setup.scalar("""
            SELECT string_agg(r.id || ':' || r.status || ':' || (SELECT count(*) FROM run_queue q WHERE q.run_id = r.id AND q.state <> 'done'), ' ' ORDER BY r.id)
            FROM runs r
            """)
        let logs = (1...4).map { (try? String(contentsOfFile: setup.directory.file("worker\($0).err"), encoding: .utf8)) ?? "" }
        // On a loaded machine the victim may have been the run's only worker yet (the others still
        // starting): the next one to arrive then marks that run interrupted and starts another
        // that adopts it. Either way every file of a run that did not end interrupted is done.
        #expect(try setup.scalar("""
            SELECT count(*) FROM run_queue q JOIN runs r ON r.id = q.run_id WHERE q.state <> 'done' AND r.status <> 'interrupted'
            """) == "0", "\(runs ?? "")\n\(logs)")
        #expect(try setup.scalar("SELECT count(*) FROM runs WHERE status = 'interrupted' AND reported_in IS NULL") == "0",
                "\(runs ?? "")")
        #expect(try setup.scalar("SELECT count(*) FROM runs WHERE status = 'running'") == "0")
        let dump = try setup.postgresDump()
        #expect(dump == expected, "\(firstDifference(dump, expected))")
    }

    /// Memory across runs: three nights of one department's export (corrections of night 1's
    /// rejections, a withdrawal, a new version, then the 2016 layout of the same records) leave
    /// the same archive on both backends after every night.
    /// A department's full table re-sent over three nights, with repeats, changes and corrections
    /// (``FullResendTests/nights()``): byte-identical re-sends are skipped on PostgreSQL as on
    /// SQLite, and each night leaves the same archive, the keys' last carrying file and the
    /// subjects of every file included.
    @Test func fullResendsOnBothBackendsLeaveTheSameArchiveEachNight() throws {
        let setup = try Setup()
        defer { setup.remove() }
        for (night, file) in FullResendTests.nights().enumerated() {
            _ = try setup.directory.write("inbox/" + file.name, file.text)
            let expected = try setup.sqliteDump()
            let worker = try setup.startWorker("night\(night + 1)")
            worker.waitUntilExit()
            #expect(worker.terminationStatus == 0, "\(setup.output("night\(night + 1)"))")
            #expect(try setup.postgresDump() == expected, "night \(night + 1)")
        }
        // Night 3 was checked for three records only (FullResendTests says which).
        #expect(try setup.scalar("""
            SELECT COUNT(*) FROM subject_codes s JOIN files f ON f.id = s.file_id WHERE f.path LIKE '%20261105.csv'
            """) == "3")
    }

    @Test func threeNightsOnBothBackendsLeaveTheSameArchiveEachNight() throws {
        let setup = try Setup()
        defer { setup.remove() }
        var generator = CodeGenerator(seed: 42)
        let codes = (0..<7).map { _ in generator.uscc() }
        var rows = (0..<6).map { index in
            PenaltyExport.Row(name: "宁波测试\(index + 1)有限公司", code: codes[index], number: "甬市监罚〔2026〕20\(index + 1)号")
        }
        rows[3].code = String(codes[3].dropLast()) + (codes[3].last == "0" ? "1" : "0")
        rows[4].content = ""
        var nights: [(String, String)] = [("admin_penalty_20261103.csv", PenaltyExport.csv(rows))]
        rows[3].code = codes[3]
        rows[4].content = "警告"
        rows[5].status = "撤销"
        rows.append(PenaltyExport.Row(name: "宁波测试7有限公司", code: codes[6], number: "甬市监罚〔2026〕207号"))
        nights.append(("admin_penalty_20261104.csv", PenaltyExport.csv(rows)))
        nights.append(("admin_penalty_20261105.csv", PenaltyExport.csv(rows, legacy: true)))
        for (night, (name, text)) in nights.enumerated() {
            _ = try setup.directory.write("inbox/nb-scjg/\(name)", text)
            let expected = try setup.sqliteDump()
            let worker = try setup.startWorker("night\(night + 1)")
            worker.waitUntilExit()
            #expect(worker.terminationStatus == 0, "\(setup.output("night\(night + 1)"))")
            #expect(try setup.postgresDump() == expected, "night \(night + 1)")
        }
        let history = try setup.scalar("""
            SELECT string_agg(new_records || ' ' || new_versions || ' ' || unchanged || ' ' || withdrawn || ' ' || corrected,
                              ', ' ORDER BY path) FROM files
            """)
        #expect(history == "4 0 0 0 0, 3 1 3 1 2, 0 0 7 0 0")
        // subject, trace and a period's report read both backends alike.
        let month = String(Timestamp.string(Date()).prefix(7))
        for arguments in [["subject", codes[5], "--history", "--json"], ["subject", codes[3], "--json"],
                          ["trace", "admin_penalty", "甬市监罚〔2026〕205号", codes[4], "2026-11-02", "--json"],
                          ["trace", "--file", "nb-scjg/admin_penalty_20261103.csv", "--line", "5", "--json"],
                          ["report", "--period", month]] {
            let sqlite = try CLI.run(arguments + ["--pipeline", setup.sqlitePipeline])
            let postgres = try CLI.run(arguments + ["--pipeline", setup.postgresPipeline])
            #expect(sqlite.status == 0 || sqlite.status == 3, "\(arguments): \(sqlite.stderr)")
            #expect(postgres.status == sqlite.status, "\(arguments): \(postgres.stderr)")
            #expect(postgres.stdout.replacingOccurrences(of: "postgres-reports", with: "sqlite-reports") == sqlite.stdout,
                    "\(arguments)")
        }
        #expect(try CLI.run(["subject", codes[5], "--json", "--pipeline", setup.postgresPipeline]).stdout.contains(codes[5]))
        let period = "period-\(month)"
        for file in ["report.json", "figures.csv", "findings.csv"] {
            let postgres = try setup.reportText("postgres", file, folder: period)
            let sqlite = try setup.reportText("sqlite", file, folder: period)
            #expect(postgres == sqlite, "\(file): \(firstDifference(postgres, sqlite))")
        }
    }

    /// The first line where two dumps differ, for the failure message.
    func firstDifference(_ left: String, _ right: String) -> String {
        let a = left.split(separator: "\n"), b = right.split(separator: "\n")
        for (x, y) in zip(a, b) where x != y { return "postgres: \(x)\nsqlite:   \(y)" }
        return "line counts \(a.count) and \(b.count)"
    }

    /// A worker waiting on the server when SIGTERM comes (here on a lock another session holds,
    /// as it waited 13 minutes on a report query) cancels the statement and stops within seconds,
    /// exit 143, the run's completion rolled back. It was the run's only worker, so it ends the run
    /// as a single process would: interrupted, and the next worker's run adopts and reports it.
    @Test func aWorkerWaitingOnTheServerIsStoppedBySIGTERMWithinSeconds() throws {
        let setup = try Setup()
        defer { setup.remove() }
        try FileManager.default.createDirectory(atPath: setup.inbox + "/nb-scjg", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"),
                                         toPath: setup.inbox + "/nb-scjg/admin_penalty_20261120.csv")
        let first = try setup.startWorker("first")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0, "\(setup.output("first"))")
        let resent = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"), encoding: .utf8)
            .replacingOccurrences(of: "宁波", with: "象山")
        try resent.write(toFile: setup.inbox + "/nb-scjg/admin_penalty_20261121.csv", atomically: true, encoding: .utf8)
        // Another session holds report_flags: the worker's completion of run 2 waits on it.
        let holder = try PostgresConnection(setup.cluster.conninfo)
        try holder.execute("BEGIN")
        try holder.execute("LOCK TABLE report_flags IN ACCESS EXCLUSIVE MODE")
        let worker = try setup.startWorker("stopped")
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(60)
        var waiting = false
        while !waiting, Date() < deadline, worker.isRunning {
            waiting = try setup.scalar("""
                SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'credit-etl %' AND wait_event_type = 'Lock'
                """) == "1"
            if !waiting { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(waiting, "the worker never waited on the lock: \(setup.output("stopped"))")
        let signalled = Date()
        kill(worker.processIdentifier, SIGTERM)
        // Bounded: a worker deaf to the signal is killed after 30 s, and the test fails instead of hanging.
        while worker.isRunning, Date().timeIntervalSince(signalled) < 30 { Thread.sleep(forTimeInterval: 0.05) }
        if worker.isRunning { kill(worker.processIdentifier, SIGKILL) }
        worker.waitUntilExit()
        let seconds = Date().timeIntervalSince(signalled)
        let stopped = setup.output("stopped")
        let stoppedErr = (try? String(contentsOfFile: setup.directory.file("stopped.err"), encoding: .utf8)) ?? ""
        #expect(worker.terminationStatus == 143, "exit \(worker.terminationStatus): \(stopped)\n\(stoppedErr)")
        #expect(seconds < 10, "it took \(seconds) s to stop")
        try holder.execute("ROLLBACK")
        #expect(try setup.scalar("SELECT status FROM runs WHERE id = 2") == "interrupted")
        #expect(try setup.scalar("SELECT count(*) FROM run_figures WHERE run_id = 2") == "0")

        let next = try setup.startWorker("next")
        next.waitUntilExit()
        #expect(next.terminationStatus == 0, "\(setup.output("next"))")
        #expect(try setup.scalar("SELECT string_agg(id || ':' || status || ':' || COALESCE(reported_in::text, '-'), ' ' ORDER BY id) FROM runs")
            == "1:completed:- 2:interrupted:3 3:completed:-")
        // Run 3 found both files in the ledger; its report counts the file run 2 archived.
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            setup.directory.file("var/postgres-reports/run-000003/report.json")))) as? [String: Any])
        let records = try setup.scalar("SELECT records FROM files WHERE run_id = 2").flatMap { Int($0) }
        #expect(records != nil && (report["totals"] as? [String: Any])?["records"] as? Int == records)
    }

    /// Waits until `sql` answers "t", or a minute passes; false then.
    func waitFor(_ setup: Setup, _ sql: String) throws -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if try setup.scalar("SELECT to_regclass('run_queue') IS NOT NULL") == "t", try setup.scalar(sql) == "t" { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// A run's report figures that must not depend on how it was reached: totals and slices.
    func reportFigures(_ setup: Setup, _ backend: String, _ folder: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: setup.directory.file("var/\(backend)-reports/\(folder)/report.json")))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try ["totals", "slices"].map { key in
            String(decoding: try JSONSerialization.data(withJSONObject: report[key] ?? NSNull(),
                                                        options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
        }
    }

    /// The only worker of a run, stopped mid-file, leaves the run as a single process does. By
    /// SIGTERM: the file it was reading rolled back, the files before it kept, the run interrupted
    /// with a report of what it archived, exit 143. By SIGKILL: the run left `running` with no
    /// worker, which the next worker marks interrupted. Either way the next worker starts a run
    /// that adopts it, and the archive, the run's figures and its report's figures are a clean run's.
    @Test(arguments: [SIGTERM, SIGKILL])
    func aLoneWorkerStoppedMidFileLeavesItsRunAsASingleProcessDoes(signal: Int32) throws {
        let setup = try Setup()
        defer { setup.remove() }
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let files = try ArchiveDurabilityTests.twoFiles(in: scratch, secondRecords: 40_000)
        _ = try setup.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", files.first)
        _ = try setup.directory.write("inbox/nb-scjg/admin_penalty_20261121.csv", files.second)
        let expected = try setup.sqliteDump()
        let worker = try setup.startWorker("stopped")
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        #expect(try waitFor(setup, "SELECT EXISTS (SELECT 1 FROM run_queue WHERE state = 'done')"), "\(setup.output("stopped"))")
        kill(worker.processIdentifier, signal)
        worker.waitUntilExit()
        let stderr = (try? String(contentsOfFile: setup.directory.file("stopped.err"), encoding: .utf8)) ?? ""
        #expect(try setup.scalar("SELECT count(*) FROM files") == "1")
        #expect(try setup.scalar("SELECT count(*) FROM run_figures") == "0")
        #expect(try setup.scalar("SELECT count(*) FROM report_flags") == "0")
        let firstReport = setup.directory.file("var/postgres-reports/run-000001/report.json")
        if signal == SIGTERM {
            #expect(worker.terminationStatus == 143, "\(setup.output("stopped"))\n\(stderr)")
            #expect(stderr.contains("run 1 interrupted by signal 15"), "\(stderr)")
            #expect(try setup.scalar("SELECT status FROM runs WHERE id = 1") == "interrupted")
            #expect(FileManager.default.fileExists(atPath: firstReport))
        } else {
            #expect(worker.terminationReason == .uncaughtSignal)
            #expect(try setup.scalar("SELECT status FROM runs WHERE id = 1") == "running")
            #expect(!FileManager.default.fileExists(atPath: firstReport))
        }

        let next = try setup.startWorker("next")
        next.waitUntilExit()
        #expect(next.terminationStatus == 0, "\(setup.output("next"))")
        let nextErr = (try? String(contentsOfFile: setup.directory.file("next.err"), encoding: .utf8)) ?? ""
        #expect(nextErr.contains("earlier runs ended without finishing; marked interrupted") == (signal == SIGKILL), "\(nextErr)")
        #expect(try setup.scalar("SELECT string_agg(id || ':' || status || ':' || COALESCE(reported_in::text, '-'), ' ' ORDER BY id) FROM runs")
            == "1:interrupted:2 2:completed:-")
        let dump = try setup.postgresDump()
        #expect(dump == expected, "\(firstDifference(dump, expected))")
        let sqlite = try CLIQuery.sqlite(setup.directory.file("var/archive.sqlite"), """
            SELECT records, compliant, timely, late, distinct_codes, dup_error_codes, (SELECT count(*) FROM report_flags) FROM run_figures
            """).1.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try setup.scalar("""
            SELECT concat_ws('|', records, compliant, timely, late, distinct_codes, dup_error_codes, (SELECT count(*) FROM report_flags))
            FROM run_figures
            """) == sqlite)
        #expect(try reportFigures(setup, "postgres", "run-000002") == reportFigures(setup, "sqlite", "run-000001"))
    }

    /// A worker whose archive fails (here the server refuses the second file's ledger row) rolls
    /// that file back and, as the run's only worker, marks the run failed and exits 74, as a single
    /// process does; the next run adopts the failed one, and the archive and figures are a clean run's.
    @Test func aLoneWorkerWhoseArchiveFailsMarksTheRunFailedAndTheNextRunAdoptsIt() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let files = try ArchiveDurabilityTests.twoFiles(in: scratch)
        _ = try setup.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", files.first)
        _ = try setup.directory.write("inbox/nb-scjg/admin_penalty_20261121.csv", files.second)
        let expected = try setup.sqliteDump()
        // The schema first (opening the archive migrates it), then the refusal.
        _ = try PostgresArchive(setup.cluster.conninfo)
        try PostgresConnection(setup.cluster.conninfo).execute("""
            ALTER TABLE files ADD CONSTRAINT refuse_second CHECK (path NOT LIKE '%20261121%') NOT VALID
            """)
        let failing = try setup.startWorker("failing")
        failing.waitUntilExit()
        let stderr = (try? String(contentsOfFile: setup.directory.file("failing.err"), encoding: .utf8)) ?? ""
        #expect(failing.terminationStatus == 74, "\(stderr)")
        #expect(stderr.contains("refuse_second"), "\(stderr)")
        #expect(try setup.scalar("SELECT string_agg(status, ' ') FROM runs") == "failed")
        #expect(try setup.scalar("SELECT string_agg(path, ' ') FROM files") == "nb-scjg/admin_penalty_20261120.csv")

        try PostgresConnection(setup.cluster.conninfo).execute("ALTER TABLE files DROP CONSTRAINT refuse_second")
        let next = try setup.startWorker("next")
        next.waitUntilExit()
        #expect(next.terminationStatus == 0, "\(setup.output("next"))")
        #expect(try setup.scalar("SELECT string_agg(status || ':' || COALESCE(reported_in::text, '-'), ' ' ORDER BY id) FROM runs")
            == "failed:\(try setup.scalar("SELECT max(id) FROM runs") ?? "") completed:-")
        let dump = try setup.postgresDump()
        #expect(dump == expected, "\(firstDifference(dump, expected))")
        let sqlite = try CLIQuery.sqlite(setup.directory.file("var/archive.sqlite"), """
            SELECT records, compliant, timely, late, distinct_codes, dup_error_codes FROM run_figures
            """).1.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try setup.scalar("SELECT concat_ws('|', records, compliant, timely, late, distinct_codes, dup_error_codes) FROM run_figures")
            == sqlite)
    }

    /// A worker stopped by SIGTERM while another works on the run gives its file back and leaves
    /// the run to it (exit 143, saying so); the other finishes and reports the run, and the archive
    /// is a single clean process's.
    @Test func aWorkerStoppedBySIGTERMWhileAnotherWorksLeavesTheRunToIt() throws {
        let setup = try Setup()
        defer { setup.remove() }
        try setup.dropInbox()
        let expected = try setup.sqliteDump()
        let stopped = try setup.startWorker("stopped")
        let other = try setup.startWorker("other")
        defer { for worker in [stopped, other] where worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        // Both have joined the run (each holds its workers lock), and files are being archived.
        #expect(try waitFor(setup, """
            SELECT (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND mode = 'ShareLock') = 2
               AND EXISTS (SELECT 1 FROM run_queue WHERE state = 'done')
            """))
        kill(stopped.processIdentifier, SIGTERM)
        stopped.waitUntilExit()
        other.waitUntilExit()
        let stderr = (try? String(contentsOfFile: setup.directory.file("stopped.err"), encoding: .utf8)) ?? ""
        #expect(stopped.terminationStatus == 143, "\(stderr)")
        #expect(stderr.contains("run 1 goes on with its other workers"), "\(stderr)")
        #expect(other.terminationStatus == 0, "\(setup.output("other"))")
        #expect(setup.output("other").contains("finished by this worker"), "\(setup.output("other"))")
        #expect(try setup.scalar("SELECT string_agg(id || ':' || status, ' ') FROM runs") == "1:completed")
        let dump = try setup.postgresDump()
        #expect(dump == expected, "\(firstDifference(dump, expected))")
        #expect(try reportFigures(setup, "postgres", "run-000001") == reportFigures(setup, "sqlite", "run-000001"))
    }
}

/// `archive:` as a PostgreSQL URL: a password in the pipeline file is refused with the key's
/// place and what to do, and `--worker` on an SQLite archive says why it cannot be.
struct PostgresArchiveConfigurationTests {
    @Test func aPasswordInThePipelineFileIsRefusedWithWhereAndWhatToDo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (archive, problem) in [
            ("postgresql://credit:s3cret@db.example:5432/credit", "carries a password"),
            ("postgresql://credit@db.example:5432/credit?password=s3cret", "carries a password"),
            ("postgres://credit@db.example:5432", "names no database"),
        ] {
            let pipeline = try directory.write("p.yaml", "catalog: c\ninbox: i\narchive: \(archive)\nreports: r\n")
            let run = try CLI.run(["run", pipeline])
            #expect(run.status == 78)
            #expect(run.stderr.contains("\(pipeline):3:10: archive: "), "\(run.stderr)")
            #expect(run.stderr.contains(problem), "\(run.stderr)")
            #expect(!run.stderr.contains("s3cret"), "the password is never repeated: \(run.stderr)")
        }
    }

    /// A query command on a server that does not answer fails as the archive (74) and says what
    /// to check; a worker does too, before touching anything.
    @Test func aServerThatDoesNotAnswerIsAnArchiveErrorSayingWhatToCheck() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("i"), withIntermediateDirectories: true)
        let pipeline = try directory.write("p.yaml", "catalog: \(Repository.path("catalogs"))\ninbox: i\n"
            + "archive: postgresql://credit@127.0.0.1:1/credit\nreports: r\n")
        for arguments in [["subject", "91330200MA2EL6266C", "--pipeline", pipeline], ["report", "--period", "2026-11",
                          "--pipeline", pipeline], ["run", "--worker", pipeline]] {
            let run = try CLI.run(arguments)
            #expect(run.status == 74, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("cannot connect to the PostgreSQL archive; check that the server runs"),
                    "\(run.stderr)")
        }
    }

    @Test func aWorkerNeedsAPostgreSQLArchive() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let run = try CLI.run(["run", "--worker", workspace.pipeline])
        #expect(run.status == 78)
        #expect(run.stderr.contains("`run --worker` needs a PostgreSQL archive"), "\(run.stderr)")
    }
}
