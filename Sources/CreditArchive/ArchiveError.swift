/// Why the archive could not be opened or written. Such an error stops the run: the archive is
/// left as it was before the failing file.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    public var path: String
    /// What happened and what to do.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
