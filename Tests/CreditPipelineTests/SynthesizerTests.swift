import CreditCatalog
import CreditCore
import CreditIdentifiers
import CreditPipeline
import CreditTools
import Foundation
import Testing
import TestSupport

/// Synthetic files round-trip through validation: every planted defect is found on its record
/// with its rule, and nothing else is found, for every item, format and encoding.
@Suite struct SynthesizerTests {
    static let catalog = Result { try Repository.catalog() }

    static let cases: [(String, SourceFormat, Bool)] = {
        let items = ["admin_penalty", "admin_license", "enterprise_registration", "court_dishonest", "serious_dishonest",
                     "abnormal_operation", "tax_a_grade", "credit_commitment"]
        return items.flatMap { item in
            [(item, SourceFormat.csv, false), (item, .xml, true), (item, .json, false), (item, .csv, true)]
        }
    }()

    @Test(arguments: cases)
    func plantedDefectsAndNothingElse(item id: String, format: SourceFormat, gb18030: Bool) throws {
        let catalog = try Self.catalog.get()
        let item = try #require(catalog.items[id])
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var synthesizer = Synthesizer(item: item, submitted: CivilDate(year: 2026, month: 11, day: 20)!, defectRate: 0.2,
                                      seed: 42)
        let (path, truth) = try synthesizer.write(count: 400, format: format, gb18030: gb18030, to: directory.path)
        #expect(truth.count > 40)
        let feed = Feed(id: "t", department: "-", item: id, format: format, encoding: gb18030 ? "gb18030" : "auto",
                        files: "*", recordPath: format == .xml ? "/DATA/ROW" : nil)
        let check = try FileCheck.run(path: path, displayPath: "synth", feed: feed, item: item, catalog: catalog,
                                      today: CivilDate(year: 2026, month: 11, day: 22)!)
        let found = Set(check.findings.map { "\($0.record ?? 0) \($0.finding.rule)" })
        let planted = Set(truth.map { "\($0.record) \($0.defect.rule)" })
        #expect(found.subtracting(planted).sorted() == [], "false findings")
        #expect(planted.subtracting(found).sorted() == [], "missed defects")
        #expect(check.counts.records == 400)
        #expect(check.counts.rejected == truth.count)
    }

