import CreditArchive
import CreditCatalog
import CreditCore
import Foundation

/// Writes report folders (a run's `run-NNNNNN/`, a period's `period-2026-11/`), points
/// `<reports>/latest` at a run's, and keeps `<reports>/index.html` listing them all.
public struct ReportWriter {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public static func directoryName(run: Int64) -> String {
        let digits = String(run)
        return "run-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public static func directoryName(period: ReportPeriod) -> String { "period-\(period.label)" }

    /// Writes the report of `run` and returns its folder and the report (whose target checks decide
    /// the job's exit code).
    ///
    /// Reads the archive only. The folder is written beside its final name and renamed into place,
    /// so `run-NNNNNN/` exists only whole: a process killed while writing it leaves no half report,
    /// and the next run renders it again (``writeMissing(before:archive:catalog:language:targets:pipeline:)``).
    public func write(run: Int64, archive: any ReportArchive, catalog: Catalog, language: Language, targets: QualityTargets,
               today: CivilDate?, pipeline: String) throws(ReportWriteError) -> (directory: String, report: RunReport)
    {
        let name = Self.directoryName(run: run)
        let directory = (root as NSString).appendingPathComponent(name)
        let partial = directory + ".partial"
        var report: RunReport
        do {
            report = try RunReport(run: run, archive: archive, catalog: catalog, language: language, targets: targets,
                                   today: today)
            try? FileManager.default.removeItem(atPath: partial)
            try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
            report.feedback = try DepartmentFeedback(archive: archive, catalog: catalog, language: language)
                .write(run: run, into: partial)
            try Self.writeFiles(of: report, into: partial)
            KillPoint.reportWritten.reach()
            try Self.replace(directory, with: partial)
            // Replace `latest` atomically: a reader never sees it missing.
            let latest = (root as NSString).appendingPathComponent("latest")
            let temporary = latest + ".\(run).tmp"
            try? FileManager.default.removeItem(atPath: temporary)
            try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: name)
            if rename(temporary, latest) != 0 {
                throw ReportWriteError.unwritable("cannot update \(latest): \(String(cString: strerror(errno)))")
            }
            try writeIndex(archive: archive, language: language, targets: targets, pipeline: pipeline)
        } catch {
            throw Self.reportError(error, directory)
        }
        return (directory, report)
    }

    /// Puts a finished folder in place of `directory` (a report written again replaces the old one).
    static func replace(_ directory: String, with finished: String) throws(ReportWriteError) {
        if rename(finished, directory) == 0 { return }
        guard errno == ENOTEMPTY || errno == EEXIST else {
            throw ReportWriteError.unwritable("cannot move \(finished) to \(directory): \(String(cString: strerror(errno)))")
        }
        let old = directory + ".old"
        try? FileManager.default.removeItem(atPath: old)
        guard rename(directory, old) == 0 else {
            throw ReportWriteError.unwritable("cannot move \(directory) aside: \(String(cString: strerror(errno)))")
        }
        guard rename(finished, directory) == 0 else {
            let reason = String(cString: strerror(errno))
            // The report that was there stays readable where it was.
            let restored = rename(old, directory) == 0
            throw ReportWriteError.unwritable("cannot move \(finished) to \(directory): \(reason)"
                                              + (restored ? "" : "; the earlier report is in \(old)"))
        }
        try? FileManager.default.removeItem(atPath: old)
    }

    /// Renders the reports of completed runs before `run` whose folder is missing: a process killed
    /// after its run completed, before the report was in place. Only the runs after the newest
    /// report on disk, so reports an operator deleted on purpose stay deleted. Returns their runs.
    public func writeMissing(before run: Int64, archive: any ReportArchive, catalog: Catalog, language: Language,
                      targets: QualityTargets, pipeline: String) throws(ReportWriteError) -> [Int64]
    {
        let listings: [RunListing]
        do {
            listings = try archive.runListings()
        } catch {
            throw .archive(error)
        }
        let earlier = listings.filter { $0.run.id < run }
        let newestOnDisk = earlier.first { hasReport(run: $0.run.id) }?.run.id ?? 0
        let missing = earlier.filter { $0.run.id > newestOnDisk && $0.figures != nil }.sorted { $0.run.id < $1.run.id }
        for listing in missing {
            // The day the run was judged on, as it recorded it.
            var day: CivilDate?
            if let figures = listing.figures, case .date(let date, _) = CivilDate.parse(figures.day) { day = date }
            _ = try write(run: listing.run.id, archive: archive, catalog: catalog, language: language, targets: targets,
                          today: day, pipeline: pipeline)
        }
        return missing.map(\.run.id)
    }

    /// Whether the report of `run` is on disk (whole: see ``write(run:archive:catalog:language:targets:today:pipeline:)``).
    public func hasReport(run: Int64) -> Bool {
        FileManager.default.fileExists(atPath: ((root as NSString).appendingPathComponent(Self.directoryName(run: run))
            as NSString).appendingPathComponent("report.json"))
    }

    /// A failure while writing a report folder: its own error when it has one, else "cannot write".
    static func reportError(_ error: any Error, _ directory: String) -> ReportWriteError {
        error as? ReportWriteError ?? .unwritable(directory, error)
    }

    /// Writes the report of every run in `period` (nothing ingested, nothing recorded).
    /// `today` bounds the city indicators' day within a period that has not ended.
    public func write(period: ReportPeriod, archive: any ReportArchive, catalog: Catalog, language: Language, targets: QualityTargets,
               pipeline: String, today: CivilDate? = nil) throws(ReportWriteError) -> (directory: String, report: RunReport)
    {
        let directory = (root as NSString).appendingPathComponent(Self.directoryName(period: period))
        let report: RunReport
        do {
            report = try RunReport(period: period, archive: archive, catalog: catalog, language: language, targets: targets,
                                   today: today)
        } catch {
            throw .archive(error)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Self.writeFiles(of: report, into: directory)
            try writeIndex(archive: archive, language: language, targets: targets, pipeline: pipeline)
        } catch {
            throw Self.reportError(error, directory)
        }
        return (directory, report)
    }

    /// report.json, index.html, figures.csv and findings.csv: all functions of the report.
    static func writeFiles(of report: RunReport, into directory: String) throws {
        func url(_ name: String) -> URL { URL(fileURLWithPath: (directory as NSString).appendingPathComponent(name)) }
        try Data(report.jsonData()).write(to: url("report.json"))
        try Data(ReportCSV.figures(report)).write(to: url("figures.csv"))
        try Data(ReportCSV.findings(report)).write(to: url("findings.csv"))
        try Data(HTMLReport.render(report).utf8).write(to: url("index.html"))
    }

    /// `<reports>/index.html`: every run and every rendered period.
    func writeIndex(archive: any ReportArchive, language: Language, targets: QualityTargets, pipeline: String) throws {
        let listings = try archive.runListings()
        let periods = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { $0.hasPrefix("period-") }.map { String($0.dropFirst("period-".count)) }
        let months = Set(listings.compactMap { $0.figures.map { String($0.day.prefix(7)) } })
        let html = ReportIndex.render(runs: listings, periods: periods, months: months.sorted(), pipeline: pipeline,
                                      language: language, targets: targets, runDirectory: Self.directoryName(run:),
                                      hasReport: hasReport(run:))
        try Data(html.utf8).write(to: URL(fileURLWithPath: (root as NSString).appendingPathComponent("index.html")),
                                  options: .atomic)
    }
}
