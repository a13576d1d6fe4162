import CreditAdapters
import CreditCore
import Foundation
import Testing
import TestSupport

/// Inputs the fuzzer (scripts/fuzz.sh) found crashing an adapter, kept so the fix stays fixed:
/// each must now be read to the end or refused with an AdapterError.
@Suite struct FuzzRegressionTests {
    static let folder = Repository.path("Tests/CreditAdaptersTests/FuzzRegressions")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test(arguments: inputs)
    func readsOrRefusesWithoutCrashing(name: String) throws {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: "\(Self.folder)/\(name)")))
        let file = SourceFile(path: name)
        var batch = RecordBatch()
        do throws(AdapterError) {
            switch (name as NSString).pathExtension {
            case "json", "jsonl":
                var source = JSONSource(bytes: MemoryByteSource(bytes: bytes, chunk: 7), file: file, builder: KeyedRows.builder(),
                                        configuration: JSONConfiguration(recordPath: name.hasSuffix(".json") ? ["data", "list"] : [],
                                                                         batchSize: 3, readSize: 16))
                while try source.next(into: &batch) {}
            case "xml":
                let source = try XMLSource(bytes: MemoryByteSource(bytes: bytes, chunk: 7), file: file,
                                           builder: KeyedRows.builder(),
                                           configuration: XMLConfiguration(recordPath: ["DATA", "ROW"], batchSize: 3))
                while try source.next(into: &batch) {}
            default:
                var source = try CSVSource(bytes: MemoryByteSource(bytes: bytes, chunk: 7), file: file,
                                           configuration: CSVConfiguration(batchSize: 3, readSize: 16))
                _ = try source.header()
                while try source.next(into: &batch) {}
            }
        } catch {
            #expect(error.isMalformedInput, "\(error)")
        }
    }
}
