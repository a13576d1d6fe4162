import CreditCatalog
import CreditCore

/// File-level findings about a header: columns the catalog does not know (their values are
/// archived beside the record, unvalidated) and required fields no column supplies. Optional
/// fields may be left out: departments commonly drop columns they never fill.
public enum HeaderRules {
    public static let unknownColumn: RuleID = "HEADER_UNKNOWN_COLUMN"
    public static let missingField: RuleID = "HEADER_MISSING_FIELD"
    public static let repeatedColumn: RuleID = "HEADER_REPEATED_COLUMN"

    public static func findings(_ mapping: HeaderMapping, item: CatalogItem) -> [Finding] {
        // `_extra` is where XML and JSON sources keep keys the catalog does not know: not a column a department sent.
        mapping.unknownColumns.filter { $0 != "_extra" }
            .map { Finding(record: nil, rule: unknownColumn, severity: .warning, value: $0) }
            + mapping.repeatedColumns.map { Finding(record: nil, rule: repeatedColumn, severity: .warning, value: $0) }
            + mapping.missingFields.filter { id in
                item.fields.first { $0.id == id }.map { $0.required || !$0.requiredWhen.isEmpty } ?? false
            }.map { Finding(record: nil, rule: missingField, severity: .warning, field: $0) }
    }
}
