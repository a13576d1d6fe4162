import CreditArchive
import CreditCatalog
import CreditCore
import CreditReports
import Foundation

/// Writes a run's report folder and points `<reports>/latest` at it.
struct ReportWriter {
    let root: String

    static func directoryName(run: Int64) -> String {
        let digits = String(run)
        return "run-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Writes the report of `run` and returns its folder and the report (whose target checks decide
    /// the job's exit code).
    func write(run: Int64, archive: Archive, catalog: Catalog, language: Language, targets: QualityTargets,
               today: CivilDate) throws(PipelineError) -> (directory: String, report: RunReport)
    {
        let name = Self.directoryName(run: run)
        let directory = (root as NSString).appendingPathComponent(name)
        var report: RunReport
        do {
            report = try RunReport(run: run, archive: archive, catalog: catalog, language: language, targets: targets,
                                   today: today)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            report.feedback = try DepartmentFeedback(archive: archive, catalog: catalog, language: language)
                .write(run: run, into: directory)
            try Data(report.jsonData()).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("report.json")))
            try Data(ReportCSV.figures(report))
                .write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("figures.csv")))
            try Data(ReportCSV.findings(report))
                .write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("findings.csv")))
            try Data(HTMLReport.render(report).utf8)
                .write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("index.html")))
            // Replace `latest` atomically: a reader never sees it missing.
            let latest = (root as NSString).appendingPathComponent("latest")
            let temporary = latest + ".\(run).tmp"
            try? FileManager.default.removeItem(atPath: temporary)
            try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: name)
            if rename(temporary, latest) != 0 {
                throw PipelineError(.report, "cannot update \(latest): \(String(cString: strerror(errno)))")
            }
        } catch let error as PipelineError {
            throw error
        } catch {
            throw .report(directory, error)
        }
        return (directory, report)
    }
}
