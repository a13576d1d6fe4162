import ArgumentParser
import CreditCatalog
import CreditCore
import CreditPipeline
import CreditTools

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Work with the information catalog.",
        subcommands: [Check.self, Map.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a catalog folder and report every problem at once (file:line:column: key: message).",
            discussion: """
                Exit 0 when the catalog is clean (warnings, such as a calendar that does not cover \
                this year, are printed but do not fail), 1 when it has problems.
                """)

        @Argument(help: "The catalog folder.")
        var directory: String = "catalogs"

        func run() throws {
            let catalog: Catalog
            do {
                catalog = try Catalog.load(directory: directory)
            } catch {
                printError(error.description)
                throw ExitCode(1)
            }
            let fields = catalog.items.values.reduce(0) { $0 + $1.fields.count }
            print("\(directory): \(catalog.items.count) items (\(fields) fields), \(catalog.departments.count) departments, "
                + "\(catalog.feeds.count) feeds, \(catalog.identifiers.divisions.count) division codes")
            let year = CivilDate.today().year
            if let calendar = catalog.calendar {
                print("working-day calendar: \(calendar.years.lowerBound)–\(calendar.years.upperBound)")
                if !calendar.years.contains(year) {
                    printError("warning: the working-day calendar does not cover \(year): timeliness in \(year) is "
                        + "reported as unknown until the State Council's holiday schedule is added to "
                        + "reference/\(WorkingCalendar.file)")
                }
            } else {
                printError("warning: no reference/\(WorkingCalendar.file): every timeliness verdict will be unknown")
            }
        }
    }
}

extension CatalogCommand {
    /// Onboarding a department's export: which column carries which field.
    struct Map: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Propose a feed's `columns:` for a department's export, from its header and a sample of its values.",
            discussion: """
                Each column is compared with the item's fields by name (the catalog's names and \
                aliases, the field ids in pinyin initials, English abbreviations of the English \
                names, Chinese names of the department's own) and by its values (valid USCCs, ID \
                numbers, organization codes, dates, amounts, the item's enum values). The proposal is \
                YAML to paste under the department's feed in catalogs/feeds.yaml, with a confidence \
                per column (high, medium, low, and the score from 0 to 1), then the columns it could \
                not place and the fields no column carries. Values are sampled, never printed.

                Exit codes: 0 a proposal was printed; 2 the file is malformed or unreadable; 1 the \
                catalog or the item is wrong; 64 the command line is wrong.

                Examples:
                  credit-etl catalog map export.csv --item admin_penalty
                  credit-etl catalog map export.xml --item admin_license --record-path /DATA/ROW --sample 5000
                """)

        @Argument(help: "The department's export.")
        var file: String

        @Option(name: .long, help: "The catalog item the file holds, such as admin_penalty.")
        var item: String

        @OptionGroup var reading: FileReadingOptions

        @Option(name: .long, help: "How many records to sample values from.")
        var sample = 1000

        @Option(name: .long, help: "The catalog folder.")
        var catalog = "catalogs"

        func validate() throws {
            guard sample > 0 else { throw ValidationError("--sample must be at least 1.") }
        }

        func run() throws {
            let (catalog, item) = try CatalogItemLookup.load(catalog: self.catalog, item: self.item)
            var feed = try reading.feed(for: file, item: item, catalog: catalog)
            // The department's own names are what is being proposed: do not apply the old ones.
            feed.columns = [:]
            do {
                let mapping = try ColumnMapping.propose(path: file, feed: feed, item: item.applying(feed),
                                                        sample: sample, today: CivilDate.today())
                print(mapping.yaml(file: file), terminator: "")
            } catch {
                printError(error.description)
                throw ExitCode(2)
            }
        }
    }
}
