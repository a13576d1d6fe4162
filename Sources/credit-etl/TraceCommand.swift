import ArgumentParser
import CreditCatalog
import CreditCore
import CreditPipeline
import CreditPublication
import CreditTools
import CreditValidation

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Show every version of a record: file, line, run, values as received, findings.",
        discussion: """
            Name the record by its item and business key (one value per key part, in the catalog's \
            order; for 行政处罚: 决定书文号, the subject's USCC or ID number, 决定日期), or by the file \
            and line it was read from.

            Examples:
              credit-etl trace admin_penalty 甬市监罚〔2025〕12号 91330200MA2EL6266C 2025-09-26
              credit-etl trace --file nb-scjg/admin_penalty_20261120.csv --line 7
            """)

    @Argument(help: "The item id, then the business key's values.")
    var key: [String] = []

    @Option(name: .long, help: "A file as archived (relative to the inbox).")
    var file: String?

    @Option(name: .long, help: "The line of --file.")
    var line: Int?

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        if file != nil || line != nil {
            guard file != nil, line != nil, key.isEmpty else {
                throw ValidationError("Give --file and --line together, without an item and key.")
            }
        } else if key.count < 2 {
            throw ValidationError("Give an item id and its business key values, or --file and --line.")
        }
    }

    func run() throws {
        let (configuration, catalog, store) = try archive.open()
        let language = archive.resolvedLanguage(configuration)
        let message = { (finding: Finding) in
            RuleDescription.describing(finding.rule)?.message(for: finding, language: language) ?? finding.rule.rawValue
        }
        let trace: RecordTrace?
        do {
            if let file, let line {
                trace = try RecordTrace.byLine(path: file, line: line, catalog: catalog, archive: store,
                                               unmasked: archive.unmasked, message: message)
            } else {
                guard let item = catalog.items[key[0]] else {
                    printError("no item '\(key[0])'; the catalog's items are \(catalog.items.keys.sorted().joined(separator: ", "))")
                    throw ExitCode(64)
                }
                guard let digest = BusinessKey.digest(item: item, values: Array(key.dropFirst())) else {
                    printError("\(item.id)'s business key has \(item.businessKey.count) parts: "
                        + item.businessKey.joined(separator: ", "))
                    throw ExitCode(64)
                }
                trace = try RecordTrace.byKey(item: item, key: digest, archive: store, unmasked: archive.unmasked,
                                              message: message)
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("\(error)")
            throw ExitCode(PipelineError.Code.archive.exitCode)
        }
        if archive.json { return try printJSON(trace) }
        let zh = language == .zh
        guard let trace, !trace.entries.isEmpty else {
            print(zh ? "档案中没有这条记录。" : "The archive holds no such record.")
            throw ExitCode(1)
        }
        for entry in trace.entries {
            print(recordLines(entry.record, item: catalog.items[trace.item], catalog: catalog, language: language)
                .joined(separator: "\n"))
            for finding in entry.findings {
                let value = finding.value.map { " «\($0)»" } ?? ""
                print("  ! \(finding.rule) [\(finding.severity.rawValue)] \(finding.field ?? "")\(value): \(finding.message)")
            }
            print("")
        }
        // Its publication (公示), as the exports carried it.
        for line in publicationLines(trace.publication, language: language) { print(line) }
    }
}
