import CreditCatalog
import CreditCore

/// One file being archived on PostgreSQL: the same decisions per record as ``ArchiveFile``
/// (new, new version, unchanged, withdrawal, correction), taken for a whole batch against
/// states read in one round trip, and written with one `COPY` per table per batch.
///
/// It runs inside the claim's transaction, behind the savepoint ``PostgresArchive/beginFile(_:run:item:)``
/// set: ``commit()`` releases it, ``rollback()`` returns to it.
///
/// Row ids are the file's id times 2³² plus the record's number in the file, so a worker
/// assigns them without asking the server; `_previous` and `record_keys.current_row` refer to them.
public final class PostgresArchiveFile: BatchSink {
    public let fileID: Int64
    /// Validation's memory, in this file's transaction.
    public let memory: PostgresMemory
    /// The file's quality counts so far.
    public private(set) var counts = QualityCounts()
    private let archive: PostgresArchive
    private var connection: PostgresConnection { archive.connection }
    private let table: String
    private let columns: [String]
    private let itemID: String
    private let scope: KeyDigest
    private let fieldCount: Int
    private let isRegistry: Bool
    private let hasPendingRejections: Bool
    private var isOpen = true
    private var nextRow: Int64
    // Reused from batch to batch.
    private var records: [UInt8] = []
    private var rejected: [UInt8] = []
    private var findings: [UInt8] = []
    private var subjects: [UInt8] = []
    private var json: [UInt8] = []
    private var retired: [Int64] = []
    /// The batch's rejected decisions as the server knew them (scoped → file), then as this batch left them.
    private var decisions: [KeyDigest: Int64] = [:]
    private var settled: [KeyDigest] = []
    private var marked: [KeyDigest] = []
    private var registry: [String: (name: String, key: String)] = [:]
    private var registryOrder: [String] = []

    init(archive: PostgresArchive, fileID: Int64, item: CatalogItem) throws(ArchiveError) {
        self.archive = archive
        self.fileID = fileID
        table = Archive.tableName(forItem: item.id)
        itemID = item.id
        scope = KeyDigest(Array(item.id.utf8))
        fieldCount = item.fields.count
        isRegistry = item.isRegistry
        columns = ["_id", "_file", "_line", "_offset"] + item.fields.map(\.id)
            + ["_raw", "_extra", "_key", "_decision", "_previous", "_version", "_withdrawn"]
        nextRow = fileID << 32
        memory = PostgresMemory(connection: archive.connection, item: item.id, fileID: fileID)
        try archive.connection.execute("""
            CREATE TEMP TABLE IF NOT EXISTS staged_keys (key bytea, seen_file bigint, version bigint, content bytea,
                                                         current_row bigint, withdrawn integer);
            CREATE TEMP TABLE IF NOT EXISTS staged_subjects (file_id bigint, code text, name_key text, name text,
                                                             valid integer, personal integer);
            CREATE TEMP TABLE IF NOT EXISTS staged_registry (code text, name text, name_key text, file_id bigint);
            """)
        hasPendingRejections = try archive.connection.query(
            "SELECT EXISTS (SELECT 1 FROM rejected_decisions WHERE item = $1)", [item.id]).first?[0] == "t"
    }

    deinit {
        if isOpen { rollback() }
    }

    public func append(fileFindings: [Finding]) throws {
        findings.removeAll(keepingCapacity: true)
        for finding in fileFindings { appendFinding(finding, line: nil) }
        try copyFindings()
        counts.add(records: 0, rejected: 0, findings: fileFindings)
    }

