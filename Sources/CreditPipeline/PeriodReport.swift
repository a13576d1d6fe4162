import CreditArchive
import CreditCatalog
import CreditCore
import CreditReports
import Foundation

/// `credit-etl report --period`: a month's or a day's report over every run in it, written to
/// `<reports>/period-<period>/` beside the runs' reports, and the reports' index updated.
public enum PeriodReport {
    /// Throws ``PipelineError`` only. Not declared `throws(PipelineError)`: with that, the debug
    /// build of Swift 6.3.1 handed the caller in another module a corrupt report (a crash reading
    /// `coveredRuns`), which the sanitized build did not reproduce; untyped, it is sound.
    public static func write(_ period: ReportPeriod, configuration: PipelineConfiguration, catalog: Catalog,
                             archive: any QueryArchive, language: Language) throws -> (directory: String, report: RunReport)
    {
        let runs: [ArchivedRun]
        do {
            runs = try archive.runs(in: period)
        } catch {
            throw PipelineError.archive(error)
        }
        guard !runs.isEmpty else {
            throw PipelineError(.noData, "no run of \(configuration.archive) falls in \(period.label); "
                + "nothing to report (the reports' index lists the runs and their days)")
        }
        umask(configuration.groupReadable ? 0o027 : 0o077)
        do {
            return try ReportWriter(root: configuration.reports)
                .write(period: period, archive: archive, catalog: catalog, language: language,
                       targets: configuration.targets, pipeline: configuration.file, today: .today())
        } catch {
            throw PipelineError.report(error)
        }
    }
}
