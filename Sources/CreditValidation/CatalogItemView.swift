import CreditCatalog
import CreditCore

/// The parts of a catalog item that rules need at run time, resolved to field indices and byte
/// strings once, so checking a record compares bytes and never builds a `String`.
public struct CatalogItemView: Sendable {
    public let fields: [FieldSpec]
    let subjectKindField: Int?
    /// Department values of the subject-kind field and the kind each means.
    let subjectKinds: [(value: [UInt8], kind: SubjectKind)]
    /// Per field: enum code aliases (`01` → `自然人`), as bytes.
    let valueAliases: [[(code: [UInt8], value: [UInt8])]]

    public init(_ item: CatalogItem) {
        fields = item.fields
        subjectKindField = item.subjectKindField.flatMap(item.fieldIndex(id:))
        subjectKinds = item.subjectKinds.sorted { $0.key < $1.key }.map { (Array($0.key.utf8), $0.value) }
        valueAliases = item.fields.map { field in
            field.valueAliases.sorted { $0.key < $1.key }.map { (Array($0.key.utf8), Array($0.value.utf8)) }
        }
    }

    /// What kind of subject `record` is about; nil when the item has no kinds or the value is unknown.
    public func subjectKind(record: Int, _ fields: RecordBatch.Fields, _ layout: FieldLayout) -> SubjectKind? {
        guard let subjectKindField, let value = fields.field(record, subjectKindField, in: layout) else { return nil }
        return resolvingAlias(ByteText.trimmed(value), field: subjectKindField) { kind in
            for entry in subjectKinds where entry.value.withUnsafeBufferPointer({ ByteText.equal($0, kind) }) {
                return entry.kind
            }
            return nil
        }
    }

    /// Whether the value of `field` in `record` is personal data that reports must mask.
    /// A free-text field of a natural person's record counts too: 违法事实 commonly begins with the
    /// person's name, which no shape gives away.
    public func isPersonal(field: Int, record: Int, _ fields: RecordBatch.Fields, _ layout: FieldLayout) -> Bool {
        switch self.fields[field].personal {
        case .always: return true
        case .naturalPerson: return isNaturalPerson(record: record, fields, layout)
        case nil: return Self.isFreeText(self.fields[field]) && isNaturalPerson(record: record, fields, layout)
        }
    }

    /// Text a person writes as prose (违法事实, 处罚内容): a text field without a pattern whose
    /// catalog length allows sentences.
    static func isFreeText(_ field: FieldSpec) -> Bool {
        guard case .text = field.type, field.pattern == nil else { return false }
        return (field.length ?? Int.max) >= 500
    }

    /// True when the record's subject kind says 自然人. Unknown kinds count as natural persons:
    /// masking a company's name by mistake costs less than exposing a person's.
    public func isNaturalPerson(record: Int, _ fields: RecordBatch.Fields, _ layout: FieldLayout) -> Bool {
        guard subjectKindField != nil else { return false }
        return (subjectKind(record: record, fields, layout) ?? .naturalPerson) == .naturalPerson
    }

    /// `value` with full-width forms folded (`０１` is `01`) and an enum code alias of `field`
    /// resolved (`01` → `自然人`). Folding uses a stack buffer: no allocation per value.
    func resolvingAlias<Result>(_ value: UnsafeBufferPointer<UInt8>, field: Int,
                                _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(value.count, 1)) { buffer in
            let folded = UnsafeBufferPointer(rebasing: buffer[0..<ByteText.foldFullWidth(value, into: buffer)])
            for alias in valueAliases[field] where alias.code.withUnsafeBufferPointer({ ByteText.equal($0, folded) }) {
                return alias.value.withUnsafeBufferPointer(body)
            }
            return body(folded)
        }
    }
}
