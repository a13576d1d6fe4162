import CreditCatalog
import CreditCore
import CreditIdentifiers
import Foundation

/// The columns of an item's table a subject is looked up by (`credit-etl subject`): its code,
/// its name, and the identity-number fields. Each has an index of its own on both backends, so a
/// lookup reads a few B-tree pages whatever the archive's size instead of scanning every table.
/// The indexes are partial (values present only): most ID-number columns are empty for
/// organizations, and an empty value is never looked up. A code is found through the files that
/// name it (the subject pairs) and the (file, code) index; a name through the pairs' folded names;
/// an ID number through its digest (``identityDigest(_:)``), kept beside the number in a column
/// of its own, so that no index (nor anything else outside the item tables) holds the numbers in clear.
public enum SubjectLookup {
    public enum Kind: Sendable {
        case code, identityNumber, name
    }

    /// The fields of `item` a lookup of `kind` compares with.
    public static func fields(of item: CatalogItem, for kind: Kind) -> [String] {
        switch kind {
        case .code:
            return item.subject.map { [$0.code] } ?? []
        case .identityNumber:
            return item.fields.filter { field in
                if case .code(.id) = field.type { return true }
                return !field.identityNumberWhen.isEmpty
            }.map(\.id)
        case .name:
            return item.subject.map { [$0.name] } ?? []
        }
    }

    /// Every column of `item` a lookup may compare with, once each.
    public static func columns(of item: CatalogItem) -> [String] {
        var columns: [String] = []
        for kind in [Kind.code, .identityNumber, .name] {
            for field in fields(of: item, for: kind) where !columns.contains(field) { columns.append(field) }
        }
        return columns
    }

    /// The placeholder code a subject without a code of its own is sent with (as archived).
    public static let placeholderCode = String(decoding: USCC.placeholder, as: UTF8.self)

    /// Which records of `item` the name index holds: those whose subject has no code (a person,
    /// or the placeholder). A subject with a code is found by name through the subject pairs
    /// (`subject_codes`: each code with the folded names it came with) and the code's index, so
    /// the name index stays small and the load pays one index entry per record, not two.
    /// Written with the table's alias `r`; nil when the item's subject has no code field.
    public static func withoutCode(_ item: CatalogItem, alias: String = "r.") -> String? {
        guard let code = item.subject?.code else { return nil }
        return "(\(alias)\(code) IS NULL OR \(alias)\(code) = '\(placeholderCode)')"
    }

    /// The column of an item's table that holds the digest of its identity-number `field`
    /// (archive columns begin with `_`, which no catalog field id does).
    public static func digestColumn(_ field: String) -> String { "_digest_\(field)" }

    /// The digest an ID number is looked up by: ``KeyDigest`` of its canonical form (full-width
    /// folded, spaces and hyphens dropped, upper case), the form a query is put in; nil for an
    /// empty value. A digest keeps the number out of the indexes; it does not make it secret to
    /// someone who can read the item tables, which hold the number itself.
    public static func identityDigest(_ value: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8]) -> KeyDigest? {
        scratch.removeAll(keepingCapacity: true)
        CodeCanonicalForm.append(value, to: &scratch)
        guard !scratch.isEmpty else { return nil }
        return scratch.withUnsafeBufferPointer { KeyDigest($0) }
    }

    /// ``identityDigest(_:scratch:)`` of a string.
    public static func identityDigest(_ value: String) -> KeyDigest? {
        var scratch: [UInt8] = []
        var text = value
        return text.withUTF8 { identityDigest($0, scratch: &scratch) }
    }

    /// The statements that make the lookup's indexes of `item`'s table where they are missing (the
    /// same SQL on SQLite and PostgreSQL); run when a table is prepared, so an archive made before
    /// gets them on its next run. An identity-number field is indexed by its digest column (the
    /// index on the number itself, which archives made before kept, is dropped).
    ///
    /// The code's index leads with the file: a code is looked up in the files whose subject pairs
    /// name it (`subject_codes`, already kept for 重码), and a night's records then land at the
    /// end of the index, next to each other, instead of at ten thousand random places of a large
    /// B-tree (which made a night on a 10,000,000-record archive 1.8 times as long).
    public static func indexStatements(of item: CatalogItem) -> [String] {
        let table = ArchiveSchema.tableName(forItem: item.id)
        let names = Set(fields(of: item, for: .name)), codes = Set(fields(of: item, for: .code))
        let identities = Set(fields(of: item, for: .identityNumber))
        return columns(of: item).flatMap { field in
            if identities.contains(field) {
                let column = digestColumn(field)
                return ["DROP INDEX IF EXISTS \(table)_by_\(field)",
                        "CREATE INDEX IF NOT EXISTS \(table)_by\(column) ON \(table)(\(column)) WHERE \(column) IS NOT NULL"]
            }
            var condition = "\(field) IS NOT NULL"
            if names.contains(field), let withoutCode = withoutCode(item, alias: "") { condition += " AND \(withoutCode)" }
            let key = codes.contains(field) ? "_file, \(field)" : field
            return ["CREATE INDEX IF NOT EXISTS \(table)_by_\(field) ON \(table)(\(key)) WHERE \(condition)"]
        }
    }

    /// The statements that drop the index of `item`'s subject codes before a large load, which
    /// builds it again after the load in one sorted pass instead of an insert per record. Only the
    /// code's: it has an entry for nearly every record, while the identity-number and no-code name
    /// indexes hold persons' records only, cost little during a load, and would each cost a scan
    /// of the whole table to build again.
    public static func dropStatements(of item: CatalogItem) -> [String] {
        let table = ArchiveSchema.tableName(forItem: item.id)
        return fields(of: item, for: .code).map { "DROP INDEX IF EXISTS \(table)_by_\($0)" }
    }

    /// Values as one JSON array, the parameter a batch lookup passes (SQLite's `json_each`,
    /// PostgreSQL's `jsonb_array_elements_text`): one statement whatever the list's length.
    public static func jsonArray(_ values: [String]) -> String {
        // Encoding strings cannot fail; an empty array is the fallback all the same.
        (try? JSONEncoder().encode(values)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// The columns a batch lookup selects from an item's table (as `r`, its file as `f`): the
    /// record's lineage and state, and `fields` (those the item has); not its key, its values as
    /// received or its unknown columns, which a batch never shows.
    public static func batchColumns(of item: CatalogItem, fields: [String]) -> String {
        let known = fields.filter { item.fieldIndex(id: $0) != nil }
        return (["r._id", "r._file", "r._line", "r._version", "r._current", "r._withdrawn", "NULL AS _key"] + known.map { "r.\($0)" }
            + ["f.path AS _path", "f.department AS _department", "f.run_id AS _run"]).joined(separator: ", ")
    }
}
