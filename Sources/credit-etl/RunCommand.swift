import ArgumentParser
import CreditArchive
import CreditCore
import CreditPipeline
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline over its inbox: archive new files and write the run's report.",
        discussion: """
            Paths in the pipeline file (catalog, inbox, archive, reports) are relative to the file. \
            Files whose content is already archived are skipped and said so. Each run writes \
            <reports>/run-NNNNNN/report.json and index.html and points <reports>/latest at it.
            """)

    @Argument(help: "The pipeline file, such as pipelines/nightly.yaml.")
    var pipeline: String

    @Option(name: .long, help: "Language of the report: zh or en (default: the pipeline's `language:`, else zh).")
    var language: Language?

    @Flag(name: .long, help: "Read, check and archive each file on one thread (by default reading and checking overlap archiving).")
    var sequential = false

    @Flag(name: .long, help: "Check every record, even one byte-identical to its key's current version: by default a file about as large as its feed's table (a department re-sending it whole) counts such records unchanged without checking them, and their codes are not counted again.")
    var recheck = false

    @Flag(name: .long, help: "Write with SQLite's rollback journal for this run: a backfill's large files go faster and need no write-ahead log as large as themselves; readers of the archive wait while a file is written.")
    var backfill = false

    @Option(name: .long, help: "With --backfill: commit files together in groups of at least this many records (0: each file on its own). Files committed together are written faster; a backfill killed before a group's commit archives the group's files again.")
    var commitEvery: Int = PipelineRunner.defaultCommitEvery

    @Option(name: .long, help: "Progress: auto (a line redrawn on a terminal, else a log line a minute), line, log or off.")
    var progress: ProgressMode = .auto

    @Option(name: .long, help: "Seconds between progress reports (default: 0.5 for the line, 60 for log lines).")
    var progressEvery: Double?

    @OptionGroup var logging: LoggingOptions

    @Flag(name: .long, help: "Be one of several processes sharing the run (PostgreSQL archive only): claim files from the run's queue until none is left; the last worker finishes the run. Start as many as you like, on machines that see the same inbox.")
    var worker = false

    func validate() throws {
        guard commitEvery >= 0 else { throw ValidationError("--commit-every takes a number of records, 0 or more") }
    }

    func run() throws {
        // A file-size limit (`ulimit -f`) must fail the write, which rolls the file back and says
        // so, rather than kill the process with SIGXFSZ half-way.
        signal(SIGXFSZ, SIG_IGN)
        let logger = logging.bootstrap()
        var configuration: PipelineConfiguration
        do {
            configuration = try PipelineConfiguration.load(pipeline)
        } catch {
            printError(error.description)
            throw ExitCode(PipelineError.Code.configuration.exitCode)
        }
        if let language { configuration.language = language }
        let interruption = Interruption()
        interruption.install()
        let started = ContinuousClock.now
        let runner = PipelineRunner(configuration: configuration, logger: logger, interruption: interruption,
                                    overlapping: !sequential,
                                    progress: progress.reporting(logger: logger, logFormat: logging.logFormat,
                                                                 every: progressEvery),
                                    backfill: backfill, commitEvery: commitEvery, asWorker: worker, recheck: recheck)
        let result = Result { () throws(PipelineError) in try runner.run() }
        progress.finish(logFormat: logging.logFormat)
        let summary: RunSummary
        switch result {
        case .success(let finished):
            summary = finished
        case .failure(let error):
            if let signal = interruption.receivedSignal {
                // A worker stopped while it joined its run: nothing was begun.
                printError("credit-etl: stopped by signal \(signal) before the run began (\(error.description)); nothing was archived")
                throw ExitCode(128 + signal)
            }
            printError("credit-etl: run failed: \(error.description)")
            throw ExitCode(error.code.exitCode)
        }
        print(SummaryText.render(summary, pipeline: pipeline, seconds: (ContinuousClock.now - started).seconds))
        if summary.stoppedBySignal, let signal = interruption.receivedSignal {
            switch summary.status {
            case .running:
                printError("credit-etl: run \(summary.runID) goes on with its other workers: this one was stopped by signal "
                    + "\(signal), and the file it was reading went back to the run's queue")
            case .interrupted:
                printError("credit-etl: run \(summary.runID) interrupted by signal \(signal); files archived before it are kept, "
                    + "the file being read was rolled back; run again to go on")
            default:
                printError("credit-etl: run \(summary.runID) is \(summary.status.rawValue), but signal \(signal) stopped its "
                    + "report; the next run writes it")
            }
            throw ExitCode(128 + signal)
        }
        let code = summary.exitCode
        if code == RunSummary.missedTargetsExitCode {
            printError("credit-etl: run \(summary.runID) missed \(summary.missedTargets.count) target(s); see the report "
                + "(fail_on in the pipeline file decides whether this fails the job)")
        }
        if code != 0 { throw ExitCode(code) }
    }
}

