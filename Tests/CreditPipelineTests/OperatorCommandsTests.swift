import Foundation
import Testing
import TestSupport

/// The commands an operator reaches for before trusting a night to the job.
@Suite struct OperatorCommandsTests {
    @Test func checkPipelineListsEveryMistakeAtOnceWithItsPlace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pipeline = try directory.write("p.yaml", """
            name: nightly
            catalog: \(Repository.path("catalogs"))
            inbox: no-such-inbox
            archive: var/archive.sqlite
            reports: var/reports
            settle_seconds: -1
            """)
        let run = try CLI.run(["check-pipeline", pipeline])
        #expect(run.status == 78)
        // Both mistakes at once: a key's value and a path.
        #expect(run.stderr.contains("\(pipeline):6:17: settle_seconds: must be from 0 to 600 seconds"), "\(run.stderr)")
        #expect(run.stderr.contains("\(pipeline):3:8: inbox: \(directory.file("no-such-inbox")): no such folder"),
                "\(run.stderr)")
        #expect(run.stderr.contains("2 problems"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("var")), "checking creates nothing")
        try directory.write("p.yaml", """
            name: nightly
            catalog: \(Repository.path("catalogs"))
            inbox: no-such-inbox
            archive: var/archive.sqlite
            reports: var/reports
            """)
        try FileManager.default.createDirectory(atPath: directory.file("no-such-inbox"), withIntermediateDirectories: true)
        let ready = try CLI.run(["check-pipeline", pipeline])
        #expect(ready.status == 0, "\(ready.stderr)")
        #expect(ready.stdout.contains("\(pipeline): ready"))
    }

    @Test func doctorReportsTheCalendarsYearsTheArchiveAndUnfinishedRuns() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"))
        #expect(try CLI.run(["run", workspace.pipeline]).status == 0)

        let november = try CLI.run(["doctor", workspace.pipeline, "--date", "2026-11-02"])
        #expect(november.status == 0, "\(november.stdout)")
        #expect(november.stdout.contains("ok       working-day calendar  covers 2004–2026"), "\(november.stdout)")
        #expect(november.stdout.contains("archive integrity"))
        #expect(november.stdout.contains("ok       run lock              free"))
        // From mid-December deadlines fall in a year the shipped calendar lacks: say so, and how.
        let december = try CLI.run(["doctor", workspace.pipeline, "--date", "2026-12-20"])
        #expect(december.status == 0)
        #expect(december.stdout.contains("warning  working-day calendar  covers 2004–2026; decisions from mid-December"))
        #expect(december.stdout.contains("cn-official-calendar.csv"))
        let nextYear = try CLI.run(["doctor", workspace.pipeline, "--date", "2027-01-04"])
        #expect(nextYear.status == 1)
        #expect(nextYear.stdout.contains("problem  working-day calendar  covers 2004–2026, not this year (2027)"))

        // A run left `running` by a dead process shows up.
        #expect(try workspace.scalar("SELECT id || ':' || status FROM runs") == "1:completed")
        let marked = Process()
        marked.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        marked.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
            + "c.execute(\"UPDATE runs SET status = 'running'\"); c.commit()", workspace.archive]
        try marked.run()
        marked.waitUntilExit()
        let unfinished = try CLI.run(["doctor", workspace.pipeline, "--date", "2026-11-02"])
        #expect(unfinished.stdout.contains("warning  unfinished runs       run 1 running"), "\(unfinished.stdout)")
    }
}

/// Logs for machines: one JSON object a line, with the run and file as keys.
@Suite struct LogFormatTests {
    @Test func jsonLogsAreOneObjectALineWithTheirContext() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.drop("nb-scjg/admin_penalty_20261120.csv", from: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"))
        let run = try CLI.run(["run", workspace.pipeline, "--log-format", "json", "--log-level", "info"])
        #expect(run.status == 0)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
                                      "not a JSON object: \(line)")
            #expect(object["level"] != nil && object["message"] != nil && object["credit.run"] == "1")
        }
        #expect(lines.contains { $0.contains("\"credit.file\":\"nb-scjg/admin_penalty_20261120.csv\"") })
    }
}
