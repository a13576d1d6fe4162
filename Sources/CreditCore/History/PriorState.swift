/// What the archive knew, before a batch, of the batch's business keys, subject codes and
/// decisions: everything the history stage (`CreditHistory`) decides a record's fate from.
///
/// A backend fills it in one go per batch (``HistoryQuestions`` say what to read), so the
/// decision itself is a pure function and both backends share it. Digests are the stage's own,
/// not scoped to an item: scoping is how a backend stores them. Reused from batch to batch.
public struct PriorState: Sendable {
    /// Per business key the archive had heard of: its state before this batch.
    public var keys: [KeyDigest: KeyHistory] = [:]
    /// Per subject code: the first name it came with in this item (重码 compares with it).
    public var firstNames: [KeyDigest: SubjectName] = [:]
    /// Per subject code: its name in the subject registry (企业登记注册), when the registry knows it.
    public var registered: [KeyDigest: SubjectName] = [:]
    /// Per decision rejected and not corrected since: whether this very file rejected it (a
    /// file does not correct itself). Read only when corrections are possible at all.
    public var rejectedDecisions: [KeyDigest: Bool] = [:]

    public init() {}

    public mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        firstNames.removeAll(keepingCapacity: true)
        registered.removeAll(keepingCapacity: true)
        rejectedDecisions.removeAll(keepingCapacity: true)
    }
}

/// A business key as the archive knew it: whether the current file carried it already, how
/// many versions were accepted, the current one's content digest and row, and whether it was
/// withdrawn.
public struct KeyHistory: Sendable, Hashable {
    /// True when an earlier batch of the same file carried the key: a repeat (`DUP_RECORD`).
    public var carriedByThisFile: Bool
    /// Accepted versions so far (0: carried before, but never accepted).
    public var version: Int64
    public var content: KeyDigest?
    public var currentRow: Int64?
    public var withdrawn: Bool

    public init(carriedByThisFile: Bool = false, version: Int64 = 0, content: KeyDigest? = nil,
                currentRow: Int64? = nil, withdrawn: Bool = false) {
        self.carriedByThisFile = carriedByThisFile
        self.version = version
        self.content = content
        self.currentRow = currentRow
        self.withdrawn = withdrawn
    }
}

/// A subject's name: folded for comparison (`key`) and as it was received (`name`).
public struct SubjectName: Sendable, Hashable {
    public var key: KeyDigest
    public var name: String

    public init(key: KeyDigest, name: String) {
        self.key = key
        self.name = name
    }
}

/// What a batch asks of the archive before its records' fates can be decided: its keys, its
/// subject codes, the codes to look up in the registry (with their canonical text, which the
/// registry is keyed by) and its decisions. Each digest once. Reused from batch to batch.
public struct HistoryQuestions: Sendable {
    public var keys: [KeyDigest] = []
    public var codes: [KeyDigest] = []
    /// Codes whose registered name is wanted, with their canonical text; empty for the registry's
    /// own item and for items without a subject.
    public var registryCodes: [(digest: KeyDigest, code: String)] = []
    public var decisions: [KeyDigest] = []

    public init() {}

    /// The questions of `outcome`'s records: every key and code once, and the decisions of the
    /// records that have one. `registryCode(record)` gives a record's canonical code when the
    /// registry is to be asked about it.
    public mutating func ask(about outcome: ValidationOutcome, registryCode: ((Int) -> String?)? = nil) {
        keys.removeAll(keepingCapacity: true)
        codes.removeAll(keepingCapacity: true)
        registryCodes.removeAll(keepingCapacity: true)
        decisions.removeAll(keepingCapacity: true)
        var seenCodes = Set<KeyDigest>()
        for record in 0..<outcome.pendingKeys.count {
            if let key = outcome.pendingKeys[record] { keys.append(key) }
            if let decision = outcome.decisions[record] { decisions.append(decision) }
            guard let probe = outcome.subjectProbes[record], seenCodes.insert(probe.code).inserted else { continue }
            codes.append(probe.code)
            if let registryCode, let code = registryCode(record) { registryCodes.append((probe.code, code)) }
        }
    }
}
