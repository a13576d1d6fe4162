#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        // Without its `.waiting` file the test cannot know the run is held: do not hold it.
        let waiting = open(requested.path + ".waiting", O_CREAT | O_WRONLY, 0o600)
        guard waiting >= 0 else { return }
        close(waiting)
        for _ in 0..<600 where access(requested.path, F_OK) != 0 {
            usleep(100_000)
        }
    }
}
