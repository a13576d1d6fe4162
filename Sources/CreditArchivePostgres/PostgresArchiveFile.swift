import CreditArchive
import CreditCatalog
import CreditCore

/// One file being archived on PostgreSQL: the history stage's prior state read for a whole
/// batch in one round trip per table (``fetchPrior(_:into:)``), and the batch written as the
/// stage decided it with one `COPY` per table: the same verdicts as ``ArchiveFile`` writes.
///
/// It runs inside the claim's transaction, behind the savepoint ``PostgresArchive/beginFile(_:run:item:)``
/// set: ``commit()`` releases it, ``rollback()`` returns to it. Files of one item never run at
/// the same time (``PostgresArchive``), so no other worker changes the rows read meanwhile.
///
/// Row ids are the file's id times 2³² plus the record's number in the file, so a worker
/// assigns them without asking the server; `_previous` and `record_keys.current_row` refer to them.
public final class PostgresArchiveFile: BatchSink {
    public let fileID: Int64
    /// The file's quality counts so far.
    public private(set) var counts = QualityCounts()
    /// Whether the registry has names (and this item is not the registry).
    public let consultsRegistry: Bool
    private let archive: PostgresArchive
    private var connection: PostgresConnection { archive.connection }
    private let table: String
    private let columns: [String]
    private let itemID: String
    /// How keys, codes and decisions of this item are stored (``KeyScope``).
    private let scope: KeyScope
    private let fieldCount: Int
    /// The identity-number fields' positions, whose digests are stored beside them (``SubjectLookup/identityDigest(_:scratch:)``).
    private let identityFields: [Int]
    private var digestScratch: [UInt8] = []
    private let isRegistry: Bool
    /// Whether earlier files left rejected decisions of this item uncorrected (see ``ArchiveFile``).
    private let hasPendingRejections: Bool
    private var isOpen = true
    private var nextRow: Int64
    // Reused from batch to batch.
    private var records: [UInt8] = []
    private var rejected: [UInt8] = []
    private var findings: [UInt8] = []
    private var subjects: [UInt8] = []
    private var keys: [UInt8] = []
    private var names: [UInt8] = []
    private var json: [UInt8] = []
    private var retired: [Int64] = []
    private var registry: [String: (name: String, key: String)] = [:]
    private var registryOrder: [String] = []
    /// The feed whose files' prints a large file of it loads.
    private let feed: String

    init(archive: PostgresArchive, fileID: Int64, item: CatalogItem, feed: String) throws(ArchiveError) {
        self.archive = archive
        self.feed = feed
        self.fileID = fileID
        table = ArchiveSchema.tableName(forItem: item.id)
        itemID = item.id
        scope = KeyScope(item: item.id)
        fieldCount = item.fields.count
        isRegistry = item.isRegistry
        let identities = SubjectLookup.fields(of: item, for: .identityNumber)
        identityFields = identities.compactMap { item.fieldIndex(id: $0) }
        columns = ["_id", "_file", "_line", "_offset"] + item.fields.map(\.id)
            + ["_raw", "_extra", "_key", "_decision", "_previous", "_version", "_withdrawn", "_print"]
            + identities.filter { item.fieldIndex(id: $0) != nil }.map(SubjectLookup.digestColumn)
        nextRow = fileID << 32
        try archive.connection.execute("""
            CREATE TEMP TABLE IF NOT EXISTS staged_keys (key bytea, seen_file bigint, version bigint, content bytea,
                                                         current_row bigint, withdrawn integer);
            CREATE TEMP TABLE IF NOT EXISTS staged_subjects (file_id bigint, code text, name_key text, name text,
                                                             valid integer, personal integer);
            CREATE TEMP TABLE IF NOT EXISTS staged_registry (code text, name text, name_key text, file_id bigint);
            """)
        let state = try archive.connection.query("""
            SELECT EXISTS (SELECT 1 FROM rejected_decisions WHERE item = $1), EXISTS (SELECT 1 FROM registry)
            """, [item.id]).first
        hasPendingRejections = state?[0] == "t"
        consultsRegistry = !item.isRegistry && state?[1] == "t"
    }

    deinit {
        if isOpen { rollback() }
    }

