import CreditCatalog
import CreditCore
import Foundation
import GRDB

/// One record as the archive holds it: an accepted version (normalized values, and the raw
/// values normalization changed) or a rejected submission (values as received), with its
/// lineage: file, line, run.
public struct StoredRecord: Sendable, Hashable, Codable {
    public var item: String
    /// False for a rejected submission.
    public var accepted: Bool
    public var fileID: Int64
    public var path: String
    public var department: String
    public var run: Int64
    public var line: Int
    /// The version number of an accepted record (1 for the first).
    public var version: Int?
    /// True for the current version of its business key.
    public var current: Bool
    public var withdrawn: Bool
    /// The business key's digest (hex), as `trace` takes it.
    public var key: String?
    /// Field id → normalized value (accepted); header name → value as received (rejected).
    public var values: [(name: String, value: String)]
    /// Field id → value as received, where normalization changed it.
    public var raw: [String: String]
    /// Columns the catalog does not know: name → value.
    public var extra: [String: String]

    public static func == (lhs: StoredRecord, rhs: StoredRecord) -> Bool {
        lhs.fileID == rhs.fileID && lhs.line == rhs.line && lhs.accepted == rhs.accepted && lhs.item == rhs.item
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fileID)
        hasher.combine(line)
        hasher.combine(accepted)
    }

    enum CodingKeys: String, CodingKey {
        case item, accepted, fileID = "file_id", path, department, run, line, version, current, withdrawn, key, values,
             raw, extra
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(item, forKey: .item)
        try container.encode(accepted, forKey: .accepted)
        try container.encode(fileID, forKey: .fileID)
        try container.encode(path, forKey: .path)
        try container.encode(department, forKey: .department)
        try container.encode(run, forKey: .run)
        try container.encode(line, forKey: .line)
        try container.encodeIfPresent(version, forKey: .version)
        try container.encode(current, forKey: .current)
        try container.encode(withdrawn, forKey: .withdrawn)
        try container.encodeIfPresent(key, forKey: .key)
        try container.encode(Dictionary(values.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }),
                             forKey: .values)
        try container.encode(raw, forKey: .raw)
        try container.encode(extra, forKey: .extra)
    }

    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "stored records are not decoded"))
    }

    init(item: String, accepted: Bool, fileID: Int64, path: String, department: String, run: Int64, line: Int,
         version: Int?, current: Bool, withdrawn: Bool, key: String?, values: [(name: String, value: String)],
         raw: [String: String], extra: [String: String]) {
        self.item = item
        self.accepted = accepted
        self.fileID = fileID
        self.path = path
        self.department = department
        self.run = run
        self.line = line
        self.version = version
        self.current = current
        self.withdrawn = withdrawn
        self.key = key
        self.values = values
        self.raw = raw
        self.extra = extra
    }
}

