// credit-etl benchmarks: run with `make bench` (a release build); figures go to docs/performance.md.
import CreditCore
import CreditIdentifiers
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

let arguments = CommandLine.arguments.dropFirst()
let count = arguments.firstIndex(of: "--codes").flatMap { arguments.index(after: $0) < arguments.endIndex
    ? Int(arguments[arguments.index(after: $0)]) : nil } ?? 10_000_000
switch arguments.first {
case "uscc", nil:
    benchmarkUSCC(count: count)
case "write-codes":
    let path = arguments.dropFirst().first { !$0.hasPrefix("--") && Int($0) == nil } ?? "codes.txt"
    try writeCodes(count: count, to: path)
    print("wrote \(count) codes to \(path)")
default:
    print("usage: credit-etl-benchmarks [uscc | write-codes <file>] [--codes N]")
    exit(64)
}