    public func append(_ checked: CheckedBatch) throws {
        let batch = checked.records, outcome = checked.outcome, normalized = checked.normalized
        let provenance = batch.provenance
        records.removeAll(keepingCapacity: true)
        rejected.removeAll(keepingCapacity: true)
        findings.removeAll(keepingCapacity: true)
        retired.removeAll(keepingCapacity: true)
        settled.removeAll(keepingCapacity: true)
        marked.removeAll(keepingCapacity: true)
        try loadDecisions(outcome.decisions)
        normalized.withValues { values in
            for index in 0..<normalized.count {
                let source = normalized.sourceRecords[index]
                if outcome.rejected[source] { continue }
                archive(index, values, normalized, origin: provenance[source], key: outcome.keys[source],
                        decision: outcome.decisions[source])
            }
        }
        if outcome.rejectedCount > 0 {
            batch.withFields { fields in
                for record in 0..<fields.count where outcome.rejected[record] {
                    reject(record, fields, origin: provenance[record], key: outcome.keys[record]?.key,
                           decision: outcome.decisions[record], subject: outcome.rejectedSubjects[record])
                }
            }
        }
        for finding in outcome.findings {
            appendFinding(finding, line: finding.record.map { Int64(provenance[$0].line) })
        }
        for subject in outcome.subjects {
            PostgresMemory.appendNumber(fileID, to: &subjects)
            Self.appendText(subject.code, to: &subjects)
            Self.appendText(subject.nameKey, to: &subjects)
            Self.appendText(subject.name, to: &subjects)
            subjects.append(contentsOf: [0x09, subject.isValid ? 0x31 : 0x30, 0x09, subject.isPersonal ? 0x31 : 0x30, 0x0A])
            // The registry's newest file wins, as a renamed company's latest name should.
            if isRegistry, subject.isValid, !subject.nameKey.isEmpty {
                if registry.updateValue((subject.name, subject.nameKey), forKey: subject.code) == nil {
                    registryOrder.append(subject.code)
                }
            }
        }
        if !records.isEmpty { try connection.copy(into: table, columns: columns, data: records) }
        if !retired.isEmpty {
            try connection.execute("UPDATE \(table) SET _current = 0 WHERE _id = ANY ($1::bigint[])",
                                   ["{" + retired.map(String.init).joined(separator: ",") + "}"])
        }
        if !rejected.isEmpty {
            try connection.copy(into: "rejected_records", columns: ["file_id", "line", "byte_offset", "fields", "key",
                                                                    "decision", "subject_code", "subject_name"],
                                data: rejected)
        }
        try copyFindings()
        try storeDecisions()
        try memory.flush()
        if subjects.count >= 1 << 22 { try flushSubjects() }
        counts.add(records: batch.count, rejected: outcome.rejectedCount, findings: outcome.findings)
        counts.timeliness += outcome.timeliness
    }

    /// Reads which of the batch's decisions earlier files rejected and nothing corrected since.
    private func loadDecisions(_ batchDecisions: [KeyDigest?]) throws(ArchiveError) {
        decisions.removeAll(keepingCapacity: true)
        let wanted = batchDecisions.compactMap { $0.map { ArchiveMemory.scoped($0, scope) } }
        // Only a correction needs to know them, and only earlier files' rejections can be corrected.
        guard hasPendingRejections, !wanted.isEmpty else { return }
        for row in try connection.query("""
            SELECT encode(decision, 'hex'), file_id FROM rejected_decisions WHERE decision = ANY (\(PostgresMemory.byteaArray(1)))
            """, [PostgresMemory.hexList(wanted)]) {
            if let decision = row[0].flatMap(KeyDigest.init(hex:)), let file = row[1].flatMap({ Int64($0) }) {
                decisions[decision] = file
            }
        }
    }

    /// Settled rejections go, this batch's rejections are marked (settled first: a decision the
    /// batch corrected and then rejected again stays rejected, by this file).
    private func storeDecisions() throws(ArchiveError) {
        if !settled.isEmpty {
            try connection.execute("DELETE FROM rejected_decisions WHERE decision = ANY (\(PostgresMemory.byteaArray(1)))",
                                   [PostgresMemory.hexList(settled)])
        }
        guard !marked.isEmpty else { return }
        try connection.execute("""
            INSERT INTO rejected_decisions (decision, item, file_id)
            SELECT d, $2, $3 FROM unnest(\(PostgresMemory.byteaArray(1))) AS d
            ON CONFLICT (decision) DO UPDATE SET file_id = excluded.file_id
            """, [PostgresMemory.hexList(Array(Set(marked))), itemID, "\(fileID)"])
    }

