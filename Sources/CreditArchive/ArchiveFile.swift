import CreditCatalog
import CreditCore
import GRDB
import GRDBSQLite

/// One file being archived: the sink the per-file flow appends checked batches to, inside the
/// file's own transaction (or its group's: ``Archive/beginGroup()``). ``commit()`` keeps
/// everything; ``rollback()`` (or a thrown error and no commit) leaves the archive exactly as it
/// was before the file (before the group).
///
/// Per accepted record it decides, by business key, what the record is to the archive's
/// history: new, a new version (the previous one stays, no longer current), unchanged (not
/// stored again), a withdrawal; and by decision (the key without its subject part, since fixing
/// a wrong code changes the key) whether it corrects an earlier rejection. Values are bound straight
/// from the normalized batch's bytes into prepared statements: no `String` per value.
public final class ArchiveFile: BatchSink {
    public let fileID: Int64
    /// Validation's memory, in this file's transaction.
    public let memory: ArchiveMemory
    /// The file's quality counts so far.
    public private(set) var counts = QualityCounts()
    private let archive: Archive
    private let connection: OpaquePointer
    private let itemID: String
    /// The item's digest, which scopes keys and decisions (``ArchiveMemory/scoped(_:item:)``).
    private let scope: KeyDigest
    private let fieldCount: Int
    private let isRegistry: Bool
    private var isOpen = true
    /// Whether earlier files left rejected decisions of this item uncorrected: when none did (a
    /// first load, a department whose rejections were all corrected), no accepted record can
    /// be a correction and the lookup per record is skipped.
    private let hasPendingRejections: Bool
    private let insertRecord: PreparedStatement
    private let updateKey: PreparedStatement
    private let retireRow: PreparedStatement
    private let markRejected: PreparedStatement
    private let clearRejected: PreparedStatement
    private let insertRejected: PreparedStatement
    private let insertFinding: PreparedStatement
    private let insertSubject: PreparedStatement
    private let updateRegistry: PreparedStatement
    private var json: [UInt8] = []

    init(archive: Archive, connection: OpaquePointer, fileID: Int64, item: CatalogItem) throws(ArchiveError) {
        self.archive = archive
        self.connection = connection
        self.fileID = fileID
        itemID = item.id
        scope = KeyDigest(Array(item.id.utf8))
        fieldCount = item.fields.count
        isRegistry = item.isRegistry
        let path = archive.path
        let table = Archive.tableName(forItem: item.id)
        let columns = item.fields.map(\.id).joined(separator: ", ")
        let placeholders = (1...(item.fields.count + 10)).map { "?\($0)" }.joined(separator: ", ")
        memory = try ArchiveMemory(connection: connection, path: path, item: item.id, fileID: fileID)
        let pending = try PreparedStatement(connection, """
            SELECT EXISTS (SELECT 1 FROM rejected_decisions WHERE item = ?1)
            """, path: path)
        pending.bind(1, item.id)
        hasPendingRejections = try pending.step("looking for pending rejections") && pending.int64(0) == 1
        insertRecord = try PreparedStatement(connection, """
            INSERT INTO \(table) (_file, _line, _offset, \(columns), _raw, _extra, _key, _decision, _previous, _version,
                                   _withdrawn)
            VALUES (\(placeholders))
            """, path: path)
        updateKey = try PreparedStatement(connection, """
            UPDATE record_keys SET version = ?3, content = ?4, current_row = ?5, withdrawn = ?7
            WHERE key = ?2
            """, path: path)
        retireRow = try PreparedStatement(connection, "UPDATE \(table) SET _current = 0 WHERE _id = ?1", path: path)
        markRejected = try PreparedStatement(connection, """
            INSERT INTO rejected_decisions (item, decision, file_id) VALUES (?1, ?2, ?3)
            ON CONFLICT (decision) DO UPDATE SET file_id = excluded.file_id
            """, path: path)
        clearRejected = try PreparedStatement(connection, """
            DELETE FROM rejected_decisions WHERE decision = ?2 AND file_id <> ?3
            """, path: path)
        insertRejected = try PreparedStatement(connection, """
            INSERT INTO rejected_records (file_id, line, byte_offset, fields, key, decision, subject_code, subject_name)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """, path: path)
        insertFinding = try PreparedStatement(connection, """
            INSERT INTO findings (file_id, line, rule, severity, field, value, detail, personal)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """, path: path)
        // The file's subject pairs wait in a temporary table and go to subject_codes sorted by
        // code (``Archive/flushStagedSubjects(_:)``): its unique index then grows in order instead
        // of at random places.
        let staging = try PreparedStatement(connection, """
            CREATE TEMP TABLE IF NOT EXISTS staged_subjects (file_id INTEGER, code TEXT, name_key TEXT, name TEXT,
                                                             valid INTEGER, personal INTEGER)
            """, path: path)
        _ = try staging.step("preparing the file's subject list")
        insertSubject = try PreparedStatement(connection, """
            INSERT INTO temp.staged_subjects (file_id, code, name_key, name, valid, personal)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """, path: path)
        updateRegistry = try PreparedStatement(connection, """
            INSERT INTO registry (code, name, name_key, file_id) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT(code) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, file_id = excluded.file_id
            """, path: path)
    }

