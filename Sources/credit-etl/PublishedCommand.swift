import ArgumentParser
import CreditArchive
import CreditCatalog
import CreditCore
import CreditPipeline
import CreditPublication
import Foundation

struct PublishedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "published",
        abstract: "What was public (公示) on a day, as the exports up to that day left it.",
        discussion: """
            Read from the publication ledger, not recomputed: each record the exports made public and \
            had not taken down by the day, one JSON line each (item, key, public_from, public_until, \
            since: the export that last carried it, archive_row, the masked record). --count prints \
            the number per item instead. Exit codes: 0 done; 64 the item is not published; 66 no \
            archive; 74 the archive failed; 78 the pipeline or catalog is wrong.
            Example: credit-etl published --pipeline pipelines/nightly.yaml --on 2026-03-01 --count
            """)

    @Option(name: .long, help: "The pipeline file naming the archive and the catalog.")
    var pipeline = "pipelines/nightly.yaml"

    @Option(name: .long, help: "The day (YYYY-MM-DD; default: today in Asia/Shanghai).")
    var on: String?

    @Option(name: .long, help: "Only this item (its catalog id, such as admin_penalty).")
    var item: String?

    @Flag(name: .long, help: "Print the number of public records per item instead of the records.")
    var count = false

    func validate() throws {
        _ = try parsedDay(on, option: "--on")
    }

    func run() throws {
        let (configuration, catalog) = try ArchiveOptions.load(pipeline: pipeline)
        let day = try parsedDay(on, option: "--on") ?? CivilDate.today()
        let archive = try ArchiveOptions.openArchive(configuration)
        let published = PublishedSet(catalog: catalog, archive: archive)
        let items: [CatalogItem]
        do {
            items = try published.items(item)
        } catch {
            printError("credit-etl: \(error.description)")
            throw ExitCode(PipelineError.Code.usage.exitCode)
        }
        do {
            if count {
                for (item, number) in try published.counts(items, on: day) { print("\(item)\t\(number)") }
                return
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            for item in items {
                var text = Data()
                for line in try published.lines(of: item, on: day) {
                    text.append(try encoder.encode(line))
                    text.append(0x0A)
                }
                FileHandle.standardOutput.write(text)
            }
        } catch let error as ArchiveError {
            printError("credit-etl: \(error.description)")
            throw ExitCode(PipelineError.Code.archive.exitCode)
        }
    }
}