    @Test func theSameSeedWritesTheSameFile() throws {
        let item = try #require(try Self.catalog.get().items["admin_penalty"])
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var first = Synthesizer(item: item, submitted: CivilDate(year: 2026, month: 11, day: 20)!, defectRate: 0.1, seed: 9)
        var second = first
        let a = try first.write(count: 50, format: .json, gb18030: false, to: directory.file("a"))
        let b = try second.write(count: 50, format: .json, gb18030: false, to: directory.file("b"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: a.path)) == Data(contentsOf: URL(fileURLWithPath: b.path)))
        #expect(try String(contentsOfFile: directory.file("a/truth.csv"), encoding: .utf8).hasPrefix("record,line,field,defect,rule\n"))
    }

    /// Subject code and name of each record of a synthetic CSV file, in order.
    static func subjects(_ path: String, _ item: CatalogItem) throws -> [(code: String, name: String)] {
        let code = try #require(item.subject.flatMap { item.fieldIndex(id: $0.code) })
        let name = try #require(item.subject.flatMap { item.fieldIndex(id: $0.name) })
        // synth writes CRLF, which a Swift String holds as one Character: split on the text.
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\r\n").dropFirst()
        return lines.filter { !$0.isEmpty }.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (fields[code], fields[name])
        }
    }

    /// With a population, files of other seeds and items name the same subjects: a code has one
    /// name and a name one code across all of them, every code is valid, subjects repeat within a
    /// file and recur across files, and a registry lists each subject once. Validation still finds
    /// exactly the planted defects.
    @Test func aPopulationGivesEachSubjectOneCodeAndNameAcrossSeedsAndItems() throws {
        let catalog = try Self.catalog.get()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let population = SubjectPopulation(size: 300)
        var seen: [String: [(code: String, name: String)]] = [:]
        for (id, seed, count) in [("admin_penalty", UInt64(1), 400), ("admin_penalty", 2, 400), ("admin_license", 3, 400),
                                  ("enterprise_registration", 4, 300)] {
            let item = try #require(catalog.items[id])
            var synthesizer = Synthesizer(item: item, submitted: CivilDate(year: 2026, month: 11, day: 20)!, defectRate: 0,
                                          seed: seed, population: population)
            let (path, _) = try synthesizer.write(count: count, format: .csv, gb18030: false,
                                                  to: directory.file("\(id)-\(seed)"))
            seen["\(id)-\(seed)"] = try Self.subjects(path, item)
        }
        let all = seen.values.flatMap { $0 }
        #expect(Dictionary(grouping: all, by: \.code).values.allSatisfy { Set($0.map(\.name)).count == 1 }, "a code with two names")
        #expect(Dictionary(grouping: all, by: \.name).values.allSatisfy { Set($0.map(\.code)).count == 1 }, "a name with two codes")
        #expect(all.allSatisfy { USCC.check($0.code).status == .valid })
        let first = Set(seen["admin_penalty-1", default: []].map(\.code))
        let second = Set(seen["admin_penalty-2", default: []].map(\.code))
        #expect(first.count < 300 && first.count > 100, "repeat subjects within a night: \(first.count) of 400 records")
        #expect(!first.intersection(second).isEmpty && first != second, "subjects recur across nights")
        #expect(Set(seen["enterprise_registration-4", default: []].map(\.code)).count == 300, "a registry lists each subject once")
        #expect(Set(all.map(\.code)).isSubset(of: Set(seen["enterprise_registration-4", default: []].map(\.code))))

        // Still valid by construction: the planted defects and nothing else.
        let item = try #require(catalog.items["admin_penalty"])
        var synthesizer = Synthesizer(item: item, submitted: CivilDate(year: 2026, month: 11, day: 20)!, defectRate: 0.2,
                                      seed: 5, population: population)
        let (path, truth) = try synthesizer.write(count: 400, format: .csv, gb18030: false, to: directory.file("defects"))
        let feed = Feed(id: "t", department: "-", item: "admin_penalty", format: .csv, encoding: "auto", files: "*")
        let check = try FileCheck.run(path: path, displayPath: "synth", feed: feed, item: item, catalog: catalog,
                                      today: CivilDate(year: 2026, month: 11, day: 22)!)
        let found = Set(check.findings.map { "\($0.record ?? 0) \($0.finding.rule)" })
        #expect(found == Set(truth.map { "\($0.record) \($0.defect.rule)" }))
    }

    /// Two synthetic nights of one department: with a population the second night's subjects are
    /// the first's, so the 重错码率 is 0 (no defects planted); without one, every name of the
    /// second night is a 重码 against the first, which is what made multi-night benchmarks unreal.
    @Test(arguments: [(2000, false), (0, true)])
    func twoNightsOfAPopulationHaveNoDuplicateCodes(population: Int, duplicates: Bool) throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        for (seed, date) in [(1, "2026-11-20"), (2, "2026-11-21")] {
            let made = try CLI.run(["synth", "--item", "admin_penalty", "--records", "1000", "--seed", "\(seed)",
                                    "--defect-rate", "0", "--population", "\(population)", "--date", date,
                                    "--catalog", Repository.path("catalogs"), "--out", workspace.directory.file("inbox/nb-scjg")])
            #expect(made.status == 0, "\(made.stderr)")
            try FileManager.default.removeItem(atPath: workspace.directory.file("inbox/nb-scjg/truth.csv"))
            let run = try CLI.run(["run", workspace.pipeline])
            #expect(run.status == 0 || run.status == 3, "\(run.stderr)")
        }
        let figures = try workspace.scalar("SELECT group_concat(dup_error_codes, ' ') FROM (SELECT dup_error_codes FROM run_figures ORDER BY run_id)")
        let second = try #require(figures.split(separator: " ").last.flatMap { Int($0) })
        #expect(figures.hasPrefix("0 "), "\(figures)")
        #expect((second > 0) == duplicates, "\(figures)")
    }
}
