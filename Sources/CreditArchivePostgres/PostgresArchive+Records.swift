import CreditArchive
import CreditCatalog
import CreditCore

/// `subject` and `trace` on PostgreSQL: the same records as the SQLite archive's
/// (`Archive+Records`), read by column name.
extension PostgresArchive: RecordArchive {
    private func tableExists(_ table: String) throws(ArchiveError) -> Bool {
        try connection.query("SELECT to_regclass($1)::text", [table]).first?[0] != nil
    }

    /// A bytea column as text (`\x00ff…`) → its digest.
    private static func digest(_ text: String?) -> KeyDigest? {
        guard let text, text.hasPrefix("\\x") else { return nil }
        return KeyDigest(hex: String(text.dropFirst(2)))
    }

    /// Whether `table` has the digest column of `field` (see the SQLite archive's `keepsDigest`):
    /// an archive made before the digests were kept is read by the numbers until its next run.
    private func keepsDigest(of field: String, in table: String) throws(ArchiveError) -> Bool {
        try connection.query("""
            SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2
            """, [table, SubjectLookup.digestColumn(field)]).first != nil
    }

    public func records(of item: CatalogItem, identityField field: String, number: String, history: Bool)
        throws(ArchiveError) -> [StoredRecord]
    {
        guard item.fieldIndex(id: field) != nil, let digest = SubjectLookup.identityDigest(number) else { return [] }
        let table = ArchiveSchema.tableName(forItem: item.id)
        guard try tableExists(table) else { return [] }
        guard try keepsDigest(of: field, in: table) else {
            return try acceptedRecords(of: item, where: "r.\(field) = $1", number, history: history)
        }
        return try acceptedRecords(of: item, where: "r.\(SubjectLookup.digestColumn(field)) = decode($1, 'hex')", digest.hex,
                                   history: history)
    }

    public func recordsWithoutCode(of item: CatalogItem, named name: String, history: Bool)
        throws(ArchiveError) -> [StoredRecord]
    {
        guard let field = item.subject?.name, let withoutCode = SubjectLookup.withoutCode(item) else { return [] }
        guard try tableExists(ArchiveSchema.tableName(forItem: item.id)) else { return [] }
        return try acceptedRecords(of: item, where: "r.\(field) = $1 AND \(withoutCode)", name, history: history)
    }

    /// Accepted records of `item` meeting `condition` (on the table as `r`, one parameter `$1`):
    /// current versions first, then with `history` the earlier ones; newest first within each.
    private func acceptedRecords(of item: CatalogItem, where condition: String, _ value: String, history: Bool)
        throws(ArchiveError) -> [StoredRecord]
    {
        try connection.queryNamed("""
            SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run FROM \(ArchiveSchema.tableName(forItem: item.id)) r
            JOIN files f ON f.id = r._file
            WHERE \(condition)\(history ? "" : " AND r._current = 1")
            ORDER BY r._current DESC, r._id DESC
            """, [value]).map { row throws(ArchiveError) in try accepted(row, item: item) }
    }

    public func records(of item: CatalogItem, field: String, equals value: String, inFiles files: [Int64], history: Bool)
        throws(ArchiveError) -> [StoredRecord]
    {
        guard item.fieldIndex(id: field) != nil, !files.isEmpty else { return [] }
        let table = ArchiveSchema.tableName(forItem: item.id)
        guard try tableExists(table) else { return [] }
        let found = try connection.queryNamed("""
            SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run FROM \(table) r
            JOIN files f ON f.id = r._file
            WHERE r._file = ANY(string_to_array($1, ',')::bigint[]) AND r.\(field) = $2\(history ? "" : " AND r._current = 1")
            """, [files.map(String.init).joined(separator: ","), value]).map { row throws(ArchiveError) in try accepted(row, item: item) }
        return found.sorted { ($0.current ? 1 : 0, $0.fileID, $0.line) > ($1.current ? 1 : 0, $1.fileID, $1.line) }
    }

