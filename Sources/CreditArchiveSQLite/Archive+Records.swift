import CreditArchive
import CreditCatalog
import CreditCore
import Foundation
import GRDB


extension Archive {
    public func records(of item: CatalogItem, identityField field: String, number: String, history: Bool)
        throws(ArchiveError) -> [StoredRecord]
    {
        guard item.fieldIndex(id: field) != nil, let digest = SubjectLookup.identityDigest(number) else { return [] }
        guard try keepsDigest(of: field, in: item) else {
            return try acceptedRecords(of: item, where: "r.\(field) = ?", number, history: history)
        }
        return try acceptedRecords(of: item, where: "r.\(SubjectLookup.digestColumn(field)) = ?", Data(digest.bytes),
                                   history: history)
    }

    /// Whether `item`'s table has the digest column of `field`. An archive made before the digests
    /// were kept gets them on its next run; until then a lookup compares the numbers themselves
    /// (through the index that archive still has on them), rather than failing.
    private func keepsDigest(of field: String, in item: CatalogItem) throws(ArchiveError) -> Bool {
        let table = ArchiveSchema.tableName(forItem: item.id), column = SubjectLookup.digestColumn(field)
        return try read { db in
            try db.tableExists(table) && db.columns(in: table).contains { $0.name == column }
        }
    }

