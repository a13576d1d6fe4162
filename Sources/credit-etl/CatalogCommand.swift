import ArgumentParser
import CreditCatalog
import CreditCore
import CreditPipeline

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Work with the information catalog.",
        subcommands: [Check.self])

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