    deinit {
        if isOpen { rollback() }
    }

    /// Records findings about the file as a whole (such as header problems).
    public func append(fileFindings: [Finding]) throws {
        for finding in fileFindings { try insert(finding, line: nil) }
        counts.add(records: 0, rejected: 0, findings: fileFindings)
    }

    /// Archives one checked batch: accepted records by what they are to the history, rejected
    /// ones as received, every finding, the subjects it showed and its timeliness verdicts.
    public func append(_ checked: CheckedBatch) throws {
        let batch = checked.records, outcome = checked.outcome, normalized = checked.normalized
        let provenance = batch.provenance
        try normalized.withValues { values in
            for index in 0..<normalized.count {
                let source = normalized.sourceRecords[index]
                // Rejected after normalization, by the checks against the archive (`DUP_RECORD`).
                if outcome.rejected[source] { continue }
                try archive(index, values, normalized, origin: provenance[source], key: outcome.keys[source],
                            decision: outcome.decisions[source])
            }
        }
        if outcome.rejectedCount > 0 {
            try batch.withFields { fields in
                for record in 0..<fields.count where outcome.rejected[record] {
                    try reject(record, fields, origin: provenance[record], key: outcome.keys[record]?.key,
                               decision: outcome.decisions[record], subject: outcome.rejectedSubjects[record])
                }
            }
        }
        for finding in outcome.findings {
            try insert(finding, line: finding.record.map { Int64(provenance[$0].line) })
        }
        for subject in outcome.subjects {
            insertSubject.reset()
            insertSubject.bind(1, fileID)
            insertSubject.bind(2, subject.code)
            insertSubject.bind(3, subject.nameKey)
            insertSubject.bind(4, subject.name)
            insertSubject.bind(5, Int64(subject.isValid ? 1 : 0))
            insertSubject.bind(6, Int64(subject.isPersonal ? 1 : 0))
            try insertSubject.step("recording a subject code")
            archive.stagedSubjects += 1
            // The registry's newest file wins, as a renamed company's latest name should.
            if isRegistry, subject.isValid, !subject.nameKey.isEmpty {
                updateRegistry.reset()
                updateRegistry.bind(1, subject.code)
                updateRegistry.bind(2, subject.name)
                updateRegistry.bind(3, subject.nameKey)
                updateRegistry.bind(4, fileID)
                try updateRegistry.step("updating the subject registry")
            }
        }
        if archive.stagedSubjects >= Archive.subjectFlushSize {
            try archive.access(doing: "recording the file's subject codes") { db in try archive.flushStagedSubjects(db) }
        }
        counts.add(records: batch.count, rejected: outcome.rejectedCount, findings: outcome.findings)
        counts.timeliness += outcome.timeliness
    }

