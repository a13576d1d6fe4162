// credit-etl benchmarks: run with `make bench` (a release build); figures go to docs/performance.md.
import CreditAdapters
import CreditArchive
import CreditArchiveSQLite
import CreditCatalog
import CreditCore
import CreditIdentifiers
import CreditPipeline
import CreditTools
import CreditValidation
import Foundation

/// USCC validations per second on one core: 10 million generated codes (9 in 10 valid, the rest
/// each with one defect) laid out in one flat buffer, checked in a tight loop; best of 5 passes.
func benchmarkUSCC(count: Int) {
    var generator = CodeGenerator(seed: 1)
    let defects = IdentifierDefect.allCases.filter { $0.kind == .uscc && $0 != .usccEmpty && $0 != .usccLength }
    var buffer = [UInt8]()
    buffer.reserveCapacity(count * 18)
    for index in 0..<count {
        let code = index % 10 == 9 ? generator.code(with: defects[index / 10 % defects.count]) ?? "" : generator.uscc()
        var bytes = Array(code.utf8)
        bytes += [UInt8](repeating: 0x30, count: max(0, 18 - bytes.count))
        buffer += bytes.prefix(18)
    }
    let reference = IdentifierReference.standard
    var passes: [Double] = []
    var tally = [0, 0, 0]
    for _ in 0..<5 {
        tally = [0, 0, 0]
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            buffer.withUnsafeBufferPointer { all in
                for index in 0..<count {
                    let code = UnsafeBufferPointer(rebasing: all[index * 18..<index * 18 + 18])
                    switch USCC.check(code, reference: reference).status {
                    case .valid: tally[0] += 1
                    case .warning: tally[1] += 1
                    case .invalid: tally[2] += 1
                    }
                }
            }
        }
        passes.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    let best = passes.min() ?? 1
    let median = passes.sorted()[passes.count / 2]
    print("uscc.check: \(count) codes (valid \(tally[0]), warning \(tally[1]), invalid \(tally[2]))")
    print(String(format: "  best %.3f s = %.1f million codes/s; median %.3f s = %.1f million codes/s",
                 best, Double(count) / best / 1e6, median, Double(count) / median / 1e6))
}