    public func append(fileFindings: [Finding]) throws(ArchiveError) {
        findings.removeAll(keepingCapacity: true)
        for finding in fileFindings { appendFinding(finding, line: nil) }
        try copyFindings()
        counts.add(records: 0, rejected: 0, findings: fileFindings)
    }

    public func fetchPrior(_ questions: HistoryQuestions, into prior: inout PriorState) throws(ArchiveError) {
        prior.removeAll()
        let location = connection.location
        if !questions.keys.isEmpty {
            for row in try connection.query("""
                SELECT encode(key, 'hex'), seen_file, version, encode(content, 'hex'), current_row, withdrawn
                FROM record_keys WHERE key = ANY (\(PostgresCopyText.byteaArray(1)))
                """, [PostgresCopyText.hexList(questions.keys.map(scope.callAsFunction))]) {
                // A key's state that does not read would turn into "a new key": fail instead.
                prior.keys[scope(try digest(row[0], "record_keys"))] = KeyHistory(
                    carriedByThisFile: try PostgresText.id(row[1], location: location) == fileID,
                    version: try PostgresText.id(row[2], location: location),
                    content: row[3] == nil ? nil : try digest(row[3], "record_keys"),
                    currentRow: try PostgresText.number(row[4], location: location), withdrawn: row[5] == "1")
            }
        }
        if !questions.codes.isEmpty {
            for row in try connection.query("""
                SELECT encode(code, 'hex'), encode(name_key, 'hex'), name
                FROM subject_names WHERE code = ANY (\(PostgresCopyText.byteaArray(1)))
                """, [PostgresCopyText.hexList(questions.codes.map(scope.callAsFunction))]) {
                prior.firstNames[scope(try digest(row[0], "subject_names"))] =
                    SubjectName(key: try digest(row[1], "subject_names"), name: row[2] ?? "")
            }
        }
        if consultsRegistry, !questions.registryCodes.isEmpty {
            let digests = Dictionary(questions.registryCodes.map { ($0.code, $0.digest) }, uniquingKeysWith: { first, _ in first })
            for row in try connection.query("SELECT code, name_key, name FROM registry WHERE code = ANY ($1::text[])",
                                            [PostgresCopyText.textArray(questions.registryCodes.map(\.code))]) {
                guard let code = row[0] ?? nil, let digest = digests[code], let key = row[1] ?? nil else { continue }
                prior.registered[digest] = SubjectName(key: KeyDigest(Array(key.utf8)), name: row[2] ?? "")
            }
        }
        // Only an earlier file's rejection can be corrected, so with none pending nothing is read.
        guard hasPendingRejections, !questions.decisions.isEmpty else { return }
        for row in try connection.query("""
            SELECT encode(decision, 'hex'), file_id FROM rejected_decisions
            WHERE decision = ANY (\(PostgresCopyText.byteaArray(1)))
            """, [PostgresCopyText.hexList(questions.decisions.map(scope.callAsFunction))]) {
            prior.rejectedDecisions[scope(try digest(row[0], "rejected_decisions"))] =
                try PostgresText.id(row[1], location: location) == fileID
        }
    }

