import Foundation
import Testing
import TestSupport

/// The demo over every sample dump: its report must show the figures `scripts/make-samples.py`
/// derived from the planted defects (rule counts, compliant records) and recomputed on its own
/// (timeliness on the official calendar, 错码 and 重码 both ways, names that differ from the registry) — per department × item and
/// in total, numerators and denominators alike.
@Suite struct SampleFiguresTests {
    @Test func theDemoReportShowsTheDocumentedFigures() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try FileManager.default.removeItem(atPath: workspace.directory.file("inbox"))
        try FileManager.default.copyItem(atPath: Repository.path("samples"), toPath: workspace.directory.file("inbox"))
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 0, "\(run.stderr)")

        let expected = try Self.json(Repository.path("Tests/CreditPipelineTests/Golden/samples-expected.json"))
        let report = try Self.json(workspace.directory.file("var/reports/latest/report.json"))
        let slices = try #require(report["slices"] as? [[String: Any]])
        let expectedSlices = try #require(expected["slices"] as? [[String: Any]])
        #expect(slices.count == expectedSlices.count)
        for want in expectedSlices {
            let name = "\(want["department"] ?? "")/\(want["item"] ?? "")"
            let slice = try #require(slices.first { $0["department"] as? String == want["department"] as? String
                && $0["item"] as? String == want["item"] as? String }, "no slice \(name)")
            let figures = try #require(slice["figures"] as? [String: Any])
            Self.compare(figures, want, name)
            var rules: [String: Int] = [:]
            for finding in figures["findings"] as? [[String: Any]] ?? [] {
                rules[finding["rule"] as? String ?? "", default: 0] += finding["count"] as? Int ?? 0
            }
            #expect(rules == (want["rules"] as? [String: Int] ?? [:]), "\(name) rule counts")
        }
        let totals = try #require(report["totals"] as? [String: Any])
        Self.compare(totals, try #require(expected["totals"] as? [String: Any]), "totals")
    }

    /// Counts match, and each rate carries exactly those numerators and denominators.
    static func compare(_ figures: [String: Any], _ want: [String: Any], _ name: String) {
        for key in ["records", "compliant", "timely", "late", "timeliness_unknown", "distinct_codes", "error_codes",
                    "duplicate_codes", "dup_error_codes"] {
            #expect(figures[key] as? Int == want[key] as? Int, "\(name): \(key)")
        }
        #expect(figures["registry_name_mismatches"] as? Int == want["registry_name_mismatches"] as? Int,
                "\(name): registry_name_mismatches")
        let rate = { (key: String) in (figures[key] as? [String: Any]).map { [$0["numerator"] as? Int, $0["denominator"] as? Int] } }
        let int = { (key: String) in want[key] as? Int }
        #expect(rate("compliance_rate") == [int("compliant"), int("records")], "\(name): compliance_rate")
        #expect(rate("timeliness_rate") == [int("timely"), (int("timely") ?? 0) + (int("late") ?? 0)], "\(name): timeliness_rate")
        #expect(rate("dup_error_code_rate") == [int("dup_error_codes"), int("distinct_codes")], "\(name): dup_error_code_rate")
    }

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