    /// Stores an accepted record unless it is an unchanged resubmission, and counts what it is.
    private func archive(_ index: Int, _ values: NormalizedBatch.Values, _ normalized: NormalizedBatch,
                         origin: Provenance, key state: KeyState?, decision: KeyDigest?) throws(ArchiveError) {
        if hasPendingRejections, let decision, try corrects(decision) { counts.history.corrected += 1 }
        let content = normalized.contentDigests[index]
        let version = state?.version ?? 0, wasWithdrawn = state?.withdrawn ?? false
        if let state, version > 0, state.content == content {
            counts.history.unchanged += 1
            return
        }
        let key = state?.key
        let withdrawn = normalized.withdrawn[index]
        insertRecord.reset()
        insertRecord.bind(1, fileID)
        insertRecord.bind(2, Int64(origin.line))
        insertRecord.bind(3, origin.byteOffset)
        for field in 0..<fieldCount {
            insertRecord.bind(Int32(field + 4), bytes: values.value(index, field))
        }
        let next = Int32(fieldCount + 4)
        try bindJSON(insertRecord, next, normalized.raw[index]) { () throws(ArchiveError) in
            try bindJSON(insertRecord, next + 1, normalized.extra[index]) { () throws(ArchiveError) in
                insertRecord.bind(next + 2, key)
                insertRecord.bind(next + 3, decision)
                insertRecord.bind(next + 4, state?.currentRow)
                insertRecord.bind(next + 5, version + 1)
                insertRecord.bind(next + 6, Int64(withdrawn ? 1 : 0))
                try insertRecord.step("storing a record")
            }
        }
        let row = sqlite3_last_insert_rowid(connection)
        if version == 0 { counts.history.new += 1 } else { counts.history.versions += 1 }
        if withdrawn, !wasWithdrawn { counts.history.withdrawn += 1 }
        guard let key else { return }
        if let previousRow = state?.currentRow {
            retireRow.reset()
            retireRow.bind(1, previousRow)
            try retireRow.step("retiring the previous version")
        }
        try setKey(key, version: version + 1, content: content, row: row, withdrawn: withdrawn)
    }

    /// True when an earlier file rejected this decision and nothing has corrected it since; the
    /// rejection is then settled.
    private func corrects(_ decision: KeyDigest) throws(ArchiveError) -> Bool {
        clearRejected.reset()
        clearRejected.bind(2, ArchiveMemory.scoped(decision, scope))
        clearRejected.bind(3, fileID)
        try clearRejected.step("settling a corrected rejection")
        return sqlite3_changes(connection) > 0
    }

    private func setKey(_ key: KeyDigest, version: Int64, content: KeyDigest, row: Int64?, withdrawn: Bool)
        throws(ArchiveError)
    {
        updateKey.reset()
        updateKey.bind(2, ArchiveMemory.scoped(key, scope))
        updateKey.bind(3, version)
        updateKey.bind(4, content)
        updateKey.bind(5, row)
        updateKey.bind(7, Int64(withdrawn ? 1 : 0))
        try updateKey.step("recording a record's version")
    }

    /// Keeps a rejected record as received (a JSON array in header order), with its key and subject.
    private func reject(_ record: Int, _ fields: RecordBatch.Fields, origin: Provenance, key: KeyDigest?,
                        decision: KeyDigest?, subject: SubjectReference?) throws(ArchiveError) {
        Self.receivedJSON(record, fields, into: &json)
        insertRejected.reset()
        insertRejected.bind(1, fileID)
        insertRejected.bind(2, Int64(origin.line))
        insertRejected.bind(3, origin.byteOffset)
        try bindJSON(insertRejected, 4, json) { () throws(ArchiveError) in
            insertRejected.bind(5, key)
            insertRejected.bind(6, decision)
            insertRejected.bind(7, subject?.code)
            insertRejected.bind(8, subject?.name)
            try insertRejected.step("storing a rejected record")
        }
        guard let decision else { return }
        markRejected.reset()
        markRejected.bind(1, itemID)
        markRejected.bind(2, ArchiveMemory.scoped(decision, scope))
        markRejected.bind(3, fileID)
        try markRejected.step("marking a rejected key")
    }

