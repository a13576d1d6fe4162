/// What validation remembers beyond one record: the business keys the current file carried, and
/// the first name each subject code was seen with.
///
/// The pipeline passes the archive itself (its tables, written in the file's transaction), so a
/// crash, a resume or a file split across nights leaves the same memory as one clean run; `validate`
/// passes a throw-away database; tests an in-memory one. Methods throw when the store fails: a
/// full disk must stop the file, not turn into findings.
public protocol RunMemory: AnyObject {
    /// Notes that the current file carries `key`; false when the file carried it already.
    func noteKey(_ key: KeyDigest) throws -> Bool
    /// The first name recorded for `code`: its folded key and its text.
    func firstName(code: KeyDigest) throws -> (key: KeyDigest, name: String)?
    /// Records the first name of a code not seen before.
    func recordName(code: KeyDigest, key: KeyDigest, name: String) throws
}

/// A ``RunMemory`` in dictionaries, for tests and small checks: it forgets the file's keys at
/// ``startFile()``, and keeps names.
public final class InMemoryRunMemory: RunMemory {
    private var fileKeys: Set<KeyDigest> = []
    private var names: [KeyDigest: (key: KeyDigest, name: String)] = [:]

    public init() {}

    public func startFile() { fileKeys.removeAll(keepingCapacity: true) }
    public func noteKey(_ key: KeyDigest) -> Bool { fileKeys.insert(key).inserted }
    public func firstName(code: KeyDigest) -> (key: KeyDigest, name: String)? { names[code] }
    public func recordName(code: KeyDigest, key: KeyDigest, name: String) { names[code] = (key, name) }
}
