import CreditArchive
import CreditCore

/// What a run did, for the command line and for callers embedding the pipeline.
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

    /// One file's outcome with its counts when it was archived.
    public struct FileSummary: Sendable {
        public var outcome: FileOutcome
        public var counts: QualityCounts?
        /// For a duplicate: the run that archived this content first.
        public var firstRun: Int64?
    }
}
