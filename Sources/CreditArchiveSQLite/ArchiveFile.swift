import CreditArchive
import CreditCatalog
import CreditCore
import GRDB
import GRDBSQLite

/// One file being archived: the sink the per-file flow appends checked batches to, inside the
/// file's own transaction (or its group's: ``Archive/beginGroup()``). ``commit()`` keeps
/// everything; ``rollback()`` (or a thrown error and no commit) leaves the archive exactly as it
/// was before the file (before the group).
///
/// Before each batch it reads what the history stage asks (``fetchPrior(_:into:)``: the keys'
/// states, the codes' first names, the registry's names, pending rejections), one indexed
/// lookup each; then it writes the batch as the stage decided (``CheckedBatch/history``): new
/// rows and versions, the keys' new states, first names, settled and new rejections. It
/// decides nothing. Values are bound straight from the normalized batch's bytes into prepared
/// statements: no `String` per value.
public final class ArchiveFile: BatchSink {
    public let fileID: Int64
    /// The file's quality counts so far.
    public private(set) var counts = QualityCounts()
    /// Whether the registry has names (and this item is not the registry): otherwise no code is
    /// looked up there.
    public let consultsRegistry: Bool
    private let archive: Archive
    private let connection: OpaquePointer
    private let itemID: String
    /// How keys, codes and decisions of this item are stored (``KeyScope``).
    private let scope: KeyScope
    private let fieldCount: Int
    /// The identity-number fields' positions, whose digests are stored beside them (``SubjectLookup/identityDigest(_:scratch:)``).
    private let identityFields: [Int]
    private var digestScratch: [UInt8] = []
    private let isRegistry: Bool
    private var isOpen = true
    /// Whether earlier files left rejected decisions of this item uncorrected: when none did (a
    /// first load, a department whose rejections were all corrected), no accepted record can
    /// be a correction and none is looked up.
    private let hasPendingRejections: Bool
    private let selectKey: PreparedStatement
    private let selectName: PreparedStatement
    private let selectRegistered: PreparedStatement
    private let selectRejected: PreparedStatement
    private let insertRecord: PreparedStatement
    private let noteKey: PreparedStatement
    private let storeKey: PreparedStatement
    private let insertName: PreparedStatement
    private let retireRow: PreparedStatement
    private let markRejected: PreparedStatement
    private let settleRejected: PreparedStatement
    private let insertRejected: PreparedStatement
    private let insertFinding: PreparedStatement
    private let insertSubject: PreparedStatement
    private let updateRegistry: PreparedStatement
    private let reprintRow: PreparedStatement
    private var json: [UInt8] = []
    private let feed: String
    private let table: String

