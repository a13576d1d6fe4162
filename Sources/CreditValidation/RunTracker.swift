import CreditCatalog
import CreditCore
import CreditIdentifiers

/// Where the registered name of a subject can be looked up: the archive's subject registry,
/// filled from the 企业登记注册 feed.
public protocol SubjectRegistry {
    /// The registered name of `code` (canonical USCC), or nil when the registry does not know it.
    func registeredName(code: String) -> String?
}

/// Where a run remembers what it has seen: business keys, and the first name of each subject
/// code. In memory for small inputs and tests; the pipeline passes one kept on disk, so that a
/// backfill of hundreds of millions of records runs in bounded memory.
public protocol RunMemory: AnyObject {
    /// Records a business key; false when the run had already seen it.
    func insertKey(_ key: KeyDigest) -> Bool
    /// The first name recorded for `code`: its folded key and its text.
    func firstName(code: KeyDigest) -> (key: KeyDigest, name: String)?
    /// Records the first name of a code not seen before.
    func recordName(code: KeyDigest, key: KeyDigest, name: String)
    /// Starts a file: what it records is kept only if ``commitFile()`` follows.
    func beginFile()
    func commitFile()
    /// Forgets what the current file recorded (it was not archived).
    func rollbackFile()
}

/// A ``RunMemory`` in dictionaries: 16 bytes per key and about 100 per code.
public final class InMemoryRunMemory: RunMemory {
    private var keys: Set<KeyDigest> = []
    private var names: [KeyDigest: (key: KeyDigest, name: String)] = [:]
    private var fileKeys: Set<KeyDigest> = []
    private var fileNames: [KeyDigest: (key: KeyDigest, name: String)] = [:]

    public init() {}

    public func insertKey(_ key: KeyDigest) -> Bool {
        !keys.contains(key) && fileKeys.insert(key).inserted
    }

    public func firstName(code: KeyDigest) -> (key: KeyDigest, name: String)? { names[code] ?? fileNames[code] }
    public func recordName(code: KeyDigest, key: KeyDigest, name: String) { fileNames[code] = (key, name) }
    public func beginFile() { rollbackFile() }

    public func commitFile() {
        keys.formUnion(fileKeys)
        names.merge(fileNames) { first, _ in first }
        rollbackFile()
    }

    public func rollbackFile() {
        fileKeys.removeAll(keepingCapacity: true)
        fileNames.removeAll(keepingCapacity: true)
    }
}

/// What the checks that look beyond one record have seen in this run, for one item.
public struct ValidationState {
    let memory: any RunMemory
    /// (code, name key) pairs already reported for the current file: a bounded cache, since the
    /// archive's unique index on subject_codes drops any repeat that gets past it.
    var fileSubjects: Set<KeyDigest> = []
    static let fileSubjectsLimit = 1 << 20
    static let registryCacheLimit = 1 << 18
    let registry: (any SubjectRegistry)?
    /// The registry's answer per code (digest): the registered name's key and text, or nil.
    var registryAnswers: [KeyDigest: (key: KeyDigest, name: String)?] = [:]
    /// Buffers reused from record to record: the canonical code, the folded name, a key.
    var code: [UInt8] = []
    var name: [UInt8] = []
    var key: [UInt8] = []

    public init(registry: (any SubjectRegistry)? = nil, memory: any RunMemory = InMemoryRunMemory()) {
        self.registry = registry
        self.memory = memory
    }

    /// Call before each file: subject sightings are reported per file, and what the file records
    /// in the run's memory is kept only when ``commitFile()`` follows.
    public mutating func startFile() {
        fileSubjects.removeAll(keepingCapacity: true)
        memory.beginFile()
    }

    /// The file was archived: its keys and names stay in the run's memory.
    public func commitFile() { memory.commitFile() }

    /// The file was not archived: forget what it recorded.
    public func rollbackFile() { memory.rollbackFile() }

    /// The registered name of a code, asked of the registry once per code while the answer is
    /// cached; the cache is bounded (cleared when full) so that a backfill keeps its memory.
    mutating func registered(_ digest: KeyDigest, code: [UInt8]) -> (key: KeyDigest, name: String)? {
        if let cached = registryAnswers[digest] { return cached }
        if registryAnswers.count >= Self.registryCacheLimit { registryAnswers.removeAll(keepingCapacity: true) }
        var answer: (key: KeyDigest, name: String)?
        if let name = registry?.registeredName(code: String(decoding: code, as: UTF8.self)) {
            var folded: [UInt8] = []
            var text = name
            text.withUTF8 { CodeCanonicalForm.append($0, removingHyphens: false, to: &folded) }
            answer = (KeyDigest(folded), name)
        }
        registryAnswers[digest] = answer
        return answer
    }
}

