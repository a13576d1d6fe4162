import CreditCatalog
import CreditCore
import CreditIdentifiers

/// What the record checks carry from record to record of one file: the (code, name) pairs the
/// file has shown, and buffers reused from record to record. Owned by the thread that checks
/// records, so that checking and archiving run side by side.
public struct RecordScratch: Sendable {
    /// (code, name key) pairs already reported for the current file: a bounded cache, since the
    /// archive's unique index on subject_codes drops any repeat that gets past it. 65,536 pairs
    /// (about 1.5 MB) catch a file's repeats; the memory goes to SQLite's page cache instead.
    var fileSubjects: Set<KeyDigest> = []
    static let fileSubjectsLimit = 1 << 16
    /// Buffers: the canonical code, the folded name, a key, a decision.
    var code: [UInt8] = []
    var name: [UInt8] = []
    var key: [UInt8] = []
    var decision: [UInt8] = []

    public init() {}
}

/// What a record gives the checks beyond its own fields: its timeliness (`TIMELINESS_LATE`, a
/// warning: submitted after its deadline; the count feeds 及时率), its business key and decision
/// digests, and its subject's code and name, which the history stage (`CreditHistory`) compares
/// with the archive. Validation words what that stage decides:
/// - `DUP_RECORD` (error): its business key was already in this file (§7.6);
/// - `USCC_NAME_CONFLICT` (warning): its subject code came with another name earlier (重码);
/// - `USCC_NAME_MISMATCH_REGISTRY` (warning): the registry knows the code under another name.
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

    /// The record's own part (no archive): timeliness, its key and decision digests, the subject
    /// pairs new to the file, and the probes the archive checks need.
    func prepare(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext,
                 _ scratch: inout RecordScratch, _ outcome: inout ValidationOutcome) {
        if let timelinessField { trackTimeliness(record, timelinessField, fields, &context, &outcome) }
        if !keyParts.isEmpty { prepareKey(record, fields, &context, &scratch, &outcome) }
        if let subjectCode, let subjectName {
            prepareSubject(record, subjectCode, subjectName, fields, &context, &scratch, &outcome)
        }
    }

    /// Whether the registry is asked about this item's subjects: not for the registry's own item.
    var checksRegistry: Bool { !isRegistry && subjectCode != nil && subjectName != nil }

    /// A record's subject code in its canonical form, as the registry is keyed.
    func canonicalCode(_ record: Int, _ fields: RecordBatch.Fields, _ context: RuleContext, into code: inout [UInt8]) -> Bool {
        guard let subjectCode, let value = context.value(record, subjectCode, fields) else { return false }
        code.removeAll(keepingCapacity: true)
        CodeCanonicalForm.append(value, to: &code)
        return true
    }

    /// Words what the history decided about one record (``HistoryVerdicts``) as the findings
    /// of its file: `DUP_RECORD` (an error: the record is rejected, and leaves no decision to
    /// correct), 重码 and the registry's other name (warnings, on the subject's name).
    func word(_ record: Int, duplicate: Bool, conflict: String?, registered: String?, _ fields: RecordBatch.Fields,
              _ context: inout RuleContext, _ outcome: inout ValidationOutcome) {
        if duplicate {
            context.report(RuleIDs.duplicateRecord, .error, record: record)
            outcome.decisions[record] = nil
            if let subjectCode, let subjectName, outcome.rejectedSubjects[record] == nil,
               let reference = subjectReference(record, subjectCode, subjectName, fields, context) {
                outcome.rejectedSubjects[record] = reference
            }
        }
        guard let subjectName else { return }
        let nameValue = context.value(record, subjectName, fields)
        if let conflict {
            context.report(RuleIDs.usccNameConflict, .warning, record: record, field: subjectName, value: nameValue,
                           detail: conflict, fields: fields)
        }
        if let registered {
            context.report(RuleIDs.usccNameMismatchRegistry, .warning, record: record, field: subjectName,
                           value: nameValue, detail: registered, fields: fields)
        }
    }

    /// The subject's name as a record gives it (trimmed): the text a first name is kept as.
    func subjectName(_ record: Int, _ fields: RecordBatch.Fields, _ context: RuleContext) -> String {
        guard let subjectName, let value = context.value(record, subjectName, fields) else { return "" }
        return String(decoding: value, as: UTF8.self)
    }

    private func trackTimeliness(_ record: Int, _ field: Int, _ fields: RecordBatch.Fields,
                                 _ context: inout RuleContext, _ outcome: inout ValidationOutcome) {
        guard let decided = dateValue(record, field, fields, context), decided <= settings.submitted,
              let deadline = settings.calendar?.deadline(after: decided, workingDays: workingDays) else {
            outcome.timeliness.unknown += 1
            outcome.timelinessVerdicts[record] = .unknown
            return
        }
        if settings.submitted <= deadline {
            outcome.timeliness.timely += 1
            outcome.timelinessVerdicts[record] = .timely
        } else {
            outcome.timeliness.late += 1
            outcome.timelinessVerdicts[record] = .late
            context.report(RuleIDs.timelinessLate, .warning, record: record, field: field,
                           value: fields.field(record, field, in: context.layout), detail: deadline.description,
                           fields: fields)
        }
    }

    /// Sets the record's key and decision digests; both stay nil when the key is incomplete.
    private func prepareKey(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext,
                            _ scratch: inout RecordScratch, _ outcome: inout ValidationOutcome) {
        // A key missing a required part, or a subject (`a|b`), identifies no decision (REQUIRED or
        // REQUIRED_WHEN reports what is missing), so it is not compared; an optional part such as
        // 许可编号 counts as empty.
        scratch.key.removeAll(keepingCapacity: true)
        scratch.decision.removeAll(keepingCapacity: true)
        for alternatives in keyParts {
            var found = false
            for part in alternatives {
                guard let value = context.value(record, part.field, fields) else { continue }
                let start = scratch.key.count
                BusinessKey.append(value, kind: part.kind, to: &scratch.key)
                if !part.isSubject { scratch.decision.append(contentsOf: scratch.key[start...]) }
                found = true
                break
            }
            if !found, alternatives.count > 1 || alternatives.contains(where: \.required) { return }
            scratch.key.append(0x1F)
            scratch.decision.append(0x1F)
        }
        outcome.decisions[record] = KeyDigest(scratch.decision)
        outcome.pendingKeys[record] = KeyDigest(scratch.key)
    }

    /// Strings are made only for what is kept: a (code, name) pair new to the file, a finding.
    private func prepareSubject(_ record: Int, _ codeField: Int, _ nameField: Int, _ fields: RecordBatch.Fields,
                                _ context: inout RuleContext, _ scratch: inout RecordScratch,
                                _ outcome: inout ValidationOutcome) {
        guard let codeValue = context.value(record, codeField, fields) else { return }
        scratch.code.removeAll(keepingCapacity: true)
        CodeCanonicalForm.append(codeValue, to: &scratch.code)
        if scratch.code == USCC.placeholder { return }
        let nameValue = context.value(record, nameField, fields)
        if context.recordHasError {
            outcome.rejectedSubjects[record] = SubjectReference(
                code: String(decoding: scratch.code, as: UTF8.self),
                name: nameValue.map { ByteText.string(ByteText.trimmed($0)) } ?? "")
        }
        scratch.name.removeAll(keepingCapacity: true)
        if let nameValue { CodeCanonicalForm.append(nameValue, removingHyphens: false, to: &scratch.name) }
        let codeDigest = KeyDigest(scratch.code), nameDigest = KeyDigest(scratch.name)
        scratch.key.removeAll(keepingCapacity: true)
        scratch.key.append(contentsOf: scratch.code)
        scratch.key.append(0x1F)
        scratch.key.append(contentsOf: scratch.name)
        if scratch.fileSubjects.count >= RecordScratch.fileSubjectsLimit { scratch.fileSubjects.removeAll(keepingCapacity: true) }
        if !(context.rejectedBefore && context.recordHasError), scratch.fileSubjects.insert(KeyDigest(scratch.key)).inserted {
            let valid = scratch.code.withUnsafeBufferPointer { USCC.check($0, reference: settings.identifiers) }.status != .invalid
            outcome.subjects.append(SubjectSighting(code: String(decoding: scratch.code, as: UTF8.self),
                                                    nameKey: String(decoding: scratch.name, as: UTF8.self),
                                                    name: nameValue.map(ByteText.string) ?? "", isValid: valid,
                                                    isPersonal: context.item.isPersonal(field: nameField, record: record,
                                                                                        fields, context.layout)))
        }
        guard !scratch.name.isEmpty else { return }
        outcome.subjectProbes[record] = SubjectProbe(code: codeDigest, name: nameDigest)
    }

    /// The subject of a record rejected by the archive checks (`DUP_RECORD`), as the record
    /// checks would have kept it.
    private func subjectReference(_ record: Int, _ codeField: Int, _ nameField: Int, _ fields: RecordBatch.Fields,
                                  _ context: RuleContext) -> SubjectReference? {
        guard let codeValue = context.value(record, codeField, fields) else { return nil }
        var code: [UInt8] = []
        CodeCanonicalForm.append(codeValue, to: &code)
        if code == USCC.placeholder { return nil }
        return SubjectReference(code: String(decoding: code, as: UTF8.self),
                                name: context.value(record, nameField, fields).map { ByteText.string(ByteText.trimmed($0)) } ?? "")
    }
}
