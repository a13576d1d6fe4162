import ArgumentParser
import CreditAdapters
import CreditCatalog
import CreditCore
import CreditPipeline
import CreditValidation
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Read and validate one file against an item, without touching any archive.",
        discussion: """
            The format is told from the extension (.csv, .xml, .json, .jsonl) unless --format is \
            given; with --department, the department's feed for the item supplies its delimiter, \
            encoding, record path and column names. Personal data is masked in the output.

            Exit codes: 0 the file was readable (whatever it contains); 2 the file is malformed \
            or unreadable (the message names file, line and column); 1 the catalog or the item is \
            wrong; 64 the command line is wrong.

            Examples:
              credit-etl validate samples/nb-zjj/admin_license_20261120.csv --item admin_license
              credit-etl validate export.xml --item admin_penalty --record-path /DATA/ROW --json
            """)

    @Argument(help: "The file to read.")
    var file: String

    @Option(name: .long, help: "The catalog item the file holds, such as admin_penalty.")
    var item: String

    @OptionGroup var reading: FileReadingOptions

    @Option(name: .long, help: "The catalog folder.")
    var catalog = "catalogs"

    @Flag(name: .long, help: "Print one JSON object per finding, then a summary object.")
    var json = false

    @Option(name: .long, help: "Language of messages: zh or en.")
    var language: Language = .zh

    func run() throws {
        let (catalog, item) = try CatalogItemLookup.load(catalog: self.catalog, item: self.item)
        let feed = try reading.feed(for: file, item: item, catalog: catalog)

        let check: FileCheck
        do {
            check = try FileCheck.run(path: file, displayPath: file, feed: feed, item: item, catalog: catalog,
                                      today: CivilDate.today())
        } catch {
            printError(error.description)
            switch error {
            case .unreadable: throw ExitCode(2)
            case .scratch: throw ExitCode(74)
            }
        }
        print(json ? Self.jsonLines(check, language: language)
                   : Self.text(check, file: file, language: language, standards: item.standards))
    }

    static func value(_ finding: Finding) -> String? {
        finding.value.map { PersonalData.shown($0, isPersonal: finding.isPersonal) }
    }

    static func message(_ finding: Finding, _ language: Language) -> String {
        RuleDescription.describing(finding.rule)?.message(for: finding, language: language) ?? finding.rule.rawValue
    }

    static func text(_ check: FileCheck, file: String, language: Language, standards: StandardEditions? = nil) -> String {
        var lines: [String] = []
        for located in check.findings {
            let finding = located.finding
            let place = located.line.map { "\(file):\($0)" } ?? file
            var line = "\(place): \(finding.severity.rawValue) \(finding.rule)"
            if let field = finding.field { line += " \(field)" }
            if let value = value(finding) { line += " \"\(value)\"" }
            lines.append(line + ": " + message(finding, language))
        }
        let counts = check.counts
        lines.append("records \(counts.records) · compliant \(counts.compliant) · rejected \(counts.rejected)"
            + " · compliance rate \(counts.complianceRate.percentText) (\(counts.compliant)/\(counts.records))"
            + " · findings \(check.findings.count)")
        if let standards, !counts.editions.isEmpty {
            // Which edition of the standard the records were held to, by their decision dates.
            lines.append("checked against: " + standards.editions.compactMap { edition in
                counts.editions[edition.id].map {
                    "\(edition.name(in: language)) \($0)"
                }
            }.joined(separator: " · "))
        }
        return lines.joined(separator: "\n")
    }

    static func jsonLines(_ check: FileCheck, language: Language) -> String {
        var lines: [String] = []
        for located in check.findings {
            let finding = located.finding
            var object: [String: Any] = ["rule": finding.rule.rawValue, "severity": finding.severity.rawValue,
                                         "message": message(finding, language)]
            if let line = located.line { object["line"] = line }
            if let field = finding.field { object["field"] = field }
            if let value = value(finding) { object["value"] = value }
            lines.append(Self.encode(object))
        }
        let counts = check.counts
        var summary: [String: Any] = [
            "records": counts.records, "compliant": counts.compliant, "rejected": counts.rejected,
            "findings": check.findings.count, "timely": counts.timeliness.timely, "late": counts.timeliness.late,
            "timeliness_unknown": counts.timeliness.unknown,
        ]
        // Only for an item whose standard has editions: the records held to each.
        if !counts.editions.isEmpty { summary["editions"] = counts.editions }
        lines.append(Self.encode(["summary": summary]))
        return lines.joined(separator: "\n")
    }

    static func encode(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension SourceFormat: ExpressibleByArgument {}

/// Loads a catalog folder and one of its items for the commands that work on one item; a problem
/// is printed (with file and line) and exits 1.
enum CatalogItemLookup {
    static func load(catalog directory: String, item id: String) throws -> (Catalog, CatalogItem) {
        let catalog: Catalog
        do {
            catalog = try Catalog.load(directory: directory)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        guard let item = catalog.items[id] else {
            printError("no item '\(id)' in \(directory); its items are \(catalog.items.keys.sorted().joined(separator: ", "))")
            throw ExitCode(1)
        }
        return (catalog, item)
    }
}
