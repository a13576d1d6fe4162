import CreditCatalog
import CreditCore

/// File-level findings about a header: columns the catalog does not know (their values are
/// archived beside the record, unvalidated) and required fields no column supplies. Optional
/// fields may be left out: departments commonly drop columns they never fill.
public enum HeaderRules {
    public static let unknownColumn: RuleID = "HEADER_UNKNOWN_COLUMN"
    public static let missingField: RuleID = "HEADER_MISSING_FIELD"
    public static let repeatedColumn: RuleID = "HEADER_REPEATED_COLUMN"
    /// The file's name carries a date after the run's: its submission date is taken as the run's.
    public static let fileDateAfterRun: RuleID = "FILE_DATE_AFTER_RUN"

    public static func findings(_ mapping: HeaderMapping, item: CatalogItem) -> [Finding] {
        // `_extra` is where XML and JSON sources keep keys the catalog does not know: not a column a department sent.
        mapping.unknownColumns.filter { $0 != "_extra" }
            .map { Finding(record: nil, rule: unknownColumn, severity: .warning, value: $0) }
            + mapping.repeatedColumns.map { Finding(record: nil, rule: repeatedColumn, severity: .warning, value: $0) }
            + mapping.missingFields.filter { id in
                item.fields.first { $0.id == id }.map { $0.required || !$0.requiredWhen.isEmpty } ?? false
            }.map { Finding(record: nil, rule: missingField, severity: .warning, field: $0) }
    }

    /// The finding about a file whose name claims a submission date after the run's (`named`):
    /// that date would let decisions up to it pass as submitted on time, so the run's date is used.
    public static func fileDate(named: CivilDate, run: CivilDate) -> Finding {
        Finding(record: nil, rule: fileDateAfterRun, severity: .warning, value: named.description, detail: run.description)
    }
}
