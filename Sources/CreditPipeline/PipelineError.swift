import CreditArchive
import CreditCatalog

/// Why a run could not go on. Failures of single files are not errors of the run: they are
/// noted as ``FileOutcome``s and the run continues.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }

    static func inboxMissing(_ path: String) -> PipelineError {
        PipelineError("\(path): inbox folder not found; create it or fix `inbox:` in the pipeline file")
    }

    static func configuration(_ error: ConfigurationError) -> PipelineError {
        PipelineError(error.description)
    }

    static func archive(_ error: ArchiveError) -> PipelineError {
        PipelineError(error.description)
    }

    static func report(_ path: String, _ underlying: any Error) -> PipelineError {
        PipelineError("\(path): cannot write the report (\(underlying)); check that the folder is writable")
    }
}