    /// The current versions' prints of this file's feed and its last large file's rejected ones,
    /// when this file is large enough against the feed's earlier ones: as ``ArchiveFile`` loads them.
    public func currentPrints(fileSize: Int64) throws(ArchiveError) -> FeedPrints? {
        let location = connection.location
        guard PrintSource.worthLoading(fileSize: fileSize, tableBytes: try archive.tableBytes(feed: feed)) else {
            return nil
        }
        let rows = try connection.query("""
            SELECT _id, encode(_print, 'hex'), _decision IS NOT NULL AND _decision = ANY (\(PostgresCopyText.byteaArray(3)))
            FROM \(table)
            WHERE _file IN (SELECT id FROM files WHERE feed = $1 AND id <> $2) AND _current = 1 AND _print IS NOT NULL
              AND _key IS NOT NULL
            LIMIT \(PrintSource.maximumLoaded + 1)
            """, [feed, "\(fileID)", try pendingDecisions()])
        // One row more than the most loaded says the feed holds more: checked as usual, and no
        // more of it was read into memory.
        guard rows.count <= PrintSource.maximumLoaded else { return nil }
        var ids: [Int64] = [], prints: [KeyDigest] = []
        ids.reserveCapacity(rows.count)
        prints.reserveCapacity(rows.count)
        for row in rows where row[2] != "t" {
            // A version whose decision waits for a correction is checked: re-sending it corrects it.
            guard let id = try PostgresText.number(row[0], location: location) else { continue }
            ids.append(id)
            prints.append(try digest(row[1], table))
        }
        let rejected = try connection.query("""
            SELECT encode(print, 'hex') FROM rejected_records WHERE print IS NOT NULL AND file_id = (
                SELECT MAX(id) FROM files WHERE feed = $1 AND id <> $2 AND size >= $3)
            """, [feed, "\(fileID)", "\(fileSize / 4)"])
        var rejectedPrints = Set<KeyDigest>()
        for row in rejected { rejectedPrints.insert(try digest(row[0], "rejected_records")) }
        return FeedPrints(current: PrintSet(rows: ids, prints: prints), rejected: rejectedPrints)
    }

    /// The decisions of this item that wait for a correction, unscoped, as one hex-list parameter.
    private func pendingDecisions() throws(ArchiveError) -> String {
        guard hasPendingRejections else { return "" }
        var decisions: [KeyDigest] = []
        for row in try connection.query("SELECT encode(decision, 'hex') FROM rejected_decisions WHERE item = $1", [itemID]) {
            decisions.append(scope(try digest(row[0], "rejected_decisions")))
        }
        return PostgresCopyText.hexList(decisions)
    }

    /// A digest of the archive's memory as hex text; one that does not read is an error, never a
    /// key taken as new.
    private func digest(_ text: String??, _ table: String) throws(ArchiveError) -> KeyDigest {
        guard let digest = text.flatMap({ $0 }).flatMap(KeyDigest.init(hex:)) else {
            throw ArchiveError(.statement, path: connection.location, message: "a row of \(table) does not read as this "
                + "version writes it; the archive may be from another version or damaged: run `credit-etl doctor`")
        }
        return digest
    }

