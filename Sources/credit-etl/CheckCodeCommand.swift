import ArgumentParser
import CreditCatalog
import CreditCore
import CreditIdentifiers
import CreditPipeline
import Foundation

struct CheckCodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-code",
        abstract: "Check identifier codes (USCC, organization code, ID number, registration number) and explain them.",
        discussion: """
            Codes are folded first (full-width to half-width, upper case, spaces and hyphens removed). \
            Without --kind each code's kind is told from its shape.

            With --stdin, reads one code per line and writes one line per code: \
            <code><TAB><valid|warning|invalid><TAB><defect codes, comma-separated>.

            Exit codes: 0 every code is valid (warnings allowed); 1 some code is invalid; 64 the \
            command line is wrong.

            Examples:
              credit-etl check-code 91330200MA2EL6266C
              credit-etl check-code --kind org MA2EL626-6
              cut -f3 subjects.tsv | credit-etl check-code --stdin --kind uscc > verdicts.tsv
            """)

    @Argument(help: "The codes to check.")
    var codes: [String] = []

    @Option(name: .long, help: "The kind of every code: uscc, org, id or regno (default: told from each code's shape).")
    var kind: IdentifierKind?

    @Flag(name: .long, help: "Read codes from standard input, one per line, and print tab-separated verdicts.")
    var stdin = false

    @Option(name: .long, help: "Language of the explanation: zh or en.")
    var language: Language = .zh

    @Option(name: .long, help: "A catalog folder whose reference/*.csv tables replace the compiled-in ones.")
    var catalog: String?

    func validate() throws {
        if stdin, !codes.isEmpty { throw ValidationError("Give codes as arguments or with --stdin, not both.") }
        if !stdin, codes.isEmpty { throw ValidationError("Give at least one code, or --stdin to read them.") }
    }

    func run() throws {
        let reference = try loadReference()
        let today = CivilDate.today()
        if stdin {
            var checker = CodeLineChecker(kind: kind, reference: reference, today: today)
            StandardStreams.copyLines(through: &checker)
            if checker.invalid > 0 { throw ExitCode(1) }
            return
        }
        var anyInvalid = false
        var blocks: [String] = []
        for code in codes {
            let canonical = IdentifierText.canonical(code)
            let kind = self.kind ?? canonical.withUnsafeBufferPointer {
                IdentifierKind.detect($0, reference: reference, today: today)
            }
            let explanation = CodeExplanation(canonical, kind: kind, reference: reference, today: today, language: language)
            if explanation.check.status == .invalid { anyInvalid = true }
            // A 15-digit number can read as both a registration number and a legacy ID number.
            let alternatives = self.kind != nil ? [] : IdentifierKind.allCases.filter { other in
                other != kind && canonical.withUnsafeBufferPointer {
                    other.check($0, reference: reference, today: today).status != .invalid
                }
            }
            blocks.append(CodeExplanationText.render(explanation, input: code, kindGiven: self.kind != nil,
                                                     alternatives: alternatives, language: language))
        }
        print(blocks.joined(separator: "\n\n"))
        if anyInvalid { throw ExitCode(1) }
    }

    private func loadReference() throws -> IdentifierReference {
        guard let catalog else { return .standard }
        do {
            return try Catalog.load(directory: catalog).identifiers
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

extension IdentifierKind: ExpressibleByArgument {}

/// Reads standard input in large chunks and writes verdicts in large chunks: millions of lines
/// a second, with two fixed buffers.
enum StandardStreams {
    static func copyLines(through checker: inout CodeLineChecker) {
        let size = 1 << 20
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: size)
        defer { input.deallocate() }
        var output: [UInt8] = []
        output.reserveCapacity(size + 4096)
        while true {
            let count = read(STDIN_FILENO, input.baseAddress, size)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            checker.feed(UnsafeBufferPointer(rebasing: input[0..<count]), into: &output)
            if output.count >= size { flush(&output) }
        }
        checker.finish(into: &output)
        flush(&output)
    }

    private static func flush(_ output: inout [UInt8]) {
        output.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDOUT_FILENO, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if written < 0, errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
        output.removeAll(keepingCapacity: true)
    }
}

/// The human-readable verdict of `check-code`: the code, its kind and verdict, each part
/// explained, then every defect with its message.
enum CodeExplanationText {
    static func render(_ explanation: CodeExplanation, input: String, kindGiven: Bool,
                       alternatives: [IdentifierKind] = [], language: Language) -> String {
        let zh = language == .zh
        let status: String =
            switch explanation.check.status {
            case .valid: zh ? "有效" : "valid"
            case .warning: zh ? "有效（有提示）" : "valid, with warnings"
            case .invalid: zh ? "无效" : "invalid"
            }
        let kindText = explanation.kind.title.text(language) + (kindGiven ? "" : (zh ? "（按形式判断）" : " (told from its shape)"))
        var lines = ["\(explanation.canonical.isEmpty ? input : explanation.canonical)  \(kindText)  \(status)"]
        let width = explanation.parts.map { displayWidth($0.label) }.max() ?? 0
        for part in explanation.parts {
            let padding = String(repeating: " ", count: width - displayWidth(part.label))
            lines.append("  \(part.label)\(padding)  \(part.value)  \(part.meaning)")
        }
        for defect in explanation.check.defects {
            let mark = defect.severity == .error ? "✗" : "!"
            lines.append("  \(mark) \(defect.code)  \(explanation.check.message(for: defect, language: language))")
        }
        for other in alternatives {
            lines.append(zh ? "  也是有效的\(other.title.zh)；用 --kind \(other.rawValue) 按其解读"
                            : "  also a valid \(other.title.en); use --kind \(other.rawValue) to read it so")
        }
        return lines.joined(separator: "\n")
    }

    /// Terminal columns: CJK and full-width characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }
    }
}
