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

    private static let requested: KillPoint? = getenv("CREDIT_ETL_KILL_AT").flatMap { KillPoint(rawValue: String(cString: $0)) }

    /// Dies here if the environment asks for this point.
    public func reach() {
        if Self.requested == self { kill(getpid(), SIGKILL) }
    }
}

/// Named moments where a test holds the run to change the world under it (an inbox entry swapped
/// between listing and opening): with `CREDIT_ETL_PAUSE_AT=<name>:<path>` the process creates
/// `<path>.waiting` when it reaches the point, then waits (at most a minute) until `<path>` exists.
public enum TestHook: String, Sendable, CaseIterable {
    /// The inbox listed and settled, no file opened yet.
    case afterListing = "after-listing"
    /// Between the two looks of the settle watch: a file changed now is still being written.
    case whileSettling = "while-settling"

    private static let requested: (hook: TestHook, path: String)? = getenv("CREDIT_ETL_PAUSE_AT").flatMap { value in
        let text = String(cString: value)
        guard let colon = text.firstIndex(of: ":"), let hook = TestHook(rawValue: String(text[..<colon])) else { return nil }
        return (hook, String(text[text.index(after: colon)...]))
    }

    /// Waits here if the environment asks for this point.
    public func pause() {
        guard let requested = Self.requested, requested.hook == self else { return }
        let waiting = open(requested.path + ".waiting", O_CREAT | O_WRONLY, 0o600)
        if waiting >= 0 { close(waiting) }
        for _ in 0..<600 where access(requested.path, F_OK) != 0 {
            usleep(100_000)
        }
    }
}
