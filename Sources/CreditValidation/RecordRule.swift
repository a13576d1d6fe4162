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
    public internal(set) var findings: [Finding] = []
    public internal(set) var recordHasError = false
    var scratch: [UInt8] = []

    init(layout: FieldLayout, item: CatalogItemView) {
        self.layout = layout
        self.item = item
        scratch.reserveCapacity(256)
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
