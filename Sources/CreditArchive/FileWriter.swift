import CreditCatalog
import CreditCore
import CreditNormalization
import GRDB
import GRDBSQLite

/// Appends one file's batches inside the file's transaction.
///
/// Accepted records are bound straight from the normalized batch's bytes into a cached insert
/// statement: no `String` per value. Quality counts accumulate here and are stored when the
/// file is finished.
public struct FileWriter {
    let db: Database
    public let fileID: Int64
    let insertRecord: Statement
    let insertRejected: Statement
    let insertFinding: Statement
    let insertSubject: Statement
    let fieldCount: Int
    let isRegistry: Bool
    /// The file's quality counts so far.
    public private(set) var counts = QualityCounts()

    init(db: Database, fileID: Int64, item: CatalogItem) throws {
        self.db = db
        self.fileID = fileID
        fieldCount = item.fields.count
        isRegistry = item.isRegistry
        let table = Archive.tableName(forItem: item.id)
        let columns = item.fields.map(\.id).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: item.fields.count + 5).joined(separator: ", ")
        insertRecord = try db.cachedStatement(sql: """
            INSERT INTO \(table) (_file, _line, _offset, \(columns), _raw, _extra) VALUES (\(placeholders))
            """)
        insertRejected = try db.cachedStatement(sql: """
            INSERT INTO rejected_records (file_id, line, byte_offset, fields) VALUES (?, ?, ?, ?)
            """)
        insertFinding = try db.cachedStatement(sql: """
            INSERT INTO findings (file_id, line, rule, severity, field, value, detail, personal)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertSubject = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO subject_codes (file_id, code, name_key, name, valid) VALUES (?, ?, ?, ?, ?)
            """)
    }

    /// Records the subjects a batch showed and its timeliness verdicts. A registry item's valid
    /// codes update the registry: the newest file wins, as a renamed company's latest name should.
    public mutating func append(subjects: [SubjectSighting], timeliness: TimelinessCounts) throws {
        for subject in subjects {
            try insertSubject.execute(arguments: [fileID, subject.code, subject.nameKey, subject.name, subject.isValid])
            if isRegistry, subject.isValid, !subject.nameKey.isEmpty {
                try db.execute(sql: """
                    INSERT INTO registry (code, name, name_key, file_id) VALUES (?, ?, ?, ?)
                    ON CONFLICT(code) DO UPDATE SET name = excluded.name, name_key = excluded.name_key,
                        file_id = excluded.file_id
                    """, arguments: [subject.code, subject.name, subject.nameKey, fileID])
            }
        }
        counts.timeliness += timeliness
    }

    /// Archives one batch: accepted records from `normalized`, rejected ones as received from
    /// `batch`, and every finding.
    public mutating func append(_ batch: RecordBatch, rejected: [Bool], rejectedCount: Int,
                                findings: [Finding], normalized: NormalizedBatch) throws {
        let provenance = batch.provenance
        let handle = insertRecord.sqliteStatement
        try normalized.withValues { values in
            for index in 0..<normalized.count {
                let origin = provenance[normalized.sourceRecords[index]]
                sqlite3_reset(handle)
                sqlite3_bind_int64(handle, 1, fileID)
                sqlite3_bind_int64(handle, 2, Int64(origin.line))
                sqlite3_bind_int64(handle, 3, origin.byteOffset)
                for field in 0..<fieldCount {
                    bindText(handle, Int32(field + 4), values.value(index, field))
                }
                try bindJSON(handle, Int32(fieldCount + 4), normalized.raw[index]) {
                    try bindJSON(handle, Int32(fieldCount + 5), normalized.extra[index]) {
                        try step(handle)
                    }
                }
            }
        }
        sqlite3_clear_bindings(handle)
        if rejectedCount > 0 {
            try batch.withFields { fields in
                for record in 0..<fields.count where rejected[record] {
                    var json: [UInt8] = [0x5B]
                    for column in 0..<fields.fieldCount(record) {
                        guard let value = fields.field(record, column: column) else { continue }
                        if column > 0 { json.append(0x2C) }
                        JSONText.appendString(value, to: &json)
                    }
                    json.append(0x5D)
                    let origin = provenance[record]
                    try insertRejected.execute(arguments: [fileID, origin.line, origin.byteOffset,
                                                           String(decoding: json, as: UTF8.self)])
                }
            }
        }
        for finding in findings {
            let line = finding.record.map { provenance[$0].line }
            try insertFinding.execute(arguments: [fileID, line, finding.rule.rawValue, finding.severity.rawValue,
                                                  finding.field, finding.value, finding.detail, finding.isPersonal])
        }
        counts.add(records: batch.count, rejected: rejectedCount, findings: findings)
    }

    /// Records findings about the file as a whole (such as header problems).
    public mutating func append(fileFindings: [Finding]) throws {
        for finding in fileFindings {
            try insertFinding.execute(arguments: [fileID, nil, finding.rule.rawValue, finding.severity.rawValue,
                                                  finding.field, finding.value, finding.detail, finding.isPersonal])
        }
        counts.add(records: 0, rejected: 0, findings: fileFindings)
    }

    func finish() throws {
        try db.execute(sql: """
            UPDATE files SET records = ?, compliant = ?, timely = ?, late = ?, timeliness_unknown = ? WHERE id = ?
            """, arguments: [counts.records, counts.compliant, counts.timeliness.timely, counts.timeliness.late,
                             counts.timeliness.unknown, fileID])
        let statement = try db.cachedStatement(sql: """
            INSERT INTO file_finding_counts (file_id, rule, severity, field, count) VALUES (?, ?, ?, ?, ?)
            """)
        for (key, count) in counts.findings.sorted(by: { $0.key < $1.key }) {
            try statement.execute(arguments: [fileID, key.rule.rawValue, key.severity.rawValue, key.field ?? "", count])
        }
    }

    private func step(_ handle: SQLiteStatement) throws {
        let code = sqlite3_step(handle)
        if code != SQLITE_DONE {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}

/// Binds bytes that stay valid until the statement is stepped (SQLITE_STATIC: no copy).
@inline(__always)
private func bindText(_ handle: SQLiteStatement, _ index: Int32, _ value: UnsafeBufferPointer<UInt8>?) {
    guard let value, let base = value.baseAddress else {
        if value != nil { sqlite3_bind_text(handle, index, "", 0, nil) } else { sqlite3_bind_null(handle, index) }
        return
    }
    base.withMemoryRebound(to: CChar.self, capacity: value.count) { pointer in
        _ = sqlite3_bind_text(handle, index, pointer, Int32(value.count), nil)
    }
}

/// Binds an optional JSON text for the duration of `body`.
@inline(__always)
private func bindJSON(_ handle: SQLiteStatement, _ index: Int32, _ json: [UInt8]?, _ body: () throws -> Void) throws {
    guard let json else {
        sqlite3_bind_null(handle, index)
        return try body()
    }
    try json.withUnsafeBufferPointer { buffer in
        bindText(handle, index, buffer)
        try body()
    }
}
