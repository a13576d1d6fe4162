import CreditCore
import CreditPipeline
import Foundation
import Testing
import TestSupport

/// What the nightly job's exit code and the report say about the quality targets.
@Suite struct QualityTargetsRunTests {
    /// A pipeline over every sample dump, with `extra` lines appended to the pipeline file.
    func samplesWorkspace(_ extra: String = "") throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: Repository.path("samples"), toPath: directory.file("inbox"))
        let pipeline = try directory.write("pipeline.yaml", """
            name: nightly
            catalog: \(Repository.path("catalogs"))
            inbox: inbox
            archive: var/archive.sqlite
            reports: var/reports
            settle_seconds: 0

            """ + extra)
        return (directory, pipeline)
    }

    func report(_ directory: TemporaryDirectory) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.file("var/reports/latest/report.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theSamplesMissThePlansTargetsAndTheJobExitsThree() throws {
        let (directory, pipeline) = try samplesWorkspace()
        defer { directory.remove() }
        let run = try CLI.run(["run", pipeline])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stdout.contains("target missed: compliance rate 60.00% (48/80), target ≥ 98%"), "\(run.stdout)")
        #expect(run.stdout.contains("target missed: compliance rate of admin_license 60.00% (12/20), target ≥ 99%"))
        #expect(run.stderr.contains("missed 9 target(s)"), "\(run.stderr)")
        let report = try report(directory)
        #expect(report["targets_met"] as? Bool == false)
        let checks = try #require(report["target_checks"] as? [[String: Any]])
        let overall = try #require(checks.first { $0["figure"] as? String == "compliance_rate" && $0["item"] == nil })
        #expect(overall["target"] as? String == "98%")
        #expect(overall["met"] as? Bool == false)
        #expect((overall["value"] as? [String: Int]) == ["numerator": 48, "denominator": 80])
        let codes = try #require(checks.first { $0["figure"] as? String == "dup_error_code_rate" })
        #expect(codes["comparison"] as? String == "below")
        #expect(codes["target"] as? String == "0.01%")
        // A second run finds nothing new: no figure to miss, the job succeeds.
        #expect(try CLI.run(["run", pipeline]).status == 0)
    }

    @Test func failOnDecidesWhatFailsTheJob() throws {
        let (directory, pipeline) = try samplesWorkspace("fail_on: []\n")
        defer { directory.remove() }
        try Data("名称,代码\n\"unterminated\n".utf8).write(to: URL(fileURLWithPath: directory.file("inbox/nb-zjj/admin_license_20261123.csv")))
        let run = try CLI.run(["run", pipeline])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try report(directory)["targets_met"] as? Bool == false, "the report still says so")

        let (strict, strictPipeline) = try samplesWorkspace("fail_on: [unreadable_files, missed_targets]\n")
        defer { strict.remove() }
        try Data("名称,代码\n\"unterminated\n".utf8).write(to: URL(fileURLWithPath: strict.file("inbox/nb-zjj/admin_license_20261123.csv")))
        #expect(try CLI.run(["run", strictPipeline]).status == 2, "an unreadable file comes before a missed target")

        let (targetsOnly, targetsPipeline) = try samplesWorkspace("fail_on: missed_targets\n")
        defer { targetsOnly.remove() }
        try Data("名称,代码\n\"unterminated\n".utf8).write(to: URL(fileURLWithPath: targetsOnly.file("inbox/nb-zjj/admin_license_20261123.csv")))
        #expect(try CLI.run(["run", targetsPipeline]).status == 3)
    }

    @Test func targetsSetInThePipelineFileAreTheOnesHeldAgainst() throws {
        let lenient = """
            targets:
              compliance_rate: 50%
              compliance_rate_by_item: {admin_license: 60%}
              timeliness_rate: 57%
              dup_error_code_rate: 26.5%
              publication_timeliness_rate: 80%
            """
        let (directory, pipeline) = try samplesWorkspace(lenient)
        defer { directory.remove() }
        // Every figure reaches the file's targets but 行政处罚, which keeps the plan's 98%.
        let run = try CLI.run(["run", pipeline])
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        var report = try report(directory)
        let targets = try #require(report["targets"] as? [String: Any])
        #expect(targets["compliance_rate"] as? String == "50%")
        #expect(targets["publication_timeliness_rate"] as? String == "80%", "held in period and run reports")
        #expect((targets["compliance_rate_by_item"] as? [String: String]) == ["admin_license": "60%", "admin_penalty": "98%"])
        var checks = try #require(report["target_checks"] as? [[String: Any]])
        let missed = checks.filter { $0["met"] as? Bool == false }.map { "\($0["figure"]!):\($0["item"] ?? "all")" }
        #expect(missed == ["compliance_rate:admin_penalty"])
        #expect(checks.count == 9, "overall, six items, timeliness, codes")

        let (relaxed, relaxedPipeline) = try samplesWorkspace(lenient.replacingOccurrences(
            of: "{admin_license: 60%}", with: "{admin_license: 60%, admin_penalty: 52.94%}"))
        defer { relaxed.remove() }
        #expect(try CLI.run(["run", relaxedPipeline]).status == 0)
        report = try self.report(relaxed)
        #expect(report["targets_met"] as? Bool == true)
        checks = try #require(report["target_checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { $0["met"] as? Bool == true })
    }

    @Test func aWrongTargetIsAConfigurationErrorNamingFileLineAndKey() throws {
        let (directory, pipeline) = try samplesWorkspace("""
            targets:
              compliance_rate: 98
              compliance_rate_by_item: {admin_licence: 99%}
            fail_on: [everything]
            """)
        defer { directory.remove() }
        let check = try CLI.run(["check-pipeline", pipeline])
        #expect(check.status == 78)
        #expect(check.stderr.contains("\(pipeline):8:20: targets.compliance_rate: '98' is not a percentage"), "\(check.stderr)")
        #expect(check.stderr.contains("fail_on: unknown outcome 'everything'"), "\(check.stderr)")
        let run = try CLI.run(["run", pipeline])
        #expect(run.status == 78)
        #expect(!FileManager.default.fileExists(atPath: directory.file("var/archive.sqlite")))

        let (typo, typoPipeline) = try samplesWorkspace("targets:\n  compliance_rate_by_item: {admin_licence: 99%}\n")
        defer { typo.remove() }
        let typoRun = try CLI.run(["run", typoPipeline])
        #expect(typoRun.status == 78)
        #expect(typoRun.stderr.contains("targets.compliance_rate_by_item.admin_licence: no item 'admin_licence' in the catalog"),
                "\(typoRun.stderr)")
        #expect(try CLI.run(["check-pipeline", typoPipeline]).status == 78)
    }
}

/// One exit policy for a single run and for a worker (one summary answers through it):
/// unreadable files (2) before missed targets (3), each only when `fail_on` lets it fail the job.
@Suite struct ExitPolicyTests {
    @Test(arguments: [
        (false, false, Set(PipelineConfiguration.JobFailure.allCases), Int32(0)),
        (true, true, Set(PipelineConfiguration.JobFailure.allCases), 2),
        (false, true, Set(PipelineConfiguration.JobFailure.allCases), 3),
        (true, true, Set([PipelineConfiguration.JobFailure.missedTargets]), 3),
        (true, false, Set([PipelineConfiguration.JobFailure.missedTargets]), 0),
        (true, true, Set<PipelineConfiguration.JobFailure>(), 0),
    ])
    func singleRunsAndWorkersShareOneExitPolicy(unreadable: Bool, missed: Bool, failOn: Set<PipelineConfiguration.JobFailure>,
                                                expected: Int32) {
        #expect(RunSummary.exitCode(unreadableFiles: unreadable, missedTargets: missed, failOn: failOn) == expected)
    }
}
