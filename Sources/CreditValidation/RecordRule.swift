import CreditCatalog
import CreditCore

/// A check of one record. Rules are small values compiled once per item from the catalog, then
/// run on every record; each appends what it finds to the context.
public protocol RecordRule: Sendable {
    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext)
}

/// What rules share while checking a batch: the layout of the source, the findings so far, and a
/// scratch buffer for canonical forms (so checking a code allocates nothing).
public struct RuleContext {
    public let layout: FieldLayout
    public let item: CatalogItemView
    let emptyTokens: EmptyTokens
    public internal(set) var findings: [Finding] = []
    public internal(set) var recordHasError = false
    /// The record's bytes were rejected before (``RepeatMarks/Fate/rejectedBefore``): if rejected
    /// again, its subject is not sighted again (its code was counted when first sent).
    var rejectedBefore = false
    /// The subject kind of the record being checked, found once per record.
    public internal(set) var subjectKind: SubjectKind?
    /// The record's decision date when the item's standard has editions (``StandardEditions``):
    /// which edition's requirements apply. Nil when unknown (the latest edition applies).
    var decided: CivilDate?
    var scratch: [UInt8] = []

    init(layout: FieldLayout, item: CatalogItemView, emptyTokens: EmptyTokens = .standard) {
        self.layout = layout
        self.item = item
        self.emptyTokens = emptyTokens
        scratch.reserveCapacity(256)
    }

    /// The trimmed value of `field` in `record`, or nil when it is absent or an empty token.
    func value(_ record: Int, _ field: Int, _ fields: RecordBatch.Fields) -> UnsafeBufferPointer<UInt8>? {
        guard let raw = fields.field(record, field, in: layout) else { return nil }
        let trimmed = ByteText.trimmed(raw)
        return emptyTokens.isEmpty(trimmed) ? nil : trimmed
    }

    /// Records a finding about `field` of `record`; the offending value is copied only here.
    public mutating func report(_ rule: RuleID, _ severity: Severity, record: Int, field: Int,
                                value: UnsafeBufferPointer<UInt8>?, detail: String? = nil,
                                fields: RecordBatch.Fields) {
        if severity == .error { recordHasError = true }
        let spec = item.fields[field]
        findings.append(Finding(record: record, rule: rule, severity: severity, field: spec.id,
                                value: value.map { ByteText.string(ByteText.trimmed($0)) },
                                detail: detail, isPersonal: item.isPersonal(field: field, record: record, fields, layout)))
    }

    /// Records a finding about the record as a whole.
    public mutating func report(_ rule: RuleID, _ severity: Severity, record: Int, detail: String? = nil) {
        if severity == .error { recordHasError = true }
        findings.append(Finding(record: record, rule: rule, severity: severity, detail: detail))
    }
}
