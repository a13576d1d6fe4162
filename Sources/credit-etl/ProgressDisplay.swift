import ArgumentParser
import CreditPipeline
import Foundation
import Logging

/// How `run` shows its progress: one line redrawn in place on a terminal, a log line now and
/// then otherwise (cron, systemd: the journal gets a line a minute, not a line per batch).
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto, line, log, off

    /// The reporting for this mode; `auto` is a line on a terminal with text logs, else log lines.
    func reporting(logger: Logger, logFormat: LoggingOptions.LogFormat, every seconds: Double?) -> ProgressReporter? {
        var mode = self
        if mode == .auto { mode = isatty(STDERR_FILENO) == 1 && logFormat == .text ? .line : .log }
        switch mode {
        case .off, .auto:
            return nil
        case .line:
            return ProgressReporter(interval: seconds ?? 0.5) { progress in
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + ProgressText.line(progress)).utf8))
            }
        case .log:
            return ProgressReporter(interval: seconds ?? 60) { progress in
                var metadata: Logger.Metadata = [
                    "credit.file": "\(progress.file)", "credit.records": "\(progress.records)",
                    "credit.records_per_second": "\(Int(progress.recordsPerSecond))",
                    "credit.bytes_done": "\(progress.bytesDone)", "credit.bytes_total": "\(progress.bytesTotal)",
                ]
                if let remaining = progress.remaining { metadata["credit.eta_seconds"] = "\(Int(remaining))" }
                logger.notice("progress", metadata: metadata)
            }
        }
    }

    /// Clears the progress line before the summary is printed.
    func finish(logFormat: LoggingOptions.LogFormat) {
        if self == .line || (self == .auto && isatty(STDERR_FILENO) == 1 && logFormat == .text) {
            FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        }
    }
}

/// The words of the progress line and of the summary's rate.
enum ProgressText {
    /// `[1/3] nb-scjg/admin_penalty_20261120.csv · 412,288 records · 38.2k records/s · 133/324 MB (41%) · ETA 0:15`
    static func line(_ progress: RunProgress) -> String {
        // A worker does not know how many files it will claim: it counts them.
        let counter = progress.fileCount > 0 ? "\(progress.fileNumber)/\(progress.fileCount)" : "\(progress.fileNumber)"
        var parts = ["[\(counter)] \(progress.file)",
                     "\(grouped(progress.records)) records", "\(rate(progress.recordsPerSecond)) records/s"]
        if progress.bytesTotal > 0 {
            let percent = Int(Double(progress.bytesDone) * 100 / Double(progress.bytesTotal))
            parts.append("\(megabytes(progress.bytesDone))/\(megabytes(progress.bytesTotal)) MB (\(percent)%)")
        }
        if let remaining = progress.remaining { parts.append("ETA \(duration(remaining))") }
        return parts.joined(separator: " · ")
    }

    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }

    static func rate(_ perSecond: Double) -> String {
        perSecond >= 10_000 ? String(format: "%.1fk", perSecond / 1000) : String(Int(perSecond))
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(bytes / 1_000_000)
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
