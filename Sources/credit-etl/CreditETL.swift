import ArgumentParser
import CreditPipeline
import CreditTools
import Foundation
import Logging

/// The `credit-etl` command: parses arguments and hands over to the pipeline module.
@main
struct CreditETL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit-etl",
        abstract: "Validate, normalize and archive department credit data; report its quality.",
        discussion: """
            Departments drop CSV, XML or JSON files into an inbox; `credit-etl run` archives each new \
            file once (files are recognised by content, records by business key: a resubmitted record \
            is unchanged, a changed one a new version), checks every record against the information \
            catalog and writes a quality report. `subject` and `trace` read the archive.

            Exit codes: 0 the run completed and its figures meet their targets (rejected records \
            are not a failure); 2 the run completed but some files could not be read; 3 the run \
            completed and a figure missed its target (the pipeline's fail_on decides whether 2 and \
            3 fail the job); 64 the command line is wrong; 66 the inbox is missing; 70 an internal \
            error (a bug: please report it); 73 the report could not be written; 74 the archive \
            failed (full disk, I/O, locked, damaged: the file being archived was rolled back); 75 \
            another run holds the archive; 78 the pipeline file or catalog is wrong; 130/143 \
            SIGINT/SIGTERM stopped the run (the file being read was rolled back; run again to go on).
            """,
        version: CreditETLVersion.text,
        subcommands: [RunCommand.self, ReportCommand.self, SubjectCommand.self, TraceCommand.self, ValidateCommand.self, SynthCommand.self,
                      CheckCodeCommand.self, ExplainCommand.self, CatalogCommand.self, CheckPipelineCommand.self,
                      DoctorCommand.self, PublishCommand.self, PublishedCommand.self, CheckSubjectsCommand.self, CreditReportCommand.self, VerifyReportCommand.self,
                      VersionCommand.self])

    /// Exit 70 (EX_SOFTWARE) for an error no command expects, so a job can tell a bug from the
    /// documented failures; the command line's own errors keep ArgumentParser's codes.
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            // ArgumentParser knows its own errors (help, usage, validation) and `ExitCode`s; what it
            // would turn into a bare 1 is an error no command expected.
            if !(error is ExitCode), exitCode(for: error) == .failure {
                FileHandle.standardError.write(Data("credit-etl: internal error: \(error); please report it with the command you ran\n".utf8))
                Foundation.exit(internalErrorExitCode)
            }
            exit(withError: error)
        }
    }

    static let internalErrorExitCode: Int32 = 70
}

/// Options every command that logs shares.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "Log level on standard error: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .notice

    @Option(name: .long, help: "text (for a terminal) or json (one object a line, for journald and log collectors).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument {
        case text, json
    }

    /// Sets up swift-log once, before anything logs. Record values are never logged.
    func bootstrap() -> Logger {
        let level = logLevel, format = logFormat
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: "credit-etl")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