/// Validation throughput: `count` generated 行政处罚 records (organizations, individual
/// businesses and natural persons; one in ten with a defect) parsed from CSV in memory and
/// validated with the shipped catalog's rules, run-level checks included; best of 3 passes.
func benchmarkValidation(count: Int, catalogDirectory: String) throws {
    let catalog = try Catalog.load(directory: catalogDirectory)
    guard let item = catalog.items["admin_penalty"] else { throw CocoaError(.fileReadCorruptFile) }
    var generator = CodeGenerator(seed: 3)
    var text = item.fields.map(\.id).joined(separator: ",") + "\n"
    text.reserveCapacity(count * 400)
    for index in 0..<count {
        var values = [String](repeating: "", count: item.fields.count)
        func set(_ id: String, _ value: String) { if let at = item.fieldIndex(id: id) { values[at] = value } }
        let person = index % 3 == 2
        set("cf_xdr_mc", person ? "张某" : "宁波某某有限公司\(index % 5000)")
        set("cf_xdr_lb", person ? "自然人" : "法人及非法人组织")
        if person {
            set("cf_xdr_zjlx", "身份证")
            set("cf_xdr_zjhm", generator.residentID())
        } else {
            var code = generator.uscc()
            while code.hasPrefix("92") { code = generator.uscc() }
            set("cf_xdr_shxym", index % 10 == 9 ? String(code.dropLast()) + "0" : code)
            set("cf_frdb", "陈某")
        }
        set("cf_wsh", "甬市监罚〔2026〕\(index)号")
        set("cf_wfxw", "食品安全"); set("cf_sy", "销售超过保质期的食品"); set("cf_yj", "《中华人民共和国食品安全法》第一百二十四条")
        set("cf_cflb", "罚款;没收违法所得"); set("cf_nr", "罚款人民币5000元"); set("cf_nr_fk", "0.5"); set("cf_nr_wfff", "0.1")
        set("cf_jdrq", "2026/11/\(11 + index % 9)"); set("cf_yxq", "2027/11/12")
        set("cf_cfjg", "宁波市市场监督管理局"); set("cf_cfjgdm", "113302000028765169")
        set("cf_sjly", "宁波市市场监督管理局"); set("cf_sjlydm", "113302000028765169")
        text += values.joined(separator: ",") + "\n"
    }
    let bytes = Array(text.utf8)
    let settings = ValidationSettings(identifiers: catalog.identifiers, today: CivilDate(year: 2026, month: 11, day: 22)!,
                                      submitted: CivilDate(year: 2026, month: 11, day: 20)!, calendar: catalog.calendar)
    var parseOnly = Double.infinity
    for _ in 0..<3 {
        let elapsed = try ContinuousClock().measure {
            var source = try CSVSource(bytes: InMemoryBytes(bytes), file: SourceFile(path: "bench.csv"))
            _ = try source.header()
            var batch = RecordBatch()
            while try source.next(into: &batch) {}
        }
        parseOnly = min(parseOnly, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    var best = Double.infinity
    var rejected = 0
    for _ in 0..<3 {
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            // The pipeline's own per-file flow, into a sink that only counts.
            let source = try CSVRecordSource(CSVSource(bytes: InMemoryBytes(bytes), file: SourceFile(path: "bench.csv")))
            let feed = Feed(id: "bench", department: "-", item: item.id, format: .csv, files: "*")
            let flow = FileFlow(header: source.header, feed: feed, item: item, settings: settings)
            var sink = CountingSink(history: try ScratchHistory())
            try flow.run(source, into: &sink)
            rejected = sink.rejected
        }
        best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    print("validate admin_penalty: \(count) records (\(bytes.count / 1_000_000) MB of CSV), \(rejected) rejected")
    print(String(format: "  CSV parsing alone: best %.3f s = %.0f thousand records/s", parseOnly, Double(count) / parseOnly / 1e3))
    print(String(format: "  parsing, validation and normalization (the per-file flow): best %.3f s = %.0f thousand records/s", best, Double(count) / best / 1e3))
}

/// A sink that counts rejected records and drops the rest; keys and names go to a scratch
/// database as in `validate`, so the history stage costs what it costs there.
struct CountingSink: BatchSink {
    typealias Failure = ArchiveError
    let history: ScratchHistory
    var rejected = 0
    var consultsRegistry: Bool { false }
    func fetchPrior(_ questions: HistoryQuestions, into prior: inout PriorState) throws(ArchiveError) {
        try history.fetchPrior(questions, into: &prior)
    }
    mutating func append(fileFindings: [Finding]) {}
    mutating func append(_ batch: CheckedBatch) throws(ArchiveError) {
        try history.record(batch.history)
        rejected += batch.outcome.rejectedCount
    }
}

/// Bytes already in memory, read in 1 MiB chunks like a file.
final class InMemoryBytes: ByteSource {
    let bytes: [UInt8]
    var position = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(AdapterError) -> Int {
        let count = min(buffer.count, bytes.count - position)
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<position + count]))
        }
        position += count
        return count
    }
}

