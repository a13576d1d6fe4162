import CreditArchive
import CreditCatalog
import CreditReports

/// Why a run (or a command) could not go on. Failures of single files are not errors of the
/// run: they are noted as ``FileOutcome``s and the run continues.
///
/// Each error has a ``Code`` that says how far it reaches and which exit code the command line
/// returns, a message that says what to do, and its underlying cause when there is one.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The pipeline file or the catalog is wrong: nothing started.
        case configuration
        /// The inbox is missing or cannot be listed.
        case inbox
        /// The archive failed (full disk, damaged file, another process): the run stopped and the
        /// failing file was rolled back.
        case archive
        /// The report could not be written.
        case report
        /// A file the command was asked to write could not be written (`synth`).
        case output
        /// Another run holds the archive's run lock: nothing started.
        case locked
        /// There is nothing to report on (no run in the period asked for).
        case noData
        /// The command line asks for something the archive's state forbids (`publish --as-of` a
        /// day before the last export).
        case usage

        /// The process exit code (sysexits.h), documented in the README.
        public var exitCode: Int32 {
            switch self {
            case .configuration: 78   // EX_CONFIG
            case .inbox, .noData: 66  // EX_NOINPUT
            case .archive: 74         // EX_IOERR
            case .report, .output: 73 // EX_CANTCREAT
            case .locked: 75          // EX_TEMPFAIL: try again later
            case .usage: 64           // EX_USAGE
            }
        }
    }

    public var code: Code
    /// What happened and what to do.
    public var message: String
    /// The error underneath, when there is one (its text is part of ``description``).
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }

    static func inboxMissing(_ path: String) -> PipelineError {
        PipelineError(.inbox, "\(path): inbox folder not found; create it or fix `inbox:` in the pipeline file")
    }

    static func configuration(_ error: ConfigurationError) -> PipelineError {
        PipelineError(.configuration, error.description, cause: error)
    }

    static func archive(_ error: ArchiveError) -> PipelineError {
        PipelineError(.archive, error.description, cause: error)
    }

    static func report(_ error: ReportWriteError) -> PipelineError {
        switch error {
        case .archive(let error): .archive(error)
        case .unwritable(let message): PipelineError(.report, message, cause: error)
        }
    }

    static func report(_ path: String, _ underlying: any Error) -> PipelineError {
        PipelineError(.report, "\(path): cannot write the report (\(underlying)); check that the folder is writable")
    }
}