    /// Archives one checked batch as the history stage decided, with one `COPY` per table.
    public func append(_ checked: CheckedBatch) throws(ArchiveError) {
        let batch = checked.records, outcome = checked.outcome, normalized = checked.normalized
        let history = checked.history
        let provenance = batch.provenance
        records.removeAll(keepingCapacity: true)
        rejected.removeAll(keepingCapacity: true)
        findings.removeAll(keepingCapacity: true)
        retired.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true)
        let recordPrints = checked.repeats.prints
        normalized.withValues { values in
            for index in 0..<normalized.count {
                let source = normalized.sourceRecords[index]
                let verdict = history.records[source]
                guard verdict.isStored else { continue }
                store(index, values, normalized, origin: provenance[source], verdict: verdict,
                      decision: outcome.decisions[source], print: recordPrints.isEmpty ? nil : recordPrints[source])
            }
        }
        for verdict in history.records where !verdict.isStored {
            // Carried by this file without a new version: only `seen_file` changes (version 0 says so).
            guard let key = verdict.key else { continue }
            appendKey(key, version: 0, content: nil, row: nil, withdrawn: false)
        }
        if outcome.rejectedCount > 0 {
            batch.withFields { fields in
                for record in 0..<fields.count where outcome.rejected[record] {
                    reject(record, fields, origin: provenance[record], key: history.records[record].key,
                           decision: outcome.decisions[record], subject: outcome.rejectedSubjects[record],
                           print: recordPrints.isEmpty ? nil : recordPrints[record])
                }
            }
        }
        for finding in outcome.findings {
            appendFinding(finding, line: finding.record.map { Int64(provenance[$0].line) })
        }
        for first in history.firstNames {
            PostgresCopyText.appendBytea(scope(first.code), to: &names)
            names.append(0x09)
            PostgresCopyText.appendBytea(first.key, to: &names)
            names.append(0x09)
            PostgresConnection.appendCopyText(first.name, to: &names)
            names.append(0x0A)
        }
        for subject in outcome.subjects {
            PostgresCopyText.appendNumber(fileID, to: &subjects)
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
                                                                    "decision", "subject_code", "subject_name", "print"],
                                data: rejected)
        }
        if !history.reprinted.isEmpty, !recordPrints.isEmpty {
            // Unchanged, checked under other prints (a new catalog or program): the next re-send is known.
            try connection.execute("""
                UPDATE \(table) t SET _print = decode(v.print, 'hex')
                FROM unnest($1::bigint[], string_to_array($2, ',')) AS v(id, print) WHERE t._id = v.id
                """, ["{" + history.reprinted.map { String($0.row) }.joined(separator: ",") + "}",
                       PostgresCopyText.hexList(history.reprinted.map { recordPrints[$0.record] })])
        }
        try copyFindings()
        try storeDecisions(settled: history.settledDecisions, rejected: history.rejectedDecisions)
        try storeKeysAndNames()
        if subjects.count >= 1 << 22 { try flushSubjects() }
        counts.add(records: batch.count, rejected: outcome.rejectedCount, findings: outcome.findings)
        counts.timeliness += outcome.timeliness
        counts.history += history.counts
        counts.editions.merge(outcome.editions, uniquingKeysWith: +)
    }

    /// Settled rejections go, this batch's rejections are marked (settled first: a decision the
    /// batch corrected and then rejected again stays rejected, by this file).
    private func storeDecisions(settled: [KeyDigest], rejected: [KeyDigest]) throws(ArchiveError) {
        if !settled.isEmpty {
            try connection.execute("DELETE FROM rejected_decisions WHERE decision = ANY (\(PostgresCopyText.byteaArray(1)))",
                                   [PostgresCopyText.hexList(settled.map(scope.callAsFunction))])
        }
        guard !rejected.isEmpty else { return }
        try connection.execute("""
            INSERT INTO rejected_decisions (decision, item, file_id)
            SELECT d, $2, $3 FROM unnest(\(PostgresCopyText.byteaArray(1))) AS d
            ON CONFLICT (decision) DO UPDATE SET file_id = excluded.file_id
            """, [PostgresCopyText.hexList(rejected.map(scope.callAsFunction)), itemID, "\(fileID)"])
    }

    /// Writes the batch's keys (through a temporary table and one upsert: a key stored again
    /// takes its new state, a key only carried keeps its state and notes the file) and its first
    /// names (one COPY: a first name is only ever inserted).
    private func storeKeysAndNames() throws(ArchiveError) {
        if !keys.isEmpty {
            try connection.copy(into: "staged_keys", columns: ["key", "seen_file", "version", "content", "current_row",
                                                               "withdrawn"], data: keys)
            try connection.execute("""
                INSERT INTO record_keys (key, seen_file, version, content, current_row, withdrawn)
                SELECT key, seen_file, version, content, current_row, withdrawn FROM staged_keys
                ON CONFLICT (key) DO UPDATE SET seen_file = excluded.seen_file,
                    version = CASE WHEN excluded.version > 0 THEN excluded.version ELSE record_keys.version END,
                    content = CASE WHEN excluded.version > 0 THEN excluded.content ELSE record_keys.content END,
                    current_row = CASE WHEN excluded.version > 0 THEN excluded.current_row ELSE record_keys.current_row END,
                    withdrawn = CASE WHEN excluded.version > 0 THEN excluded.withdrawn ELSE record_keys.withdrawn END;
                TRUNCATE staged_keys
                """)
        }
        if !names.isEmpty {
            try connection.copy(into: "subject_names", columns: ["code", "name_key", "name"], data: names)
        }
    }

    /// One row of `staged_keys`: version 0 when the key was only carried.
    private func appendKey(_ key: KeyDigest, version: Int64, content: KeyDigest?, row: Int64?, withdrawn: Bool) {
        PostgresCopyText.appendBytea(scope(key), to: &keys)
        keys.append(0x09)
        PostgresCopyText.appendNumber(fileID, to: &keys)
        keys.append(0x09)
        PostgresCopyText.appendNumber(version, to: &keys)
        Self.appendDigest(content, to: &keys)
        keys.append(0x09)
        if let row { PostgresCopyText.appendNumber(row, to: &keys) } else { keys.append(contentsOf: [0x5C, 0x4E]) }
        keys.append(contentsOf: [0x09, withdrawn ? 0x31 : 0x30, 0x0A])
    }

    /// An accepted record as its verdict says, into this batch's COPY text.
    private func store(_ index: Int, _ values: NormalizedBatch.Values, _ normalized: NormalizedBatch,
                       origin: Provenance, verdict: RecordVerdict, decision: KeyDigest?, print: KeyDigest?) {
        nextRow += 1
        let row = nextRow
        PostgresCopyText.appendNumber(row, to: &records)
        records.append(0x09)
        Self.appendLineage(fileID, origin, to: &records)
        for field in 0..<fieldCount {
            records.append(0x09)
            PostgresConnection.appendCopyText(bytes: values.value(index, field), to: &records)
        }
        Self.appendJSON(normalized.raw[index], to: &records)
        Self.appendJSON(normalized.extra[index], to: &records)
        Self.appendDigest(verdict.key, to: &records)
        Self.appendDigest(decision, to: &records)
        records.append(0x09)
        if let previous = verdict.previousRow { PostgresCopyText.appendNumber(previous, to: &records) } else {
            records.append(contentsOf: [0x5C, 0x4E])
        }
        records.append(0x09)
        PostgresCopyText.appendNumber(verdict.version, to: &records)
        records.append(contentsOf: [0x09, verdict.withdrawn ? 0x31 : 0x30])
        Self.appendDigest(print, to: &records)
        for field in identityFields {
            Self.appendDigest(values.value(index, field).flatMap { SubjectLookup.identityDigest($0, scratch: &digestScratch) },
                              to: &records)
        }
        records.append(0x0A)
        guard let key = verdict.key else { return }
        if let previous = verdict.previousRow { retired.append(previous) }
        appendKey(key, version: verdict.version, content: normalized.contentDigests[index], row: row,
                  withdrawn: verdict.withdrawn)
    }

    /// Keeps a rejected record as received (a JSON array in header order), with its key and subject.
    private func reject(_ record: Int, _ fields: RecordBatch.Fields, origin: Provenance, key: KeyDigest?,
                        decision: KeyDigest?, subject: SubjectReference?, print: KeyDigest?) {
        ArchiveSchema.receivedJSON(record, fields, into: &json)
        Self.appendLineage(fileID, origin, to: &rejected)
        rejected.append(0x09)
        json.withUnsafeBufferPointer { PostgresConnection.appendCopyText(bytes: $0, to: &rejected) }
        Self.appendDigest(key, to: &rejected)
        Self.appendDigest(decision, to: &rejected)
        rejected.append(0x09)
        PostgresConnection.appendCopyText(subject?.code, to: &rejected)
        rejected.append(0x09)
        PostgresConnection.appendCopyText(subject?.name, to: &rejected)
        Self.appendDigest(print, to: &rejected)
        rejected.append(0x0A)
    }

    /// The file, line and byte offset a row came from, in COPY's text format.
    @inline(__always)
    private static func appendLineage(_ fileID: Int64, _ origin: Provenance, to buffer: inout [UInt8]) {
        PostgresCopyText.appendNumber(fileID, to: &buffer)
        buffer.append(0x09)
        PostgresCopyText.appendNumber(Int64(origin.line), to: &buffer)
        buffer.append(0x09)
        PostgresCopyText.appendNumber(origin.byteOffset, to: &buffer)
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
        if let digest { PostgresCopyText.appendBytea(digest, to: &buffer) } else { buffer.append(contentsOf: [0x5C, 0x4E]) }
    }

    private func appendFinding(_ finding: Finding, line: Int64?) {
        PostgresCopyText.appendNumber(fileID, to: &findings)
        findings.append(0x09)
        if let line { PostgresCopyText.appendNumber(line, to: &findings) } else { findings.append(contentsOf: [0x5C, 0x4E]) }
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
            if !counts.editions.isEmpty {
                try connection.copy(into: "file_edition_counts", columns: ["file_id", "edition", "records"],
                                    rows: counts.editions.sorted(by: { $0.key < $1.key }).map { ["\(fileID)", $0.key, "\($0.value)"] })
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