    public func currentRecords(of item: CatalogItem, field: String, among values: [String], fields: [String])
        throws(ArchiveError) -> [StoredRecord]
    {
        guard item.fieldIndex(id: field) != nil, !values.isEmpty else { return [] }
        let table = ArchiveSchema.tableName(forItem: item.id)
        guard try tableExists(table) else { return [] }
        return try connection.queryNamed("""
            SELECT \(SubjectLookup.batchColumns(of: item, fields: fields)) FROM \(table) r
            JOIN files f ON f.id = r._file
            WHERE r._current = 1 AND r.\(field) IN (SELECT jsonb_array_elements_text($1::jsonb))
            """, [SubjectLookup.jsonArray(values)]).map { row throws(ArchiveError) in try accepted(row, item: item) }
    }

    public func currentRecords(of item: CatalogItem, identityField field: String, among numbers: [String], fields: [String])
        throws(ArchiveError) -> [StoredRecord]
    {
        let digests = Set(numbers.compactMap(SubjectLookup.identityDigest)).sorted { $0.hex < $1.hex }
        guard item.fieldIndex(id: field) != nil, !digests.isEmpty else { return [] }
        let table = ArchiveSchema.tableName(forItem: item.id)
        guard try tableExists(table) else { return [] }
        guard try keepsDigest(of: field, in: table) else {
            return try currentRecords(of: item, field: field, among: numbers, fields: fields.contains(field) ? fields : fields + [field])
        }
        return try connection.queryNamed("""
            SELECT \(SubjectLookup.batchColumns(of: item, fields: fields.contains(field) ? fields : fields + [field])) FROM \(table) r
            JOIN files f ON f.id = r._file
            WHERE r._current = 1 AND r.\(SubjectLookup.digestColumn(field)) = ANY(\(PostgresCopyText.byteaArray(1)))
            """, [PostgresCopyText.hexList(digests)]).map { row throws(ArchiveError) in try accepted(row, item: item) }
    }

    public func forEachCurrentRecord(of item: CatalogItem, fields: [String], since: (field: String, day: String)?,
                                     _ body: (StoredRecord) -> Void) throws(ArchiveError) {
        let table = ArchiveSchema.tableName(forItem: item.id)
        guard try tableExists(table) else { return }
        let bound = since.flatMap { item.fieldIndex(id: $0.field) != nil ? $0 : nil }
        // In pages by row id, so a worker's memory holds one page whatever the item's size.
        var after: Int64 = 0
        while true {
            let page = try connection.queryNamed("""
                SELECT \(SubjectLookup.batchColumns(of: item, fields: fields)) FROM \(table) r
                JOIN files f ON f.id = r._file WHERE r._current = 1 AND r._id > $1\(bound.map { " AND (r.\($0.field) IS NULL OR r.\($0.field) >= $2)" } ?? "")
                ORDER BY r._id LIMIT 20000
                """, [String(after)] + (bound.map { [$0.day] } ?? []))
            for row in page {
                body(try accepted(row, item: item))
                after = max(after, try id(row["_id"]))
            }
            if page.count < 20000 { return }
        }
    }

    public func subjectFiles(code: String) throws(ArchiveError) -> [Int64] {
        try connection.query("SELECT DISTINCT file_id FROM subject_codes WHERE code = $1 ORDER BY file_id", [code])
            .map { row throws(ArchiveError) in try PostgresText.id(row[0], location: location) }
    }

    public func subjectFiles(nameKey: String) throws(ArchiveError) -> [(code: String, file: Int64)] {
        try connection.query("SELECT DISTINCT code, file_id FROM subject_codes WHERE name_key = $1 ORDER BY code, file_id", [nameKey])
            .map { row throws(ArchiveError) in (code: row[0] ?? "", file: try PostgresText.id(row[1], location: location)) }
    }