extension Language: ExpressibleByArgument {}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The run summary printed on standard output, for operators and job logs.
enum SummaryText {
    /// One missed target: the figure, its scope, its value with its terms, and the target.
    static func missed(_ check: TargetCheck) -> String {
        let scope = check.item.map { " of \($0)" } ?? ""
        let comparison = check.comparison == .atLeast ? "≥" : "<"
        return "target missed: \(check.figure.rawValue.replacingOccurrences(of: "_", with: " "))\(scope) "
            + "\(check.value.percentText) (\(check.value.numerator)/\(check.value.denominator)), target \(comparison) \(check.target)"
    }

    static func render(_ summary: RunSummary, pipeline: String, seconds: Double) -> String {
        var lines = ["credit-etl run \(summary.runID) · " + (summary.worker.map { "worker \($0) · " } ?? "")
            + "\(pipeline) · \(summary.status.rawValue)"]
        let width = summary.files.map { $0.outcome.kind.rawValue.count }.max() ?? 0
        for file in summary.files {
            let kind = file.outcome.kind.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "  \(kind)  \(file.outcome.path)"
            switch file.outcome.kind {
            case .archived:
                if let counts = file.counts {
                    line += ": \(counts.records) records, \(counts.compliant) compliant, \(counts.rejected) rejected"
                        + " (\(counts.complianceRate.percentText))"
                    let history = counts.history
                    var changes = ["\(history.new) new"]
                    if history.versions > 0 {
                        changes.append("\(history.versions) new version" + (history.versions == 1 ? "" : "s"))
                    }
                    if history.unchanged > 0 { changes.append("\(history.unchanged) unchanged") }
                    if history.withdrawn > 0 { changes.append("\(history.withdrawn) withdrawn") }
                    if history.corrected > 0 { changes.append("\(history.corrected) corrected") }
                    line += "; " + changes.joined(separator: ", ")
                }
            case .duplicate:
                line += ": already archived"
                if let firstRun = file.firstRun { line += " in run \(firstRun)" }
                line += "; skipped, archive unchanged"
            case .failed:
                // The message usually starts with the path (path:line:column: …); say it once.
                let message = file.outcome.message ?? "could not be read"
                line = "  \(kind)  " + (message.hasPrefix(file.outcome.path) ? message : "\(file.outcome.path): \(message)")
                line += " — nothing of this file was archived"
            case .pending:
                line += ": \(file.outcome.message ?? "still being written") — left for the next run"
            case .refused:
                line += ": \(file.outcome.message ?? "refused") — not read"
            case .unmatched:
                line += ": no feed in the catalog matches; not read"
            }
            lines.append(line)
        }
        if summary.files.isEmpty { lines.append("  (the inbox is empty)") }
        let totals = summary.totals
        lines.append("records \(totals.records) · compliant \(totals.compliant) · rejected \(totals.rejected)"
            + " · compliance rate \(totals.complianceRate.percentText)"
            + " (\(totals.complianceRate.numerator)/\(totals.complianceRate.denominator))")
        let timeliness = totals.timeliness
        if timeliness.timely + timeliness.late + timeliness.unknown > 0 {
            lines.append("timeliness \(timeliness.rate.percentText) (\(timeliness.rate.numerator)/\(timeliness.rate.denominator),"
                + " \(timeliness.unknown) unknown)")
        }
        lines += summary.missedTargets.map(missed)
        // The rate leaves out the wait for files still being written: it is the pipeline's speed.
        let working = max(seconds - summary.settleSeconds, 0)
        lines.append(String(format: "time %.1f s", seconds)
            + (summary.settleSeconds > 0 ? String(format: " (%.0f s of it watching the inbox settle)", summary.settleSeconds) : "")
            + " · \(ProgressText.rate(working > 0 ? Double(totals.records) / working : 0)) records/s")
        lines.append("archive: \(summary.archivePath)")
        if summary.worker != nil {
            lines.append(summary.status == .running
                ? "run \(summary.runID): this worker is done; the worker that archives its last file finishes it and writes its report"
                : "run \(summary.runID) finished by this worker: \(summary.status.rawValue)")
        }
        if let directory = summary.reportDirectory {
            lines.append("report:  \((directory as NSString).appendingPathComponent("index.html"))"
                + " (report.json, figures.csv, findings.csv beside it)")
            if summary.feedbackFiles > 0 {
                lines.append("feedback: \(summary.feedbackFiles) file\(summary.feedbackFiles == 1 ? "" : "s") for departments in "
                    + (directory as NSString).appendingPathComponent("feedback"))
            }
        }
        return lines.joined(separator: "\n")
    }
}
