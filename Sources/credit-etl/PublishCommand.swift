import ArgumentParser
import CreditCatalog
import CreditCore
import CreditPipeline
import CreditPublication
import Foundation

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Export what changed in publication (公示) since the last export: additions, updates and take-downs.",
        discussion: """
            Writes <publication>/export-NNNNNN/ (the pipeline's `publication:` folder): one JSON-lines \
            file per item, each line a change (add, update, remove with its reason) with the record in \
            the national field names, and manifest.json with the counts. Each change is exported exactly \
            once: a publish that was killed is completed by the next one. Nothing changed: no export, exit 0. \
            How long records stay public is catalog data (`publication:` in an item file; \
            docs/publication.md). Exit codes: 0 done; 64 --as-of before the last export; 66 no archive; \
            73 the folder cannot be written; 74 the archive failed; 75 a run holds the archive; 78 the \
            pipeline or catalog is wrong.
            Example: credit-etl publish --pipeline pipelines/nightly.yaml --as-of 2026-12-01
            """)

    @Option(name: .long, help: "The pipeline file naming the archive, the catalog and the publication folder.")
    var pipeline = "pipelines/nightly.yaml"

    @Option(name: .long, help: "Publish as of this day (YYYY-MM-DD; default: today in Asia/Shanghai).")
    var asOf: String?

    func validate() throws {
        _ = try parsedDay(asOf, option: "--as-of")
    }

    func run() throws {
        let (configuration, catalog) = try ArchiveOptions.load(pipeline: pipeline)
        let day = try parsedDay(asOf, option: "--as-of") ?? CivilDate.today()
        do {
            let outcome = try PublicationJob.publish(configuration: configuration, catalog: catalog, asOf: day)
            for export in outcome.recovered {
                print("completed export \(ExportFolder.name(export)), which an interrupted publish had recorded")
            }
            guard let export = outcome.export else {
                print("credit-etl publish as of \(day): nothing changed since the last export")
                return
            }
            print("credit-etl publish as of \(day): \(ExportFolder.name(export))")
            for (item, counts) in outcome.counts.sorted(by: { $0.key < $1.key }) {
                let removed = counts.removedBy.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("  \(item): add \(counts.add) · update \(counts.update) · remove \(counts.remove)"
                      + (removed.isEmpty ? "" : " (\(removed))"))
            }
            print("folder:  \(ExportFolder(root: configuration.publication ?? "").path(export))")
        } catch {
            printError("credit-etl: \(error.description)")
            throw ExitCode(error.code.exitCode)
        }
    }
}