/// A 128-bit digest of a business key: two independent 64-bit FNV-1a hashes (forwards and
/// backwards), so that a false duplicate among even billions of keys is not a practical concern.
public struct KeyDigest: Hashable, Sendable {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(_ bytes: [UInt8]) {
        var forward: UInt64 = 0xCBF2_9CE4_8422_2325, backward: UInt64 = 0x6C62_272E_07BB_0142
        for byte in bytes {
            forward = (forward ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        for byte in bytes.reversed() {
            backward = (backward ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        high = forward
        low = backward
    }
}

/// The checks of a record against the run so far:
/// - `DUP_RECORD` (error): its business key was already seen in this run (§7.6);
/// - `USCC_NAME_CONFLICT` (warning): its subject code came with another name earlier (重码);
/// - `USCC_NAME_MISMATCH_REGISTRY` (warning): the registry knows the code under another name;
/// - `TIMELINESS_LATE` (warning): submitted after its deadline (the count feeds 及时率).
struct RunTracker: Sendable {
    let timelinessField: Int?
    let workingDays: Int
    let settings: ValidationSettings
    /// Per key part, its alternatives (`a|b`: the first with a value), whether each is a code and
    /// whether it is required.
    let keyParts: [[(field: Int, isCode: Bool, required: Bool)]]
    let subjectCode: Int?
    let subjectName: Int?
    let isRegistry: Bool

    var hasTimeliness: Bool { timelinessField != nil }

    init(item: CatalogItem, settings: ValidationSettings) {
        self.settings = settings
        timelinessField = item.timeliness.flatMap { item.fieldIndex(id: $0.decisionDate) }
        workingDays = item.timeliness?.workingDays ?? 0
        keyParts = item.businessKey.map { part in
            part.split(separator: "|").compactMap { id in
                item.fieldIndex(id: String(id)).map { index in
                    var isCode = false
                    if case .code = item.fields[index].type { isCode = true }
                    return (index, isCode, item.fields[index].required)
                }
            }
        }
        subjectCode = item.subject.flatMap { item.fieldIndex(id: $0.code) }
        subjectName = item.subject.flatMap { item.fieldIndex(id: $0.name) }
        isRegistry = item.isRegistry
    }

    func track(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext,
               _ state: inout ValidationState, _ outcome: inout ValidationOutcome) {
        if let timelinessField { trackTimeliness(record, timelinessField, fields, &context, &outcome) }
        if !keyParts.isEmpty { trackKey(record, fields, &context, &state) }
        if let subjectCode, let subjectName { trackSubject(record, subjectCode, subjectName, fields, &context, &state, &outcome) }
    }

    private func trackTimeliness(_ record: Int, _ field: Int, _ fields: RecordBatch.Fields,
                                 _ context: inout RuleContext, _ outcome: inout ValidationOutcome) {
        guard let decided = dateValue(record, field, fields, context), decided <= settings.submitted,
              let deadline = settings.calendar?.deadline(after: decided, workingDays: workingDays) else {
            outcome.timeliness.unknown += 1
            return
        }
        if settings.submitted <= deadline {
            outcome.timeliness.timely += 1
        } else {
            outcome.timeliness.late += 1
            context.report(RuleIDs.timelinessLate, .warning, record: record, field: field,
                           value: fields.field(record, field, in: context.layout), detail: deadline.description,
                           fields: fields)
        }
    }

    private func trackKey(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext,
                          _ state: inout ValidationState) {
        // A key missing a required part, or a subject (`a|b`), identifies no decision (REQUIRED or
        // REQUIRED_WHEN reports what is missing), so it is not compared; an optional part such as
        // 许可编号 counts as empty.
        state.key.removeAll(keepingCapacity: true)
        for alternatives in keyParts {
            var found = false
            for part in alternatives {
                guard let value = context.value(record, part.field, fields) else { continue }
                if part.isCode {
                    CodeCanonicalForm.append(value, to: &state.key)
                } else {
                    state.key.append(contentsOf: value)
                }
                found = true
                break
            }
            if !found, alternatives.count > 1 || alternatives.contains(where: \.required) { return }
            state.key.append(0x1F)
        }
        if !state.memory.insertKey(KeyDigest(state.key)) {
            context.report(RuleIDs.duplicateRecord, .error, record: record)
        }
    }

    /// Strings are made only for what is kept: a (code, name) pair new to the file, a finding.
    private func trackSubject(_ record: Int, _ codeField: Int, _ nameField: Int, _ fields: RecordBatch.Fields,
                              _ context: inout RuleContext, _ state: inout ValidationState,
                              _ outcome: inout ValidationOutcome) {
        guard let codeValue = context.value(record, codeField, fields) else { return }
        state.code.removeAll(keepingCapacity: true)
        CodeCanonicalForm.append(codeValue, to: &state.code)
        if state.code == USCC.placeholder { return }
        let nameValue = context.value(record, nameField, fields)
        state.name.removeAll(keepingCapacity: true)
        if let nameValue { CodeCanonicalForm.append(nameValue, removingHyphens: false, to: &state.name) }
        let codeDigest = KeyDigest(state.code), nameDigest = KeyDigest(state.name)
        state.key.removeAll(keepingCapacity: true)
        state.key.append(contentsOf: state.code)
        state.key.append(0x1F)
        state.key.append(contentsOf: state.name)
        if state.fileSubjects.count >= ValidationState.fileSubjectsLimit { state.fileSubjects.removeAll(keepingCapacity: true) }
        if state.fileSubjects.insert(KeyDigest(state.key)).inserted {
            let valid = state.code.withUnsafeBufferPointer { USCC.check($0, reference: settings.identifiers) }.status != .invalid
            outcome.subjects.append(SubjectSighting(code: String(decoding: state.code, as: UTF8.self),
                                                    nameKey: String(decoding: state.name, as: UTF8.self),
                                                    name: nameValue.map(ByteText.string) ?? "", isValid: valid))
        }
        guard !state.name.isEmpty else { return }
        if let first = state.memory.firstName(code: codeDigest) {
            if first.key != nameDigest {
                context.report(RuleIDs.usccNameConflict, .warning, record: record, field: nameField, value: nameValue,
                               detail: first.name, fields: fields)
            }
        } else {
            state.memory.recordName(code: codeDigest, key: nameDigest, name: nameValue.map(ByteText.string) ?? "")
        }
        if !isRegistry, state.registry != nil {
            let code = state.code
            if let registered = state.registered(codeDigest, code: code), registered.key != nameDigest {
                context.report(RuleIDs.usccNameMismatchRegistry, .warning, record: record, field: nameField,
                               value: nameValue, detail: registered.name, fields: fields)
            }
        }
    }
}
