import CreditCatalog
import CreditCore

/// File-level findings about a header: columns the catalog does not know (their values are
/// archived beside the record, unvalidated) and catalog fields no column supplies.
public enum HeaderRules {
    public static let unknownColumn: RuleID = "HEADER_UNKNOWN_COLUMN"
    public static let missingField: RuleID = "HEADER_MISSING_FIELD"
    public static let repeatedColumn: RuleID = "HEADER_REPEATED_COLUMN"

    public static func findings(_ mapping: HeaderMapping, item: CatalogItem) -> [Finding] {
        mapping.unknownColumns.map { Finding(record: nil, rule: unknownColumn, severity: .warning, value: $0) }
            + mapping.repeatedColumns.map { Finding(record: nil, rule: repeatedColumn, severity: .warning, value: $0) }
            + mapping.missingFields.map { Finding(record: nil, rule: missingField, severity: .warning, field: $0) }
    }
}
