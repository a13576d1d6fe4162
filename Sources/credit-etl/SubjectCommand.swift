import ArgumentParser
import CreditCatalog
import CreditCore
import CreditPipeline
import CreditTools

struct SubjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject",
        abstract: "Show a subject's credit file (信用档案): what every department sent about it.",
        discussion: """
            The subject is a USCC, an ID number or a name. Current versions come first; --history \
            adds earlier versions. ID numbers and natural persons' names are masked unless --unmasked.

            Examples:
              credit-etl subject 91330200MA2EL6266C
              credit-etl subject 宁波某某贸易有限公司 --history --json
            """)

    @Argument(help: "A USCC, an ID number, or a subject's name.")
    var query: String

    @Flag(name: .long, help: "Include earlier versions of each record.")
    var history = false

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let (configuration, catalog, store) = try archive.open()
        let file: CreditFile
        do {
            file = try CreditFile.lookUp(query, archive: store, catalog: catalog, history: history,
                                         unmasked: archive.unmasked)
        } catch {
            printError(error.description)
            throw ExitCode(PipelineError.Code.archive.exitCode)
        }
        if archive.json { return try printJSON(file) }
        let zh = archive.resolvedLanguage(configuration) == .zh
        let kind = switch file.kind {
        case .uscc: zh ? "统一社会信用代码" : "USCC"
        case .idNumber: zh ? "身份证号码" : "ID number"
        case .name: zh ? "名称" : "name"
        }
        print((zh ? "信用档案 · " : "Credit file · ") + "\(file.query) (\(kind))")
        if file.records.isEmpty {
            print(zh ? "档案中没有该主体的记录。" : "The archive holds no record of this subject.")
            throw ExitCode(1)
        }
        for record in file.records {
            print("")
            let language = archive.resolvedLanguage(configuration)
            print(recordLines(record, item: catalog.items[record.item], catalog: catalog, language: language)
                .joined(separator: "\n"))
            // Its publication (公示): each export that added, updated or took it down.
            if let key = CreditFile.publicationKey(record), let changes = file.publication[key] {
                for line in publicationLines(changes, language: language) { print("  " + line) }
            }
        }
    }
}
