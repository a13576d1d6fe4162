import CreditArchive
import CreditCore
import CreditReports

/// What a run did, for the command line and for callers embedding the pipeline.
/// A target check of the report, as run summaries carry the missed ones.
public typealias TargetCheck = RunReport.TargetCheck

public struct RunSummary: Sendable {
    public var runID: Int64
    /// The run's status as this process left it: `running` when other workers go on with it.
    public var status: RunStatus
    /// The files this process handled (on PostgreSQL, the ones this worker claimed).
    public var files: [FileSummary]
    public var totals: QualityCounts
    /// Where the archive is (no password).
    public var archivePath: String
    /// The run's report folder (`<reports>/run-NNNNNN`), when this process wrote it: the one
    /// that ended the run, unless a signal stopped the report.
    public var reportDirectory: String?
    /// This worker's name (`host:pid`) on a PostgreSQL archive, where several may share the run.
    public var worker: String?
    /// Whether SIGTERM or SIGINT stopped this process (it exits 128 + the signal).
    public var stoppedBySignal = false
    /// Seconds spent watching the inbox for files still being written (`settle_seconds`), which
    /// a small night's run time is mostly made of.
    public var settleSeconds: Double = 0
    /// The report's target checks that failed (合规率, 及时率, 重错码率, overall or per item).
    public var missedTargets: [RunReport.TargetCheck] = []
    /// Feedback files written for departments beside the report (`<report>/feedback/`).
    public var feedbackFiles = 0
    /// What the pipeline lets fail the job (`fail_on:`).
    public var failOn: Set<PipelineConfiguration.JobFailure> = Set(PipelineConfiguration.JobFailure.allCases)

    /// The exit code of a process no signal stopped, the job's policy: `2` when files could not
    /// be read (a file this worker read, or any of the run it finished), else `3` when a target
    /// was missed, else `0`; an outcome the pipeline left out of `fail_on` exits 0.
    public var exitCode: Int32 {
        Self.exitCode(unreadableFiles: status == .completedWithFailures
                          || files.contains { $0.outcome.kind == .failed || $0.outcome.kind == .refused },
                      missedTargets: !missedTargets.isEmpty, failOn: failOn)
    }

    /// The policy itself: unreadable files first (`2`), then missed targets (`3`), each only
    /// when `fail_on` lets it fail the job.
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
