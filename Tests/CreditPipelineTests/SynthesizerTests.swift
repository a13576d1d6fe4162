import CreditCatalog
import CreditCore
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
}