/// Reads a file through its format's adapter (as the pipeline does), batch by batch, and reports
/// records and speed; run it under `/usr/bin/time -f %M` for the peak RSS.
func benchmarkRead(path: String, item id: String, format: SourceFormat, gb18030: Bool) throws {
    let catalog = try Catalog.load(directory: "catalogs")
    guard let item = catalog.items[id] else { throw CocoaError(.fileReadCorruptFile) }
    let feed = Feed(id: "bench", department: "-", item: id, format: format, encoding: gb18030 ? "gb18030" : "auto",
                    files: "*", recordPath: format == .xml ? "/DATA/ROW" : nil)
    var records = 0
    let elapsed = try ContinuousClock().measure {
        let file = try FeedFile.open(path: path, displayPath: path, feed: feed, item: item)
        var batch = RecordBatch()
        while try file.next(into: &batch) { records += batch.count }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print(String(format: "read %@: %d records, %.0f MB in %.1f s = %.0f MB/s, %.0f thousand records/s",
                 (path as NSString).lastPathComponent, records, Double(size) / 1e6, seconds, Double(size) / 1e6 / seconds,
                 Double(records) / seconds / 1e3))
}

/// Writes `count` codes, one per line, for timing `credit-etl check-code --stdin`.
func writeCodes(count: Int, to path: String) throws {
    var generator = CodeGenerator(seed: 2)
    var text = [UInt8]()
    text.reserveCapacity(count * 19)
    for index in 0..<count {
        text += (index % 10 == 9 ? generator.code(with: .usccCheck) ?? "" : generator.uscc()).utf8
        text.append(0x0A)
    }
    try Data(text).write(to: URL(fileURLWithPath: path))
}

/// `credit-etl subject` without the process: opens the archive once, then looks each subject of
/// `queries` (one a line: a code or a name) up as the command does (every item, current
/// versions), timing each lookup; prints p50, p99 and the worst, and how many were found.
func benchmarkSubject(archivePath: String, queries path: String, catalogDirectory: String) throws {
    let catalog = try Catalog.load(directory: catalogDirectory)
    let archive = try Archive(path: archivePath)
    let queries = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    var times: [Double] = []
    var found = 0
    let clock = ContinuousClock()
    for query in queries {
        var file: CreditFile?
        let elapsed = try clock.measure {
            file = try CreditFile.lookUp(query, archive: archive, catalog: catalog, history: false, unmasked: false)
        }
        if !(file?.records.isEmpty ?? true) { found += 1 }
        times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
    }
    times.sort()
    func percentile(_ p: Double) -> Double { times[min(times.count - 1, Int(Double(times.count) * p))] }
    print(String(format: "subject: %d lookups (%d found): p50 %.2f ms, p99 %.2f ms, worst %.2f ms", times.count, found,
                 percentile(0.5), percentile(0.99), times.last ?? 0))
}

let arguments = CommandLine.arguments.dropFirst()
let count = arguments.firstIndex(of: "--codes").flatMap { arguments.index(after: $0) < arguments.endIndex
    ? Int(arguments[arguments.index(after: $0)]) : nil } ?? 10_000_000
switch arguments.first {
case "uscc", nil:
    benchmarkUSCC(count: count)
case "validate":
    try benchmarkValidation(count: arguments.contains("--codes") ? count : 1_000_000, catalogDirectory: "catalogs")
case "read":
    let rest = Array(arguments.dropFirst())
    guard rest.count >= 3, let format = SourceFormat(rawValue: rest[2]) else {
        print("usage: credit-etl-benchmarks read <file> <item> <csv|xml|json> [gb18030]")
        exit(64)
    }
    try benchmarkRead(path: rest[0], item: rest[1], format: format, gb18030: rest.count > 3 && rest[3] == "gb18030")
case "subject":
    let rest = Array(arguments.dropFirst())
    guard rest.count >= 2 else {
        print("usage: credit-etl-benchmarks subject <archive.sqlite> <queries.txt> [catalog]")
        exit(64)
    }
    try benchmarkSubject(archivePath: rest[0], queries: rest[1], catalogDirectory: rest.count > 2 ? rest[2] : "catalogs")
case "write-codes":
    let path = arguments.dropFirst().first { !$0.hasPrefix("--") && Int($0) == nil } ?? "codes.txt"
    try writeCodes(count: count, to: path)
    print("wrote \(count) codes to \(path)")
default:
    print("usage: credit-etl-benchmarks [uscc | validate | write-codes <file>] [--codes N]")
    exit(64)
}