    /// A rejected record's fields as received: a JSON array in header order, into `json` (emptied first).
    static func receivedJSON(_ record: Int, _ fields: RecordBatch.Fields, into json: inout [UInt8]) {
        json.removeAll(keepingCapacity: true)
        json.append(0x5B)
        for column in 0..<fields.fieldCount(record) {
            guard let value = fields.field(record, column: column) else { continue }
            if column > 0 { json.append(0x2C) }
            JSONText.appendString(value, to: &json)
        }
        json.append(0x5D)
    }

    private func insert(_ finding: Finding, line: Int64?) throws(ArchiveError) {
        insertFinding.reset()
        insertFinding.bind(1, fileID)
        insertFinding.bind(2, line)
        insertFinding.bind(3, finding.rule.rawValue)
        insertFinding.bind(4, finding.severity.rawValue)
        insertFinding.bind(5, finding.field)
        insertFinding.bind(6, finding.value)
        insertFinding.bind(7, finding.detail)
        insertFinding.bind(8, Int64(finding.isPersonal ? 1 : 0))
        try insertFinding.step("storing a finding")
    }

    /// Stores the file's counts and commits its transaction. Returns the counts.
    @discardableResult
    public func commit() throws(ArchiveError) -> QualityCounts {
        let counts = self.counts
        let fileID = self.fileID
        try archive.access(doing: "finishing the file") { db in
            // In a group the pairs wait for the group's commit: each flush touches most of
            // subject_codes' index pages whatever its size, so fewer, larger flushes are cheaper.
            if !archive.isGroupOpen { try archive.flushStagedSubjects(db) }
            try db.execute(sql: """
                UPDATE files SET records = ?, compliant = ?, timely = ?, late = ?, timeliness_unknown = ?,
                    new_records = ?, new_versions = ?, unchanged = ?, withdrawn = ?, corrected = ?
                WHERE id = ?
                """, arguments: [counts.records, counts.compliant, counts.timeliness.timely, counts.timeliness.late,
                                 counts.timeliness.unknown, counts.history.new, counts.history.versions,
                                 counts.history.unchanged, counts.history.withdrawn, counts.history.corrected, fileID])
            let statement = try db.cachedStatement(sql: """
                INSERT INTO file_finding_counts (file_id, rule, severity, field, count) VALUES (?, ?, ?, ?, ?)
                """)
            for (key, count) in counts.findings.sorted(by: { $0.key < $1.key }) {
                try statement.execute(arguments: [fileID, key.rule.rawValue, key.severity.rawValue, key.field ?? "", count])
            }
            try archive.commitFile(db)
        }
        isOpen = false
        return counts
    }

    /// Forgets everything of this file (in a group, of the group). Safe to call more than once.
    public func rollback() {
        guard isOpen else { return }
        isOpen = false
        archive.rollbackOpenTransaction()
    }
}

/// Binds an optional JSON text for the duration of `body`.
@inline(__always)
private func bindJSON(_ statement: PreparedStatement, _ index: Int32, _ json: [UInt8]?,
                      _ body: () throws(ArchiveError) -> Void) throws(ArchiveError) {
    guard let json else {
        statement.bind(index, bytes: nil)
        return try body()
    }
    try json.withUnsafeBufferPointer { (buffer) throws(ArchiveError) in
        statement.bind(index, bytes: buffer)
        try body()
    }
}
