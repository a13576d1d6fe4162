import ArgumentParser
import CreditArchive
import CreditCatalog
import CreditCore
import CreditPipeline
import CreditPublication
import Foundation

/// The archive and catalog a query command reads, named by a pipeline file.
struct ArchiveOptions: ParsableArguments {
    @Option(name: .long, help: "The pipeline file naming the archive and the catalog.")
    var pipeline = "pipelines/nightly.yaml"

    @Flag(name: .long, help: "Show ID numbers and natural persons' names whole (for authorised staff).")
    var unmasked = false

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Option(name: .long, help: "Language of the text: zh or en (default: the pipeline's `language:`).")
    var language: Language?

    /// Opens the pipeline's catalog and archive; an archive that does not exist yet is an error,
    /// not an empty answer.
    func open() throws -> (PipelineConfiguration, Catalog, any QueryArchive) {
        let (configuration, catalog) = try Self.load(pipeline: pipeline)
        return (configuration, catalog, try Self.openArchive(configuration))
    }

    /// The pipeline's archive for reading; one that does not exist yet exits 66, one that fails 74.
    static func openArchive(_ configuration: PipelineConfiguration) throws -> any QueryArchive {
        do {
            return try ArchiveLocation.openForQueries(configuration)
        } catch {
            printError(error.description)
            switch error {
            case .missing: throw ExitCode(PipelineError.Code.inbox.exitCode)
            case .archive: throw ExitCode(PipelineError.Code.archive.exitCode)
            }
        }
    }

    /// A pipeline file and the catalog it names; a problem is printed (every one, located) and
    /// exits 78.
    static func load(pipeline: String) throws -> (PipelineConfiguration, Catalog) {
        do {
            let configuration = try PipelineConfiguration.load(pipeline)
            return (configuration, try Catalog.load(directory: configuration.catalog))
        } catch {
            printError("\(error)")
            throw ExitCode(PipelineError.Code.configuration.exitCode)
        }
    }

    func resolvedLanguage(_ configuration: PipelineConfiguration) -> Language {
        language ?? configuration.language
    }
}

/// JSON as the query commands print it: sorted keys, readable, Chinese as it is.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// The day an option such as `--as-of` or `--on` gives (`YYYY-MM-DD`); nil when it is not given.
func parsedDay(_ text: String?, option: String) throws -> CivilDate? {
    guard let text else { return nil }
    guard case .date(let date, _) = CivilDate.parse(text) else {
        throw ValidationError("\(option) takes a day such as 2026-12-01, not '\(text)'")
    }
    return date
}

/// A record's publication (公示) history, one line per export that carried it.
func publicationLines(_ changes: [PublicationChange], language: Language) -> [String] {
    changes.map { change in
        let window = [change.from, change.until].compactMap { $0 }.joined(separator: " – ")
        let reason = change.reason.map { " (\($0.rawValue))" } ?? ""
        let marked = change.marked ? (language == .zh ? "（异议处理中）" : " (objection open)") : ""
        return (language == .zh ? "公示 " : "publication ") + "\(ExportFolder.name(change.export)) \(change.asOf ?? ""): "
            + "\(change.action.rawValue)\(reason)\(marked)" + (window.isEmpty ? "" : " · \(window)")
    }
}

/// The lines of one stored record: what it is, where it came from, its values.
func recordLines(_ record: StoredRecord, item: CatalogItem?, catalog: Catalog, language: Language) -> [String] {
    let zh = language == .zh
    let itemName = item.map { zh ? $0.name : $0.nameEnglish } ?? record.item
    let department = catalog.departments[record.department]?.name ?? record.department
    var state: String
    if !record.accepted {
        state = zh ? "未入库（不合规）" : "rejected"
    } else {
        let version = record.version ?? 1
        state = record.current ? (zh ? "现行 第 \(version) 版" : "current, version \(version)")
            : (zh ? "历史 第 \(version) 版" : "earlier version \(version)")
        if record.withdrawn { state += zh ? "，已撤销" : ", withdrawn" }
    }
    var lines = ["\(itemName) · \(department) · \(state)"]
    for (name, value) in record.values {
        let label = item?.fieldIndex(id: name).map { item!.fields[$0].name } ?? name
        var line = "  \(label): \(value)"
        if let raw = record.raw[name] { line += zh ? "（报送值：\(raw)）" : " (as received: \(raw))" }
        lines.append(line)
    }
    for (name, value) in record.extra.sorted(by: { $0.key < $1.key }) {
        lines.append("  [\(name)]: \(value)")
    }
    lines.append((zh ? "  来源：" : "  from: ") + "\(record.path):\(record.line) · " + (zh ? "批次 " : "run ") + "\(record.run)")
    return lines
}
