import CreditCatalog
import CreditCore

/// The parts of a catalog item that rules need at run time, resolved to field indices once.
public struct CatalogItemView: Sendable {
    public let fields: [FieldSpec]
    let subjectKindField: Int?
    let naturalPersonValues: [[UInt8]]

    public init(_ item: CatalogItem) {
        fields = item.fields
        subjectKindField = item.subjectKindField.flatMap(item.fieldIndex(id:))
        naturalPersonValues = item.naturalPersonValues.map { Array($0.utf8) }
    }

    /// Whether the value of `field` in `record` is personal data that reports must mask.
    public func isPersonal(field: Int, record: Int, _ fields: RecordBatch.Fields, _ layout: FieldLayout) -> Bool {
        switch self.fields[field].personal {
        case .always: return true
        case .naturalPerson: return isNaturalPerson(record: record, fields, layout)
        case nil: return false
        }
    }

    /// True when the record's subject kind says 自然人. Unknown kinds count as natural persons:
    /// masking a company's name by mistake costs less than exposing a person's.
    public func isNaturalPerson(record: Int, _ fields: RecordBatch.Fields, _ layout: FieldLayout) -> Bool {
        guard let subjectKindField else { return false }
        guard let value = fields.field(record, subjectKindField, in: layout) else { return true }
        let kind = ByteText.trimmed(value)
        if kind.isEmpty { return true }
        return naturalPersonValues.contains { token in token.withUnsafeBufferPointer { ByteText.equal($0, kind) } }
    }
}
