import ArgumentParser
import CreditArchive
import CreditPipeline
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render the report of a period (a month or a day) from the archive, without ingesting anything.",
        discussion: """
            Covers every run whose day falls in the period, as one report: the same sections as a \
            run's (targets, departments worst first, trend, findings), written to \
            <reports>/period-<period>/ with report.json, figures.csv and findings.csv, and listed in \
            <reports>/index.html. Example: credit-etl report --pipeline pipelines/nightly.yaml --period 2026-11
            """)

    @Option(name: .long, help: "The period: a month (2026-11) or a day (2026-11-20).")
    var period: String

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        guard ReportPeriod(period) != nil else {
            throw ValidationError("--period takes a month (2026-11) or a day (2026-11-20), not '\(period)'")
        }
    }

    func run() throws {
        let (configuration, catalog, store) = try archive.open()
        do {
            let (directory, report) = try PeriodReport.write(ReportPeriod(period)!, configuration: configuration,
                                                             catalog: catalog, archive: store,
                                                             language: archive.resolvedLanguage(configuration))
            let totals = report.totals
            print("credit-etl report \(period) · runs \(report.coveredRuns.map(String.init).joined(separator: ", "))")
            print("records \(totals.records) · compliant \(totals.compliant) · compliance rate \(totals.complianceRate.percentText)"
                + " · targets \(report.targetsMet ? "met" : "missed: \(report.targetChecks.filter { $0.met == false }.count)")")
            print("report:  \((directory as NSString).appendingPathComponent("index.html"))")
        } catch let error as PipelineError {
            printError("credit-etl: \(error.description)")
            throw ExitCode(error.code.exitCode)
        }
    }
}