    /// Accepted records of `item` meeting `condition` (on the table as `r`, one parameter):
    /// current versions first, then with `history` the earlier ones; newest first within each.
    private func acceptedRecords(of item: CatalogItem, where condition: String, _ value: some DatabaseValueConvertible,
                                 history: Bool) throws(ArchiveError) -> [StoredRecord] {
        let table = ArchiveSchema.tableName(forItem: item.id)
        return try read { db in
            guard try db.tableExists(table) else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run FROM \(table) r
                JOIN files f ON f.id = r._file
                WHERE \(condition)\(history ? "" : " AND r._current = 1")
                ORDER BY r._current DESC, r._id DESC
                """, arguments: [value]).map { try accepted($0, item: item) }
        }
    }

    public func recordsWithoutCode(of item: CatalogItem, named name: String, history: Bool)
        throws(ArchiveError) -> [StoredRecord]
    {
        guard let field = item.subject?.name, let withoutCode = SubjectLookup.withoutCode(item) else { return [] }
        return try acceptedRecords(of: item, where: "r.\(field) = ? AND \(withoutCode)", name, history: history)
    }

    public func records(of item: CatalogItem, field: String, equals value: String, inFiles files: [Int64], history: Bool)
        throws(ArchiveError) -> [StoredRecord]
    {
        guard item.fieldIndex(id: field) != nil, !files.isEmpty else { return [] }
        let table = ArchiveSchema.tableName(forItem: item.id)
        return try read { db in
            guard try db.tableExists(table) else { return [] }
            var found: [StoredRecord] = []
            // In slices: SQLite limits a statement's parameters.
            for start in stride(from: 0, to: files.count, by: 500) {
                let slice = Array(files[start..<min(start + 500, files.count)])
                found += try Row.fetchAll(db, sql: """
                    SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run FROM \(table) r
                    JOIN files f ON f.id = r._file
                    WHERE r._file IN (\(slice.map { _ in "?" }.joined(separator: ","))) AND r.\(field) = ?\(history ? "" : " AND r._current = 1")
                    """, arguments: StatementArguments(slice) + [value]).map { try accepted($0, item: item) }
            }
            return found.sorted { ($0.current ? 1 : 0, $0.fileID, $0.line) > ($1.current ? 1 : 0, $1.fileID, $1.line) }
        }
    }

    public func currentRecords(of item: CatalogItem, field: String, among values: [String], fields: [String])
        throws(ArchiveError) -> [StoredRecord]
    {
        guard item.fieldIndex(id: field) != nil, !values.isEmpty else { return [] }
        let table = ArchiveSchema.tableName(forItem: item.id)
        let known = fields.filter { item.fieldIndex(id: $0) != nil }
        return try read { db in
            guard try db.tableExists(table) else { return [] }
            // One pass over the table, each row's value looked up in the list (SQLite makes the
            // IN list an index of its own).
            return try Row.fetchAll(db, sql: """
                SELECT \(SubjectLookup.batchColumns(of: item, fields: fields)) FROM \(table) r
                JOIN files f ON f.id = r._file
                WHERE r._current = 1 AND r.\(field) IN (SELECT value FROM json_each(?))
                """, arguments: [SubjectLookup.jsonArray(values)]).map { batchRecord($0, item: item, known: known) }
        }
    }

    public func currentRecords(of item: CatalogItem, identityField field: String, among numbers: [String], fields: [String])
        throws(ArchiveError) -> [StoredRecord]
    {
        guard item.fieldIndex(id: field) != nil else { return [] }
        let read = fields.contains(field) ? fields : fields + [field]
        guard try keepsDigest(of: field, in: item) else {
            return try currentRecords(of: item, field: field, among: numbers, fields: read)
        }
        let digests = Set(numbers.compactMap(SubjectLookup.identityDigest)).map { Data($0.bytes) }.sorted { $0.lexicographicallyPrecedes($1) }
        let table = ArchiveSchema.tableName(forItem: item.id)
        let known = read.filter { item.fieldIndex(id: $0) != nil }
        return try self.read { db in
            guard try db.tableExists(table) else { return [] }
            var found: [StoredRecord] = []
            // In slices: SQLite limits a statement's parameters (and has no unhex to take them as JSON).
            for start in stride(from: 0, to: digests.count, by: 500) {
                let slice = Array(digests[start..<min(start + 500, digests.count)])
                found += try Row.fetchAll(db, sql: """
                    SELECT \(SubjectLookup.batchColumns(of: item, fields: read)) FROM \(table) r
                    JOIN files f ON f.id = r._file
                    WHERE r._current = 1 AND r.\(SubjectLookup.digestColumn(field)) IN (\(slice.map { _ in "?" }.joined(separator: ",")))
                    """, arguments: StatementArguments(slice)).map { batchRecord($0, item: item, known: known) }
            }
            return found
        }
    }

    public func forEachCurrentRecord(of item: CatalogItem, fields: [String], since: (field: String, day: String)?,
                                     _ body: (StoredRecord) -> Void) throws(ArchiveError) {
        let table = ArchiveSchema.tableName(forItem: item.id)
        let known = fields.filter { item.fieldIndex(id: $0) != nil }
        let bound = since.flatMap { item.fieldIndex(id: $0.field) != nil ? $0 : nil }
        try read { db in
            guard try db.tableExists(table) else { return }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT \(SubjectLookup.batchColumns(of: item, fields: fields)) FROM \(table) r
                JOIN files f ON f.id = r._file WHERE r._current = 1\(bound.map { " AND (r.\($0.field) IS NULL OR r.\($0.field) >= ?)" } ?? "")
                """, arguments: StatementArguments(bound.map { [$0.day] } ?? []))
            while let row = try rows.next() { body(batchRecord(row, item: item, known: known)) }
        }
    }

    /// A record selected with ``SubjectLookup/batchColumns(of:fields:)``, read by position: a
    /// batch's hundreds of thousands of records would otherwise look each column up by name.
    /// `known`: the fields asked for that the item has, in the order they were selected.
    private func batchRecord(_ row: Row, item: CatalogItem, known: [String]) -> StoredRecord {
        var values: [(name: String, value: String)] = []
        for (index, field) in known.enumerated() {
            if let value = row[7 + index] as String? { values.append((field, value)) }
        }
        let base = 7 + known.count
        return StoredRecord(item: item.id, accepted: true, fileID: row[1], path: row[base], department: row[base + 1],
                            run: row[base + 2], line: row[2], version: row[3], current: (row[4] as Int?) == 1,
                            withdrawn: (row[5] as Int?) == 1, key: nil,
                            values: values, raw: [:], extra: [:])
    }

    public func subjectFiles(code: String) throws(ArchiveError) -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: "SELECT DISTINCT file_id FROM subject_codes WHERE code = ? ORDER BY file_id", arguments: [code])
        }
    }

    public func subjectFiles(nameKey: String) throws(ArchiveError) -> [(code: String, file: Int64)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT code, file_id FROM subject_codes WHERE name_key = ? ORDER BY code, file_id",
                             arguments: [nameKey]).map { (code: $0[0], file: $0[1]) }
        }
    }

    /// Every submission of one business key of `item`, oldest first: each accepted version (from
    /// the current one back through `_previous`) and each rejected attempt.
    public func records(of item: CatalogItem, key: KeyDigest) throws(ArchiveError) -> [StoredRecord] {
        let table = ArchiveSchema.tableName(forItem: item.id)
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
                """, arguments: [scoped]).map { try accepted($0, item: item) }
            records += try Row.fetchAll(db, sql: """
                SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run, f.header AS _header
                FROM rejected_records r JOIN files f ON f.id = r.file_id
                WHERE r.key = ? AND f.item = ?
                """, arguments: [blob, item.id]).map { try rejected($0, item: item.id) }
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
                if let item = items[itemID], try db.tableExists(ArchiveSchema.tableName(forItem: itemID)) {
                    records += try Row.fetchAll(db, sql: """
                        SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run
                        FROM \(ArchiveSchema.tableName(forItem: itemID)) r JOIN files f ON f.id = r._file
                        WHERE r._file = ? AND r._line = ?
                        """, arguments: [fileID, line]).map { try accepted($0, item: item) }
                }
                records += try Row.fetchAll(db, sql: """
                    SELECT r.*, f.path AS _path, f.department AS _department, f.run_id AS _run, f.header AS _header
                    FROM rejected_records r JOIN files f ON f.id = r.file_id WHERE r.file_id = ? AND r.line = ?
                    """, arguments: [fileID, line]).map { try rejected($0, item: itemID) }
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

    private func accepted(_ row: Row, item: CatalogItem) throws(ArchiveError) -> StoredRecord {
        var values: [(name: String, value: String)] = []
        for field in item.fields {
            if let value = row[field.id] as String? { values.append((field.id, value)) }
        }
        let key = (row["_key"] as Data?).flatMap { KeyDigest(bytes: Array($0)) }
        return StoredRecord(item: item.id, accepted: true, fileID: row["_file"], path: row["_path"],
                            department: row["_department"], run: row["_run"], line: row["_line"],
                            version: row["_version"], current: (row["_current"] as Int?) == 1,
                            withdrawn: (row["_withdrawn"] as Int?) == 1, key: key?.hex,
                            values: values, raw: try ArchiveSchema.object(row["_raw"], in: path),
                            extra: try ArchiveSchema.object(row["_extra"], in: path))
    }

    private func rejected(_ row: Row, item: String) throws(ArchiveError) -> StoredRecord {
        let header = try ArchiveSchema.array(row["_header"], in: path)
        let fields = try ArchiveSchema.array(row["fields"], in: path)
        var values: [(name: String, value: String)] = []
        for (index, value) in fields.enumerated() {
            values.append((index < header.count ? header[index] : "#\(index + 1)", value))
        }
        let key = (row["key"] as Data?).flatMap { KeyDigest(bytes: Array($0)) }
        return StoredRecord(item: item, accepted: false, fileID: row["file_id"], path: row["_path"],
                            department: row["_department"], run: row["_run"], line: row["line"], version: nil,
                            current: false, withdrawn: false, key: key?.hex, values: values, raw: [:], extra: [:])
    }
}
