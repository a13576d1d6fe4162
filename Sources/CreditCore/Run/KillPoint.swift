#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Named moments of a run where a test makes the process die as a power cut would, to prove that
/// a kill there loses nothing: `CREDIT_ETL_KILL_AT=<name>` in the environment sends the process
/// SIGKILL when it reaches the point of that name. Random kill points rarely land in short
/// phases (a run's completion, its report); these make each of them a test case of its own.
///
/// Read once; at a point not named it costs a comparison.
public enum KillPoint: String, Sendable, CaseIterable {
    /// Every file of the run handled, its completion not yet committed.
    case beforeCompletion = "before-completion"
    /// The run's completion committed, its report not yet rendered.
    case afterCompletion = "after-completion"
    /// The report's files written beside their folder, not yet moved into place.
    case reportWritten = "report-written"
    /// A publication export's changes recorded in the ledger, its files not yet written.
    case publicationRecorded = "publication-recorded"
    /// A publication export's files written beside their folder, not yet moved into place.
    case publicationWritten = "publication-written"

    /// The points a `run` passes (the others are `publish`'s).
    public static let run: [KillPoint] = [.beforeCompletion, .afterCompletion, .reportWritten]

    private static let requested: KillPoint? = getenv("CREDIT_ETL_KILL_AT").flatMap { KillPoint(rawValue: String(cString: $0)) }

    /// Dies here if the environment asks for this point.
    public func reach() {
        if Self.requested == self { kill(getpid(), SIGKILL) }
    }
}
