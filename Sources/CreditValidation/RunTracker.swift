import CreditCatalog
import CreditCore
import CreditIdentifiers

/// Where the registered name of a subject can be looked up: the archive's subject registry,
/// filled from the 企业登记注册 feed.
public protocol SubjectRegistry {
    /// The registered name of `code` (canonical USCC), or nil when the registry does not know it.
    /// Throws when the registry cannot be read.
    func registeredName(code: String) throws -> String?
}

/// What the checks that look beyond one record need while one file is validated: the memory
/// (the archive's tables in a run), the registry, and buffers reused from record to record.
///
/// Make one per file: subject sightings are reported per file.
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
    var decision: [UInt8] = []

    public init(registry: (any SubjectRegistry)? = nil, memory: any RunMemory = InMemoryRunMemory()) {
        self.registry = registry
        self.memory = memory
    }

    /// The registered name of a code, asked of the registry once per code while the answer is
    /// cached; the cache is bounded (cleared when full) so that a backfill keeps its memory.
    mutating func registered(_ digest: KeyDigest, code: [UInt8]) throws -> (key: KeyDigest, name: String)? {
        if let cached = registryAnswers[digest] { return cached }
        if registryAnswers.count >= Self.registryCacheLimit { registryAnswers.removeAll(keepingCapacity: true) }
        var answer: (key: KeyDigest, name: String)?
        if let name = try registry?.registeredName(code: String(decoding: code, as: UTF8.self)) {
            var folded: [UInt8] = []
            var text = name
            text.withUTF8 { CodeCanonicalForm.append($0, removingHyphens: false, to: &folded) }
            answer = (KeyDigest(folded), name)
        }
        registryAnswers[digest] = answer
        return answer
    }
}

/// The checks of a record against its file and the archive:
/// - `DUP_RECORD` (error): its business key was already in this file (§7.6); across files the
///   archive decides (unchanged, or a new version);
/// - `USCC_NAME_CONFLICT` (warning): its subject code came with another name earlier (重码);
/// - `USCC_NAME_MISMATCH_REGISTRY` (warning): the registry knows the code under another name;
/// - `TIMELINESS_LATE` (warning): submitted after its deadline (the count feeds 及时率).
struct RunTracker: Sendable {
    let timelinessField: Int?
    let workingDays: Int
    let settings: ValidationSettings
    /// Per key part, its alternatives (`a|b`: the first with a value).
    let keyParts: [[BusinessKey.Part]]
    let subjectCode: Int?
    let subjectName: Int?
    let isRegistry: Bool

    var hasTimeliness: Bool { timelinessField != nil }

    init(item: CatalogItem, settings: ValidationSettings) {
        self.settings = settings
        timelinessField = item.timeliness.flatMap { item.fieldIndex(id: $0.decisionDate) }
        workingDays = item.timeliness?.workingDays ?? 0
        keyParts = BusinessKey.parts(of: item)
        subjectCode = item.subject.flatMap { item.fieldIndex(id: $0.code) }
        subjectName = item.subject.flatMap { item.fieldIndex(id: $0.name) }
        isRegistry = item.isRegistry
    }

    func track(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext,
               _ state: inout ValidationState, _ outcome: inout ValidationOutcome) throws {
        if let timelinessField { trackTimeliness(record, timelinessField, fields, &context, &outcome) }
        if !keyParts.isEmpty { try trackKey(record, fields, &context, &state, &outcome) }
        if let subjectCode, let subjectName {
            try trackSubject(record, subjectCode, subjectName, fields, &context, &state, &outcome)
        }
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

    /// Notes the record's key in the file's memory and sets its key and decision digests; both
    /// stay nil when the key is incomplete, and the key when it repeats one of the same file.
    private func trackKey(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext,
                          _ state: inout ValidationState, _ outcome: inout ValidationOutcome) throws {
        // A key missing a required part, or a subject (`a|b`), identifies no decision (REQUIRED or
        // REQUIRED_WHEN reports what is missing), so it is not compared; an optional part such as
        // 许可编号 counts as empty.
        state.key.removeAll(keepingCapacity: true)
        state.decision.removeAll(keepingCapacity: true)
        for alternatives in keyParts {
            var found = false
            for part in alternatives {
                guard let value = context.value(record, part.field, fields) else { continue }
                let start = state.key.count
                BusinessKey.append(value, kind: part.kind, to: &state.key)
                if !part.isSubject { state.decision.append(contentsOf: state.key[start...]) }
                found = true
                break
            }
            if !found, alternatives.count > 1 || alternatives.contains(where: \.required) { return }
            state.key.append(0x1F)
            state.decision.append(0x1F)
        }
        outcome.decisions[record] = KeyDigest(state.decision)
        guard let noted = try state.memory.noteKey(KeyDigest(state.key)) else {
            // A repeat is an error of this file, not a decision waiting for a correction.
            context.report(RuleIDs.duplicateRecord, .error, record: record)
            outcome.decisions[record] = nil
            return
        }
        outcome.keys[record] = noted
    }

    /// Strings are made only for what is kept: a (code, name) pair new to the file, a finding.
    private func trackSubject(_ record: Int, _ codeField: Int, _ nameField: Int, _ fields: RecordBatch.Fields,
                              _ context: inout RuleContext, _ state: inout ValidationState,
                              _ outcome: inout ValidationOutcome) throws {
        guard let codeValue = context.value(record, codeField, fields) else { return }
        state.code.removeAll(keepingCapacity: true)
        CodeCanonicalForm.append(codeValue, to: &state.code)
        if state.code == USCC.placeholder { return }
        let nameValue = context.value(record, nameField, fields)
        defer {
            if context.recordHasError {
                outcome.rejectedSubjects[record] = SubjectReference(
                    code: String(decoding: state.code, as: UTF8.self),
                    name: nameValue.map { ByteText.string(ByteText.trimmed($0)) } ?? "")
            }
        }
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
                                                    name: nameValue.map(ByteText.string) ?? "", isValid: valid,
                                                    isPersonal: context.item.isPersonal(field: nameField, record: record,
                                                                                        fields, context.layout)))
        }
        guard !state.name.isEmpty else { return }
        if let first = try state.memory.firstName(code: codeDigest) {
            if first.key != nameDigest {
                context.report(RuleIDs.usccNameConflict, .warning, record: record, field: nameField, value: nameValue,
                               detail: first.name, fields: fields)
            }
        } else {
            try state.memory.recordName(code: codeDigest, key: nameDigest, name: nameValue.map(ByteText.string) ?? "")
        }
        if !isRegistry, state.registry != nil {
            let code = state.code
            if let registered = try state.registered(codeDigest, code: code), registered.key != nameDigest {
                context.report(RuleIDs.usccNameMismatchRegistry, .warning, record: record, field: nameField,
                               value: nameValue, detail: registered.name, fields: fields)
            }
        }
    }
}
