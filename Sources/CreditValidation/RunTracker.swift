import CreditCatalog
import CreditCore
import CreditIdentifiers

/// Where the registered name of a subject can be looked up: the archive's subject registry,
/// filled from the 企业登记注册 feed.
public protocol SubjectRegistry {
    /// The registered name of `code` (canonical USCC), or nil when the registry does not know it.
    func registeredName(code: String) -> String?
}

/// What the checks that look beyond one record have seen in this run, for one item.
public struct ValidationState {
    /// Business keys seen, as 128-bit digests: 16 bytes a record instead of the key's text.
    var keys: Set<KeyDigest> = []
    /// The first name each subject code was seen with.
    var names: [String: (key: String, name: String)] = [:]
    /// (code, name key) pairs already reported for the current file.
    var fileSubjects: Set<String> = []
    let registry: (any SubjectRegistry)?
    var registryAnswers: [String: String?] = [:]

    public init(registry: (any SubjectRegistry)? = nil) {
        self.registry = registry
    }

    /// Call before each file: subject sightings are reported per file.
    public mutating func startFile() {
        fileSubjects.removeAll(keepingCapacity: true)
    }

    mutating func registeredName(_ code: String) -> String? {
        if let cached = registryAnswers[code] { return cached }
        let answer = registry?.registeredName(code: code)
        registryAnswers[code] = answer
        return answer
    }
}

/// A 128-bit digest of a business key: two independent 64-bit FNV-1a hashes (forwards and
/// backwards), so that a false duplicate among even billions of keys is not a practical concern.
struct KeyDigest: Hashable {
    let high: UInt64
    let low: UInt64

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
    /// Per key part, its alternatives (`a|b`: the first with a value) and whether each is a code.
    let keyParts: [[(field: Int, isCode: Bool)]]
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
                    return (index, isCode)
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
        var key: [UInt8] = []
        var hasValue = false
        for alternatives in keyParts {
            for part in alternatives {
                guard let value = context.value(record, part.field, fields) else { continue }
                if part.isCode { CodeCanonicalForm.append(value, to: &key) } else { key.append(contentsOf: value) }
                hasValue = true
                break
            }
            key.append(0x1F)
        }
        guard hasValue else { return }
        if !state.keys.insert(KeyDigest(key)).inserted {
            context.report(RuleIDs.duplicateRecord, .error, record: record)
        }
    }

    private func trackSubject(_ record: Int, _ codeField: Int, _ nameField: Int, _ fields: RecordBatch.Fields,
                              _ context: inout RuleContext, _ state: inout ValidationState,
                              _ outcome: inout ValidationOutcome) {
        guard let codeValue = context.value(record, codeField, fields) else { return }
        var canonical: [UInt8] = []
        CodeCanonicalForm.append(codeValue, to: &canonical)
        if canonical == USCC.placeholder { return }
        let nameValue = context.value(record, nameField, fields)
        var nameKey: [UInt8] = []
        if let nameValue { CodeCanonicalForm.append(nameValue, removingHyphens: false, to: &nameKey) }
        let code = String(decoding: canonical, as: UTF8.self)
        let key = String(decoding: nameKey, as: UTF8.self)
        let name = nameValue.map(ByteText.string) ?? ""
        if state.fileSubjects.insert(code + "\u{1F}" + key).inserted {
            let valid = canonical.withUnsafeBufferPointer { USCC.check($0, reference: settings.identifiers) }.status != .invalid
            outcome.subjects.append(SubjectSighting(code: code, nameKey: key, name: name, isValid: valid))
        }
        guard !key.isEmpty else { return }
        if let first = state.names[code] {
            if first.key != key {
                context.report(RuleIDs.usccNameConflict, .warning, record: record, field: nameField, value: nameValue,
                               detail: first.name, fields: fields)
            }
        } else {
            state.names[code] = (key, name)
        }
        if !isRegistry, let registered = state.registeredName(code) {
            var registeredKey: [UInt8] = []
            var text = registered
            text.withUTF8 { CodeCanonicalForm.append($0, removingHyphens: false, to: &registeredKey) }
            if registeredKey != nameKey {
                context.report(RuleIDs.usccNameMismatchRegistry, .warning, record: record, field: nameField,
                               value: nameValue, detail: registered, fields: fields)
            }
        }
    }
}