    public func records(of item: CatalogItem, key: KeyDigest) throws(ArchiveError) -> [StoredRecord] {
        let table = ArchiveSchema.tableName(forItem: item.id)
        guard try tableExists(table) else { return [] }
        var records = try connection.queryNamed("""
            WITH RECURSIVE versions(id) AS (
                SELECT current_row FROM record_keys WHERE key = decode($1, 'hex')
                UNION ALL
                SELECT r._previous FROM \(table) r JOIN versions v ON r._id = v.id WHERE r._previous IS NOT NULL
            )
            SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run FROM \(table) r
            JOIN files f ON f.id = r._file WHERE r._id IN (SELECT id FROM versions)
            """, [KeyScope(item: item.id)(key).hex]).map { row throws(ArchiveError) in try accepted(row, item: item) }
        records += try connection.queryNamed("""
            SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run, f.header AS _header
            FROM rejected_records r JOIN files f ON f.id = r.file_id
            WHERE r.key = decode($1, 'hex') AND f.item = $2
            """, [key.hex, item.id]).map { row throws(ArchiveError) in try rejected(row, item: item.id) }
        return records.sorted { ($0.fileID, $0.line) < ($1.fileID, $1.line) }
    }

    public func records(path: String, line: Int, items: [String: CatalogItem]) throws(ArchiveError) -> [StoredRecord] {
        var records: [StoredRecord] = []
        for file in try connection.query("SELECT id, item FROM files WHERE path = $1 ORDER BY id", [path]) {
            let fileID = "\(try id(file[0]))", itemID = file[1] ?? ""
            if let item = items[itemID], try tableExists(ArchiveSchema.tableName(forItem: itemID)) {
                records += try connection.queryNamed("""
                    SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run
                    FROM \(ArchiveSchema.tableName(forItem: itemID)) r JOIN files f ON f.id = r._file
                    WHERE r._file = $1 AND r._line = $2
                    """, [fileID, "\(line)"]).map { row throws(ArchiveError) in try accepted(row, item: item) }
            }
            records += try connection.queryNamed("""
                SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run, f.header AS _header
                FROM rejected_records r JOIN files f ON f.id = r.file_id WHERE r.file_id = $1 AND r.line = $2
                """, [fileID, "\(line)"]).map { row throws(ArchiveError) in try rejected(row, item: itemID) }
        }
        return records
    }

    public func findings(file: Int64, line: Int) throws(ArchiveError) -> [Finding] {
        try connection.query("""
            SELECT rule, severity, field, value, detail, personal FROM findings
            WHERE file_id = $1 AND line = $2 ORDER BY id
            """, ["\(file)", "\(line)"]).map { row in
            Finding(record: nil, rule: RuleID(row[0] ?? ""), severity: Severity(rawValue: row[1] ?? "") ?? .error,
                    field: row[2], value: row[3], detail: row[4], isPersonal: row[5] == "1")
        }
    }

    private func accepted(_ row: [String: String], item: CatalogItem) throws(ArchiveError) -> StoredRecord {
        var values: [(name: String, value: String)] = []
        for field in item.fields {
            if let value = row[field.id] { values.append((field.id, value)) }
        }
        return StoredRecord(item: item.id, accepted: true, fileID: try id(row["_file"]), path: row["_path"] ?? "",
                            department: row["_department"] ?? "", run: try id(row["_run"]),
                            line: Int(try id(row["_line"])), version: try int64(row["_version"]).map { Int($0) },
                            current: row["_current"] == "1", withdrawn: row["_withdrawn"] == "1",
                            key: Self.digest(row["_key"])?.hex, values: values,
                            raw: try ArchiveSchema.object(row["_raw"], in: location),
                            extra: try ArchiveSchema.object(row["_extra"], in: location))
    }

    private func rejected(_ row: [String: String], item: String) throws(ArchiveError) -> StoredRecord {
        let header = try ArchiveSchema.array(row["_header"], in: location)
        let fields = try ArchiveSchema.array(row["fields"], in: location)
        var values: [(name: String, value: String)] = []
        for (index, value) in fields.enumerated() {
            values.append((index < header.count ? header[index] : "#\(index + 1)", value))
        }
        return StoredRecord(item: item, accepted: false, fileID: try id(row["file_id"]), path: row["_path"] ?? "",
                            department: row["_department"] ?? "", run: try id(row["_run"]),
                            line: Int(try id(row["line"])), version: nil, current: false, withdrawn: false,
                            key: Self.digest(row["key"])?.hex, values: values, raw: [:], extra: [:])
    }
}
