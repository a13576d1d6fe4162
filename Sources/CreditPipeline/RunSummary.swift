import CreditArchive
import CreditCore
import CreditReports

/// What a run did, for the command line and for callers embedding the pipeline.
/// A target check of the report, as run summaries carry the missed ones.
public typealias TargetCheck = RunReport.TargetCheck

public struct RunSummary: Sendable {
    public var runID: Int64
    public var status: RunStatus
    public var files: [FileSummary]
    public var totals: QualityCounts
    public var archivePath: String
    /// The run's report folder (`<reports>/run-NNNNNN`).
    public var reportDirectory: String
    /// Seconds spent watching the inbox for files still being written (`settle_seconds`), which
    /// a small night's run time is mostly made of.
    public var settleSeconds: Double = 0
    /// The report's target checks that failed (合规率, 及时率, 重错码率, overall or per item).
    public var missedTargets: [RunReport.TargetCheck] = []
    /// Feedback files written for departments beside the report (`<report>/feedback/`).
    public var feedbackFiles = 0
    /// What the pipeline lets fail the job (`fail_on:`).
    public var failOn: Set<PipelineConfiguration.JobFailure> = Set(PipelineConfiguration.JobFailure.allCases)

    /// The exit code of a run that was not interrupted: `2` when files could not be read, else `3`
    /// when a target was missed, else `0`; an outcome the pipeline left out of `fail_on` exits 0.
    public var exitCode: Int32 {
        Self.exitCode(unreadableFiles: status == .completedWithFailures, missedTargets: !missedTargets.isEmpty, failOn: failOn)
    }

    /// The one exit policy of a job, a single run's or a worker's: unreadable files first (`2`),
    /// then missed targets (`3`), each only when `fail_on` lets it fail the job.
    public static func exitCode(unreadableFiles: Bool, missedTargets: Bool, failOn: Set<PipelineConfiguration.JobFailure>)
        -> Int32
    {
        if unreadableFiles, failOn.contains(.unreadableFiles) { return unreadableFilesExitCode }
        if missedTargets, failOn.contains(.missedTargets) { return missedTargetsExitCode }
        return 0
    }

    public static let unreadableFilesExitCode: Int32 = 2
    public static let missedTargetsExitCode: Int32 = 3

    /// One file's outcome with its counts when it was archived.
    public struct FileSummary: Sendable {
        public var outcome: FileOutcome
        public var counts: QualityCounts?
        /// For a duplicate: the run that archived this content first.
        public var firstRun: Int64?
    }
}