    /// The same decision as ``ArchiveFile``'s per record, into this batch's COPY text.
    private func archive(_ index: Int, _ values: NormalizedBatch.Values, _ normalized: NormalizedBatch,
                         origin: Provenance, key state: KeyState?, decision: KeyDigest?) {
        if hasPendingRejections, let decision {
            let scoped = ArchiveMemory.scoped(decision, scope)
            if let file = decisions[scoped], file != fileID {
                decisions[scoped] = nil
                settled.append(scoped)
                counts.history.corrected += 1
            }
        }
        let content = normalized.contentDigests[index]
        let version = state?.version ?? 0, wasWithdrawn = state?.withdrawn ?? false
        if let state, version > 0, state.content == content {
            counts.history.unchanged += 1
            return
        }
        let withdrawn = normalized.withdrawn[index]
        nextRow += 1
        let row = nextRow
        PostgresMemory.appendNumber(row, to: &records)
        records.append(0x09)
        Self.appendLineage(fileID, origin, to: &records)
        for field in 0..<fieldCount {
            records.append(0x09)
            PostgresConnection.appendCopyText(bytes: values.value(index, field), to: &records)
        }
        Self.appendJSON(normalized.raw[index], to: &records)
        Self.appendJSON(normalized.extra[index], to: &records)
        Self.appendDigest(state?.key, to: &records)
        Self.appendDigest(decision, to: &records)
        records.append(0x09)
        if let previous = state?.currentRow { PostgresMemory.appendNumber(previous, to: &records) } else {
            records.append(contentsOf: [0x5C, 0x4E])
        }
        records.append(0x09)
        PostgresMemory.appendNumber(version + 1, to: &records)
        records.append(contentsOf: [0x09, withdrawn ? 0x31 : 0x30, 0x0A])
        if version == 0 { counts.history.new += 1 } else { counts.history.versions += 1 }
        if withdrawn, !wasWithdrawn { counts.history.withdrawn += 1 }
        guard let key = state?.key else { return }
        if let previous = state?.currentRow { retired.append(previous) }
        memory.setKey(key, version: version + 1, content: content, row: row, withdrawn: withdrawn)
    }

    /// Keeps a rejected record as received (a JSON array in header order), with its key and subject.
    private func reject(_ record: Int, _ fields: RecordBatch.Fields, origin: Provenance, key: KeyDigest?,
                        decision: KeyDigest?, subject: SubjectReference?) {
        ArchiveFile.receivedJSON(record, fields, into: &json)
        Self.appendLineage(fileID, origin, to: &rejected)
        rejected.append(0x09)
        json.withUnsafeBufferPointer { PostgresConnection.appendCopyText(bytes: $0, to: &rejected) }
        Self.appendDigest(key, to: &rejected)
        Self.appendDigest(decision, to: &rejected)
        rejected.append(0x09)
        PostgresConnection.appendCopyText(subject?.code, to: &rejected)
        rejected.append(0x09)
        PostgresConnection.appendCopyText(subject?.name, to: &rejected)
        rejected.append(0x0A)
        guard let decision else { return }
        let scoped = ArchiveMemory.scoped(decision, scope)
        decisions[scoped] = fileID
        marked.append(scoped)
    }

    /// The file, line and byte offset a row came from, in COPY's text format.
    @inline(__always)
    private static func appendLineage(_ fileID: Int64, _ origin: Provenance, to buffer: inout [UInt8]) {
        PostgresMemory.appendNumber(fileID, to: &buffer)
        buffer.append(0x09)
        PostgresMemory.appendNumber(Int64(origin.line), to: &buffer)
        buffer.append(0x09)
        PostgresMemory.appendNumber(origin.byteOffset, to: &buffer)
    }

    /// A text value, or NULL, after a tab (one call per value: no array per record).
    @inline(__always)
    private static func appendText(_ text: String?, to buffer: inout [UInt8]) {
        buffer.append(0x09)
        PostgresConnection.appendCopyText(text, to: &buffer)
    }

    /// A JSON text kept as bytes (`_raw`, `_extra`), or NULL, after a tab.
    @inline(__always)
    private static func appendJSON(_ json: [UInt8]?, to buffer: inout [UInt8]) {
        buffer.append(0x09)
        guard let json else { return buffer.append(contentsOf: [0x5C, 0x4E]) }
        json.withUnsafeBufferPointer { PostgresConnection.appendCopyText(bytes: $0, to: &buffer) }
    }

    /// A digest as bytea, or NULL, after a tab.
    @inline(__always)
    private static func appendDigest(_ digest: KeyDigest?, to buffer: inout [UInt8]) {
        buffer.append(0x09)
        if let digest { PostgresMemory.appendBytea(digest, to: &buffer) } else { buffer.append(contentsOf: [0x5C, 0x4E]) }
    }