    init(archive: Archive, connection: OpaquePointer, fileID: Int64, item: CatalogItem, feed: String)
        throws(ArchiveError)
    {
        self.archive = archive
        self.feed = feed
        self.connection = connection
        self.fileID = fileID
        itemID = item.id
        scope = KeyScope(item: item.id)
        fieldCount = item.fields.count
        let identities = SubjectLookup.fields(of: item, for: .identityNumber)
        identityFields = identities.compactMap { item.fieldIndex(id: $0) }
        isRegistry = item.isRegistry
        let path = archive.path
        let table = ArchiveSchema.tableName(forItem: item.id)
        self.table = table
        let columns = item.fields.map(\.id).joined(separator: ", ")
        let digestColumns = identityFields.map { ", " + SubjectLookup.digestColumn(item.fields[$0].id) }.joined()
        let placeholders = (1...(item.fields.count + 11 + identityFields.count)).map { "?\($0)" }.joined(separator: ", ")
        let pending = try PreparedStatement(connection, """
            SELECT EXISTS (SELECT 1 FROM rejected_decisions WHERE item = ?1)
            """, path: path)
        pending.bind(1, item.id)
        hasPendingRejections = try pending.step("looking for pending rejections") && pending.int64(0) == 1
        // The registry's files are archived first (in a backfill, maybe in this group: this
        // connection sees them), so it is known by the time the other items are.
        let registered = try PreparedStatement(connection, "SELECT EXISTS (SELECT 1 FROM registry)", path: path)
        let registryHasNames = try registered.step("looking at the subject registry") && registered.int64(0) == 1
        consultsRegistry = !item.isRegistry && registryHasNames
        selectKey = try PreparedStatement(connection, """
            SELECT seen_file, version, content, current_row, withdrawn FROM record_keys WHERE key = ?1
            """, path: path)
        selectName = try PreparedStatement(connection, "SELECT name_key, name FROM subject_names WHERE code = ?1",
                                           path: path)
        selectRegistered = try PreparedStatement(connection, "SELECT name_key, name FROM registry WHERE code = ?1",
                                                 path: path)
        selectRejected = try PreparedStatement(connection, "SELECT file_id FROM rejected_decisions WHERE decision = ?1",
                                               path: path)
        insertRecord = try PreparedStatement(connection, """
            INSERT INTO \(table) (_file, _line, _offset, \(columns), _raw, _extra, _key, _decision, _previous, _version,
                                   _withdrawn, _print\(digestColumns))
            VALUES (\(placeholders))
            """, path: path)
        noteKey = try PreparedStatement(connection, """
            INSERT INTO record_keys (key, seen_file) VALUES (?1, ?2)
            ON CONFLICT (key) DO UPDATE SET seen_file = excluded.seen_file
            """, path: path)
        storeKey = try PreparedStatement(connection, """
            INSERT INTO record_keys (key, seen_file, version, content, current_row, withdrawn)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (key) DO UPDATE SET seen_file = excluded.seen_file, version = excluded.version,
                content = excluded.content, current_row = excluded.current_row, withdrawn = excluded.withdrawn
            """, path: path)
        reprintRow = try PreparedStatement(connection, "UPDATE \(table) SET _print = ?2 WHERE _id = ?1", path: path)
        insertName = try PreparedStatement(connection, """
            INSERT INTO subject_names (code, name_key, name) VALUES (?1, ?2, ?3)
            """, path: path)
        retireRow = try PreparedStatement(connection, "UPDATE \(table) SET _current = 0 WHERE _id = ?1", path: path)
        markRejected = try PreparedStatement(connection, """
            INSERT INTO rejected_decisions (item, decision, file_id) VALUES (?1, ?2, ?3)
            ON CONFLICT (decision) DO UPDATE SET file_id = excluded.file_id
            """, path: path)
        settleRejected = try PreparedStatement(connection, "DELETE FROM rejected_decisions WHERE decision = ?1",
                                               path: path)
        insertRejected = try PreparedStatement(connection, """
            INSERT INTO rejected_records (file_id, line, byte_offset, fields, key, decision, subject_code, subject_name,
                                          print)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
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

    /// The current versions' prints of this file's feed, when the file is a quarter of the feed's
    /// table or more (``PrintSource``). Versions whose decision an earlier file rejected and
    /// nothing corrected are left out: re-sending them corrects it (纠正), which needs their checks.
    public func currentPrints(fileSize: Int64) throws(ArchiveError) -> FeedPrints? {
        let path = archive.path
        guard PrintSource.worthLoading(fileSize: fileSize, tableBytes: try archive.tableBytes(feed: feed)) else {
            return nil
        }
        // The current versions the feed's files stored, in row order (the files' rows are contiguous).
        // A record without a key is stored again each time it is sent (nothing says it is the same
        // record), so it has no version to repeat.
        let select = try PreparedStatement(connection, """
            SELECT _id, _print, _decision FROM \(table)
            WHERE _file IN (SELECT id FROM files WHERE feed = ?1 AND id <> ?2) AND _current = 1 AND _print IS NOT NULL
              AND _key IS NOT NULL
            """, path: path)
        select.bind(1, feed)
        select.bind(2, fileID)
        var rows: [Int64] = [], prints: [KeyDigest] = []
        let pending = hasPendingRejections ? try pendingDecisions() : []
        while try select.step("reading the feed's prints") {
            guard let row = select.int64(0), let print = select.digest(1) else { continue }
            // A version whose decision waits for a correction is checked: re-sending it corrects it.
            if !pending.isEmpty, let decision = select.digest(2), pending.contains(decision) { continue }
            if rows.count == PrintSource.maximumLoaded { return nil }
            rows.append(row)
            prints.append(print)
        }
        // The records the feed's last file of this size rejected: the same bytes rejected again
        // are kept and reported, but their codes were counted when first sent.
        let rejected = try PreparedStatement(connection, """
            SELECT print FROM rejected_records WHERE print IS NOT NULL AND file_id = (
                SELECT MAX(id) FROM files WHERE feed = ?1 AND id <> ?2 AND size >= ?3)
            """, path: path)
        rejected.bind(1, feed)
        rejected.bind(2, fileID)
        rejected.bind(3, fileSize / 4)
        var rejectedPrints = Set<KeyDigest>()
        while try rejected.step("reading the feed's rejected prints") {
            if let print = rejected.digest(0) { rejectedPrints.insert(print) }
        }
        return FeedPrints(current: PrintSet(rows: rows, prints: prints), rejected: rejectedPrints)
    }

    /// The decisions of this item that wait for a correction, as the item table stores them.
    private func pendingDecisions() throws(ArchiveError) -> Set<KeyDigest> {
        let decisions = try PreparedStatement(connection, "SELECT decision FROM rejected_decisions WHERE item = ?1",
                                              path: archive.path)
        decisions.bind(1, itemID)
        var pending = Set<KeyDigest>()
        while try decisions.step("reading pending rejections") {
            if let decision = decisions.digest(0) { pending.insert(scope(decision)) }
        }
        return pending
    }

    /// Records findings about the file as a whole (such as header problems).
    public func append(fileFindings: [Finding]) throws(ArchiveError) {
        for finding in fileFindings { try insert(finding, line: nil) }
        counts.add(records: 0, rejected: 0, findings: fileFindings)
    }

    public func fetchPrior(_ questions: HistoryQuestions, into prior: inout PriorState) throws(ArchiveError) {
        prior.removeAll()
        for key in questions.keys {
            selectKey.reset()
            selectKey.bind(1, scope(key))
            guard try selectKey.step("reading a business key's history") else { continue }
            prior.keys[key] = KeyHistory(carriedByThisFile: selectKey.int64(0) == fileID, version: selectKey.int64(1) ?? 0,
                                         content: selectKey.digest(2), currentRow: selectKey.int64(3),
                                         withdrawn: selectKey.int64(4) == 1)
        }
        selectKey.reset()
        for code in questions.codes {
            selectName.reset()
            selectName.bind(1, scope(code))
            guard try selectName.step("reading a subject's first name"), let key = selectName.digest(0) else { continue }
            prior.firstNames[code] = SubjectName(key: key, name: selectName.text(1) ?? "")
        }
        selectName.reset()
        if consultsRegistry {
            for (digest, code) in questions.registryCodes {
                selectRegistered.reset()
                selectRegistered.bind(1, code)
                guard try selectRegistered.step("looking a code up in the subject registry"),
                      let key = selectRegistered.text(0) else { continue }
                prior.registered[digest] = SubjectName(key: KeyDigest(Array(key.utf8)), name: selectRegistered.text(1) ?? "")
            }
            selectRegistered.reset()
        }
        // Only an earlier file's rejection can be corrected, so with none pending nothing is read.
        guard hasPendingRejections else { return }
        for decision in questions.decisions {
            selectRejected.reset()
            selectRejected.bind(1, scope(decision))
            guard try selectRejected.step("reading a rejected decision") else { continue }
            prior.rejectedDecisions[decision] = selectRejected.int64(0) == fileID
        }
        selectRejected.reset()
    }

    /// Archives one checked batch as the history stage decided: stored records and versions,
    /// the keys' new states, rejected records as received, every finding, first names, the
    /// subjects it showed and its timeliness verdicts.
    public func append(_ checked: CheckedBatch) throws(ArchiveError) {
        let batch = checked.records, outcome = checked.outcome, normalized = checked.normalized
        let history = checked.history
        let provenance = batch.provenance
        try normalized.withValues { (values) throws(ArchiveError) in
            for index in 0..<normalized.count {
                let source = normalized.sourceRecords[index]
                let verdict = history.records[source]
                guard verdict.isStored else { continue }
                try store(index, values, normalized, origin: provenance[source], verdict: verdict,
                          decision: outcome.decisions[source],
                          print: checked.repeats.prints.isEmpty ? nil : checked.repeats.prints[source])
            }
        }
        for verdict in history.records where !verdict.isStored {
            // Carried by this file without a new version (unchanged, or rejected): a repeat later in
            // the file is then recognised.
            guard let key = verdict.key else { continue }
            noteKey.reset()
            noteKey.bind(1, scope(key))
            noteKey.bind(2, fileID)
            try noteKey.step("noting a business key")
        }
        for reprint in history.reprinted where !checked.repeats.prints.isEmpty {
            // Unchanged, checked under other prints (a new catalog or program): the next re-send is known.
            reprintRow.reset()
            reprintRow.bind(1, reprint.row)
            reprintRow.bind(2, checked.repeats.prints[reprint.record])
            try reprintRow.step("recording a version's print")
        }
        for decision in history.settledDecisions {
            settleRejected.reset()
            settleRejected.bind(1, scope(decision))
            try settleRejected.step("settling a corrected rejection")
        }
        if outcome.rejectedCount > 0 {
            try batch.withFields { (fields) throws(ArchiveError) in
                for record in 0..<fields.count where outcome.rejected[record] {
                    try reject(record, fields, origin: provenance[record], key: history.records[record].key,
                               decision: outcome.decisions[record], subject: outcome.rejectedSubjects[record],
                               print: checked.repeats.prints.isEmpty ? nil : checked.repeats.prints[record])
                }
            }
        }
        for decision in history.rejectedDecisions {
            markRejected.reset()
            markRejected.bind(1, itemID)
            markRejected.bind(2, scope(decision))
            markRejected.bind(3, fileID)
            try markRejected.step("marking a rejected decision")
        }
        for first in history.firstNames {
            insertName.reset()
            insertName.bind(1, scope(first.code))
            insertName.bind(2, first.key)
            insertName.bind(3, first.name)
            try insertName.step("recording a subject's first name")
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
        counts.history += history.counts
        counts.editions.merge(outcome.editions, uniquingKeysWith: +)
    }

    /// Stores an accepted record as the version its verdict names, retires the one it replaces,
    /// and records the key's new state.
    private func store(_ index: Int, _ values: NormalizedBatch.Values, _ normalized: NormalizedBatch,
                       origin: Provenance, verdict: RecordVerdict, decision: KeyDigest?, print: KeyDigest?)
        throws(ArchiveError)
    {
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
                insertRecord.bind(next + 2, verdict.key)
                insertRecord.bind(next + 3, decision)
                insertRecord.bind(next + 4, verdict.previousRow)
                insertRecord.bind(next + 5, verdict.version)
                insertRecord.bind(next + 6, Int64(verdict.withdrawn ? 1 : 0))
                insertRecord.bind(next + 7, print)
                for (position, field) in identityFields.enumerated() {
                    insertRecord.bind(next + 8 + Int32(position),
                                      values.value(index, field).flatMap { SubjectLookup.identityDigest($0, scratch: &digestScratch) })
                }
                try insertRecord.step("storing a record")
            }
        }
        let row = sqlite3_last_insert_rowid(connection)
        guard let key = verdict.key else { return }
        if let previousRow = verdict.previousRow {
            retireRow.reset()
            retireRow.bind(1, previousRow)
            try retireRow.step("retiring the previous version")
        }
        storeKey.reset()
        storeKey.bind(1, scope(key))
        storeKey.bind(2, fileID)
        storeKey.bind(3, verdict.version)
        storeKey.bind(4, normalized.contentDigests[index])
        storeKey.bind(5, row)
        storeKey.bind(6, Int64(verdict.withdrawn ? 1 : 0))
        try storeKey.step("recording a record's version")
    }

    /// Keeps a rejected record as received (a JSON array in header order), with its key and subject.
    private func reject(_ record: Int, _ fields: RecordBatch.Fields, origin: Provenance, key: KeyDigest?,
                        decision: KeyDigest?, subject: SubjectReference?, print: KeyDigest?) throws(ArchiveError) {
        ArchiveSchema.receivedJSON(record, fields, into: &json)
        insertRejected.reset()
        insertRejected.bind(1, fileID)
        insertRejected.bind(2, Int64(origin.line))
        insertRejected.bind(3, origin.byteOffset)
        try bindJSON(insertRejected, 4, json) { () throws(ArchiveError) in
            insertRejected.bind(5, key)
            insertRejected.bind(6, decision)
            insertRejected.bind(7, subject?.code)
            insertRejected.bind(8, subject?.name)
            insertRejected.bind(9, print)
            try insertRejected.step("storing a rejected record")
        }
    }

    /// A rejected record's fields as received: a JSON array in header order, into `json` (emptied first).
    
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
            let editions = try db.cachedStatement(sql: "INSERT INTO file_edition_counts (file_id, edition, records) VALUES (?, ?, ?)")
            for (edition, count) in counts.editions.sorted(by: { $0.key < $1.key }) {
                try editions.execute(arguments: [fileID, edition, count])
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
