import CreditCatalog
import Foundation

/// The archive's content as sorted lines of text that do not depend on row ids, file ids or the
/// backend: files by their content hash, rows by their file and line. Two archives that hold the
/// same records, versions, findings, figures and validation memory give the same dump, which is
/// how tests compare several workers on PostgreSQL with one SQLite process, or a killed and
/// resumed run with a clean one. The run log (`runs`, `run_files`) is left out: a killed run
/// and its resumption log more than one clean run, into the same archive.
public enum ArchiveDump {
    /// How a backend writes what differs: bytes as hexadecimal text.
    package enum Dialect {
        case sqlite, postgres

        package func hex(_ expression: String) -> String {
            switch self {
            case .sqlite: "CASE WHEN \(expression) IS NULL THEN NULL ELSE lower(hex(\(expression))) END"
            case .postgres: "encode(\(expression), 'hex')"
            }
        }
    }

    /// One line per row: the columns as text (`∅` for NULL) joined by `|`.
    package static func line(_ expressions: [String]) -> String {
        expressions.map { "COALESCE(CAST(\($0) AS TEXT), '∅')" }.joined(separator: " || '|' || ")
    }

    /// The queries of the dump, each returning one text column.
    package static func queries(items: [CatalogItem], _ dialect: Dialect) -> [String] {
        let hex = dialect.hex(_:)
        var queries = [
            "SELECT 'file|' || " + line(["sha256", "path", "feed", "department", "item", "format", "header", "size", "records",
                                         "compliant", "submitted", "timely", "late", "timeliness_unknown", "new_records",
                                         "new_versions", "unchanged", "withdrawn", "corrected", "encoding"]) + " FROM files",
            "SELECT 'rejected|' || " + line(["f.sha256", "r.line", "r.byte_offset", "r.fields", hex("r.key"), hex("r.decision"),
                                             "r.subject_code", "r.subject_name"])
                + " FROM rejected_records r JOIN files f ON f.id = r.file_id",
            "SELECT 'finding|' || " + line(["f.sha256", "r.line", "r.rule", "r.severity", "r.field", "r.value", "r.detail",
                                            "r.personal"]) + " FROM findings r JOIN files f ON f.id = r.file_id",
            "SELECT 'counts|' || " + line(["f.sha256", "r.rule", "r.severity", "r.field", "r.count"])
                + " FROM file_finding_counts r JOIN files f ON f.id = r.file_id",
            "SELECT 'editions|' || " + line(["f.sha256", "r.edition", "r.records"])
                + " FROM file_edition_counts r JOIN files f ON f.id = r.file_id",
            "SELECT 'subject|' || " + line(["f.sha256", "r.code", "r.name_key", "r.name", "r.valid", "r.personal"])
                + " FROM subject_codes r JOIN files f ON f.id = r.file_id",
            "SELECT 'registry|' || " + line(["r.code", "r.name", "r.name_key", "f.sha256"])
                + " FROM registry r JOIN files f ON f.id = r.file_id",
            "SELECT 'first_name|' || " + line([hex("code"), hex("name_key"), "name"]) + " FROM subject_names",
            "SELECT 'rejected_decision|' || " + line([hex("r.decision"), "r.item", "f.sha256"])
                + " FROM rejected_decisions r JOIN files f ON f.id = r.file_id",
        ]
        for item in items.sorted(by: { $0.id < $1.id }) {
            let table = ArchiveSchema.tableName(forItem: item.id)
            let fields = item.fields.map { "t.\($0.id)" }
            // The ID numbers' digests too: both backends must compute the same (``SubjectLookup/identityDigest(_:)``).
            let digests = SubjectLookup.fields(of: item, for: .identityNumber).map { hex("t." + SubjectLookup.digestColumn($0)) }
            queries.append("SELECT '\(table)|' || " + line(["f.sha256", "t._line", "t._offset"] + fields + digests + [
                "t._raw", "t._extra", hex("t._key"), hex("t._decision"), "pf.sha256", "p._line", "t._version", "t._current",
                "t._withdrawn"]) + """
                 FROM \(table) t JOIN files f ON f.id = t._file
                LEFT JOIN \(table) p ON p._id = t._previous LEFT JOIN files pf ON pf.id = p._file
                """)
            // A key's item is that of the files that carried it (keys are scoped to their item).
            queries.append("SELECT 'key|' || " + line([hex("k.key"), "sf.sha256", "k.version", "rf.sha256", "r._line",
                                                       hex("k.content"), "k.withdrawn"]) + """
                 FROM record_keys k JOIN files sf ON sf.id = k.seen_file AND sf.item = '\(item.id)'
                LEFT JOIN \(table) r ON r._id = k.current_row LEFT JOIN files rf ON rf.id = r._file
                """)
        }
        return queries
    }
}
