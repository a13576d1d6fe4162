/// What validation remembers beyond one record: the business keys the current file carried, and
/// the first name each subject code was seen with.
///
/// The pipeline passes the archive itself (its tables, written in the file's transaction), so a
/// crash, a resume or a file split across nights leaves the same memory as one clean run; `validate`
/// passes a throw-away database; tests an in-memory one. Methods throw when the store fails: a
/// full disk must stop the file, not turn into findings.
public protocol RunMemory: AnyObject {
    /// Notes that the current file carries `key` and returns what the archive knew of it before;
    /// nil when the file carried it already (a duplicate).
    func noteKey(_ key: KeyDigest) throws -> KeyState?
    /// Records `name` (folded: `key`) as the first name of `code` unless the code has one, and
    /// returns the first name when it is another (重码): one question per record, not a lookup
    /// and then an insert.
    func noteName(code: KeyDigest, key: KeyDigest, name: UnsafeBufferPointer<UInt8>?) throws
        -> (key: KeyDigest, name: String)?
    /// Told, before a batch's keys and names are noted one by one, every key and subject code the
    /// batch will ask about: a memory on a database server fetches their states in one round
    /// trip instead of one per record. The default does nothing.
    func prefetch(keys: [KeyDigest], codes: [KeyDigest]) throws
    /// Whether ``prefetch(keys:codes:)`` is worth gathering the batch's keys for.
    var wantsPrefetch: Bool { get }
}

extension RunMemory {
    public func prefetch(keys: [KeyDigest], codes: [KeyDigest]) throws {}
    public var wantsPrefetch: Bool { false }
}

/// A ``RunMemory`` in dictionaries, for tests and small checks: it forgets the file's keys at
/// ``startFile()``, and keeps names.
public final class InMemoryRunMemory: RunMemory {
    private var fileKeys: Set<KeyDigest> = []
    private var names: [KeyDigest: (key: KeyDigest, name: String)] = [:]

    public init() {}

    public func startFile() { fileKeys.removeAll(keepingCapacity: true) }
    public func noteKey(_ key: KeyDigest) -> KeyState? {
        fileKeys.insert(key).inserted ? KeyState(key: key) : nil
    }
    public func noteName(code: KeyDigest, key: KeyDigest, name: UnsafeBufferPointer<UInt8>?)
        -> (key: KeyDigest, name: String)?
    {
        if let first = names[code] { return first.key == key ? nil : first }
        names[code] = (key, name.map { String(decoding: $0, as: UTF8.self) } ?? "")
        return nil
    }
}

/// A business key as the archive knew it when a file first carried it: how many versions were
/// accepted, the digest of the current one's content, its row, and whether it was withdrawn.
/// Read in the same statement that notes the key, so the archive is not asked twice per record.
public struct KeyState: Sendable, Hashable {
    public var key: KeyDigest
    /// Accepted versions so far (0: the key was never accepted).
    public var version: Int64
    public var content: KeyDigest?
    public var currentRow: Int64?
    public var withdrawn: Bool

    public init(key: KeyDigest, version: Int64 = 0, content: KeyDigest? = nil, currentRow: Int64? = nil,
                withdrawn: Bool = false) {
        self.key = key
        self.version = version
        self.content = content
        self.currentRow = currentRow
        self.withdrawn = withdrawn
    }
}