extension Archive {
    /// Accepted records of `item` whose `field` equals `value` (canonical form): the current
    /// versions first, then, with `history`, the earlier ones; newest first within each.
    public func records(of item: CatalogItem, field: String, equals value: String, history: Bool)
        throws(ArchiveError) -> [StoredRecord]
    {
        guard item.fieldIndex(id: field) != nil else { return [] }
        let table = Self.tableName(forItem: item.id)
        return try read { db in
            guard try db.tableExists(table) else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run FROM \(table) r
                JOIN files f ON f.id = r._file
                WHERE r.\(field) = ?\(history ? "" : " AND r._current = 1")
                ORDER BY r._current DESC, r._id DESC
                """, arguments: [value]).map { accepted($0, item: item) }
        }
    }

    /// Every submission of one business key of `item`, oldest first: each accepted version (from
    /// the current one back through `_previous`) and each rejected attempt.
    public func records(of item: CatalogItem, key: KeyDigest) throws(ArchiveError) -> [StoredRecord] {
        let table = Self.tableName(forItem: item.id)
        let blob = Data(key.bytes)
        let scoped = Data(KeyScope(item: item.id)(key).bytes)
        return try read { db in
            guard try db.tableExists(table) else { return [] }
            var records = try Row.fetchAll(db, sql: """
                WITH RECURSIVE versions(id) AS (
                    SELECT current_row FROM record_keys WHERE key = ?
                    UNION ALL
                    SELECT r._previous FROM \(table) r JOIN versions v ON r._id = v.id WHERE r._previous IS NOT NULL
                )
                SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run FROM \(table) r
                JOIN files f ON f.id = r._file WHERE r._id IN versions
                """, arguments: [scoped]).map { accepted($0, item: item) }
            records += try Row.fetchAll(db, sql: """
                SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run, f.header AS _header
                FROM rejected_records r JOIN files f ON f.id = r.file_id
                WHERE r.key = ? AND f.item = ?
                """, arguments: [blob, item.id]).map { rejected($0, item: item.id) }
            return records.sorted { ($0.fileID, $0.line) < ($1.fileID, $1.line) }
        }
    }

    /// What the archive holds from line `line` of every file archived under `path` (a path can be
    /// sent again with other content): accepted or rejected, whichever it was.
    public func records(path: String, line: Int, items: [String: CatalogItem]) throws(ArchiveError) -> [StoredRecord] {
        try read { db in
            var records: [StoredRecord] = []
            for file in try Row.fetchAll(db, sql: "SELECT id, item FROM files WHERE path = ? ORDER BY id",
                                         arguments: [path]) {
                let fileID: Int64 = file[0], itemID: String = file[1]
                if let item = items[itemID], try db.tableExists(Self.tableName(forItem: itemID)) {
                    records += try Row.fetchAll(db, sql: """
                        SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run
                        FROM \(Self.tableName(forItem: itemID)) r JOIN files f ON f.id = r._file
                        WHERE r._file = ? AND r._line = ?
                        """, arguments: [fileID, line]).map { accepted($0, item: item) }
                }
                records += try Row.fetchAll(db, sql: """
                    SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run, f.header AS _header
                    FROM rejected_records r JOIN files f ON f.id = r.file_id WHERE r.file_id = ? AND r.line = ?
                    """, arguments: [fileID, line]).map { rejected($0, item: itemID) }
            }
            return records
        }
    }

    /// The findings stored for one line of one file.
    public func findings(file: Int64, line: Int) throws(ArchiveError) -> [Finding] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT rule, severity, field, value, detail, personal FROM findings
                WHERE file_id = ? AND line = ? ORDER BY id
                """, arguments: [file, line]).map { row in
                Finding(record: nil, rule: RuleID(row[0] as String), severity: Severity(rawValue: row[1]) ?? .error,
                        field: row[2], value: row[3], detail: row[4], isPersonal: row[5])
            }
        }
    }

    private func accepted(_ row: Row, item: CatalogItem) -> StoredRecord {
        var values: [(name: String, value: String)] = []
        for field in item.fields {
            if let value = row[field.id] as String? { values.append((field.id, value)) }
        }
        let key = (row["_key"] as Data?).flatMap { KeyDigest(bytes: Array($0)) }
        return StoredRecord(item: item.id, accepted: true, fileID: row["_file"], path: row["_path"],
                            department: row["_department"], run: row["_run"], line: row["_line"],
                            version: row["_version"], current: (row["_current"] as Int?) == 1,
                            withdrawn: (row["_withdrawn"] as Int?) == 1, key: key?.hex,
                            values: values, raw: Self.object(row["_raw"]), extra: Self.object(row["_extra"]))
    }

    private func rejected(_ row: Row, item: String) -> StoredRecord {
        let header = Self.array(row["_header"])
        let fields = Self.array(row["fields"])
        var values: [(name: String, value: String)] = []
        for (index, value) in fields.enumerated() {
            values.append((index < header.count ? header[index] : "#\(index + 1)", value))
        }
        let key = (row["key"] as Data?).flatMap { KeyDigest(bytes: Array($0)) }
        return StoredRecord(item: item, accepted: false, fileID: row["file_id"], path: row["_path"],
                            department: row["_department"], run: row["_run"], line: row["line"], version: nil,
                            current: false, withdrawn: false, key: key?.hex, values: values, raw: [:], extra: [:])
    }

    /// A JSON object of strings as the archive stores `_raw` and `_extra`; empty when absent.
    static func object(_ json: String?) -> [String: String] {
        guard let data = json?.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }

    /// A JSON array of strings (a header, a rejected record's fields); empty when absent.
    static func array(_ json: String?) -> [String] {
        guard let data = json?.data(using: .utf8),
              let array = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else { return [] }
        return array.map { $0 as? String ?? "" }
    }
}