    private func appendFinding(_ finding: Finding, line: Int64?) {
        PostgresMemory.appendNumber(fileID, to: &findings)
        findings.append(0x09)
        if let line { PostgresMemory.appendNumber(line, to: &findings) } else { findings.append(contentsOf: [0x5C, 0x4E]) }
        Self.appendText(finding.rule.rawValue, to: &findings)
        Self.appendText(finding.severity.rawValue, to: &findings)
        Self.appendText(finding.field, to: &findings)
        Self.appendText(finding.value, to: &findings)
        Self.appendText(finding.detail, to: &findings)
        findings.append(contentsOf: [0x09, finding.isPersonal ? 0x31 : 0x30, 0x0A])
    }

    private func copyFindings() throws(ArchiveError) {
        guard !findings.isEmpty else { return }
        try connection.copy(into: "findings", columns: ["file_id", "line", "rule", "severity", "field", "value", "detail",
                                                        "personal"], data: findings)
        findings.removeAll(keepingCapacity: true)
    }

    /// Moves the file's subject pairs to subject_codes, a repeat of a pair dropped by its unique
    /// index as on SQLite, and the registry's names to the registry.
    private func flushSubjects() throws(ArchiveError) {
        if !subjects.isEmpty {
            try connection.copy(into: "staged_subjects", columns: ["file_id", "code", "name_key", "name", "valid", "personal"],
                                data: subjects)
            try connection.execute("""
                INSERT INTO subject_codes (file_id, code, name_key, name, valid, personal)
                SELECT file_id, code, name_key, name, valid, personal FROM staged_subjects ORDER BY code, name_key
                ON CONFLICT DO NOTHING;
                TRUNCATE staged_subjects
                """)
            subjects.removeAll(keepingCapacity: true)
        }
        if !registryOrder.isEmpty {
            let rows = registryOrder.map { code in [code, registry[code]?.name, registry[code]?.key, "\(fileID)"] }
            try connection.copy(into: "staged_registry", columns: ["code", "name", "name_key", "file_id"], rows: rows)
            try connection.execute("""
                INSERT INTO registry (code, name, name_key, file_id)
                SELECT code, name, name_key, file_id FROM staged_registry
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, file_id = excluded.file_id;
                TRUNCATE staged_registry
                """)
            registry.removeAll(keepingCapacity: true)
            registryOrder.removeAll(keepingCapacity: true)
        }
    }

    /// Stores the file's counts and releases its savepoint; the claim's commit makes it durable.
    @discardableResult
    public func commit() throws(ArchiveError) -> QualityCounts {
        let counts = self.counts
        do {
            try flushSubjects()
            try connection.execute("""
                UPDATE files SET records = $1, compliant = $2, timely = $3, late = $4, timeliness_unknown = $5,
                    new_records = $6, new_versions = $7, unchanged = $8, withdrawn = $9, corrected = $10
                WHERE id = $11
                """, [counts.records, counts.compliant, counts.timeliness.timely, counts.timeliness.late,
                      counts.timeliness.unknown, counts.history.new, counts.history.versions, counts.history.unchanged,
                      counts.history.withdrawn, counts.history.corrected, Int(fileID)].map { "\($0)" })
            let rows = counts.findings.sorted(by: { $0.key < $1.key }).map { key, count in
                ["\(fileID)", key.rule.rawValue, key.severity.rawValue, key.field ?? "", "\(count)"]
            }
            if !rows.isEmpty {
                try connection.copy(into: "file_finding_counts", columns: ["file_id", "rule", "severity", "field", "count"],
                                    rows: rows)
            }
            try connection.execute("RELEASE SAVEPOINT file")
        } catch {
            rollback()
            throw error
        }
        isOpen = false
        return counts
    }

    /// Forgets everything of this file; the claim's transaction stays open for its outcome.
    public func rollback() {
        guard isOpen else { return }
        isOpen = false
        do {
            try connection.execute("ROLLBACK TO SAVEPOINT file")
        } catch {
            // Part of the file may still be in the claim's transaction: it must not commit.
            archive.claimFailure = error
        }
    }
}
