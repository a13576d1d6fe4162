// libFuzzer entry for the source adapters. Built only by scripts/fuzz.sh (CREDIT_ETL_FUZZ=1):
//
//     scripts/fuzz.sh csv 60      # fuzz the CSV adapter for 60 seconds
//
// Every input is read to the end through the adapter named by CREDIT_ETL_FUZZ_TARGET (csv, json,
// jsonl, xml, gb18030): malformed input must end in an AdapterError, never a crash or a hang.
// The corpus (Fuzz/corpus/<target>/) seeds CR-only and mixed line ends, bare quotes inside
// unquoted values and values longer than the CSV target's 64-byte limit.
import CreditAdapters
import CreditCore
import Foundation

/// Bytes of one fuzz input, handed out in small pieces to exercise chunk boundaries.
final class FuzzBytes: ByteSource {
    let data: UnsafeBufferPointer<UInt8>
    var position = 0
    init(_ data: UnsafeBufferPointer<UInt8>) { self.data = data }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(AdapterError) -> Int {
        let count = min(buffer.count, data.count - position, 7)
        guard count > 0, let base = data.baseAddress else { return 0 }
        buffer.copyMemory(from: UnsafeRawBufferPointer(start: base + position, count: count))
        position += count
        return count
    }
}

let target = ProcessInfo.processInfo.environment["CREDIT_ETL_FUZZ_TARGET"] ?? "csv"

func builder() -> KeyedRecordBuilder {
    KeyedRecordBuilder(columns: ["a", "b", "c"]) { ["a": 0, "b": 1, "c": 2][$0] }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = FuzzBytes(UnsafeBufferPointer(start: start, count: count))
    let file = SourceFile(path: "fuzz")
    var batch = RecordBatch()
    do {
        switch target {
        case "json", "jsonl":
            var source = JSONSource(bytes: bytes, file: file, builder: builder(),
                                    configuration: JSONConfiguration(recordPath: target == "json" ? ["data", "list"] : [],
                                                                     batchSize: 3, readSize: 16))
            while try source.next(into: &batch) {}
        case "xml":
            let source = try XMLSource(bytes: bytes, file: file, builder: builder(),
                                       configuration: XMLConfiguration(recordPath: ["DATA", "ROW"], batchSize: 3))
            while try source.next(into: &batch) {}
        case "gb18030":
            var source = try CSVSource(bytes: DecodingByteSource(bytes, encoding: .auto, file: "fuzz", chunkSize: 16),
                                       file: file, configuration: CSVConfiguration(batchSize: 3, readSize: 16))
            _ = try source.header()
            while try source.next(into: &batch) {}
        default:
            // A small value limit and batch bound, so inputs within -max_len reach both: long
            // fields (tests/CSV: every value held to the limit) and batches cut by their bytes.
            var configuration = CSVConfiguration(batchSize: 3, readSize: 16, maximumFieldBytes: 64)
            configuration.maximumBatchBytes = 128
            var source = try CSVSource(bytes: bytes, file: file, configuration: configuration)
            _ = try source.header()
            while try source.next(into: &batch) {}
        }
    } catch {
        // Refused with a message: what malformed input must do.
    }
    return 0
}

/// libFuzzer's driver, called from the executable's entry point: SwiftPM names an executable's
/// main `<module>_main`, so the entry is defined here rather than taken from libFuzzer.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("credit_etl_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { fuzz($0, $1) }
}
