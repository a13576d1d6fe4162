import CreditArchive
import CreditCatalog
import CreditCore
import Foundation
import GRDB







extension Archive {
    public func run(_ id: Int64) throws(ArchiveError) -> ArchivedRun? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, pipeline, started_at, finished_at, status, error FROM runs WHERE id = ?",
                             arguments: [id]).map { row in
                ArchivedRun(id: row[0], pipeline: row[1], startedAt: row[2], finishedAt: row[3], status: row[4],
                            error: row[5])
            }
        }
    }

    /// Every file the run saw, in the order it saw them. A run whose process died between a
    /// file's commit and its `run_files` row still archived that file: the ledger (`files`) says
    /// so, and the file is listed as archived.
    public func fileOutcomes(_ scope: ReportScope) throws(ArchiveError) -> [ArchivedFileOutcome] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT rf.outcome, rf.path, rf.sha256, rf.file_id, rf.feed, rf.line, rf.message,
                       f.department, f.item, f.records, f.compliant, f.run_id, 0 AS late, rf.rowid AS sequence
                FROM run_files rf LEFT JOIN files f ON f.id = rf.file_id
                WHERE rf.run_id IN (\(scope.runs))
                UNION ALL
                SELECT 'archived', f.path, f.sha256, f.id, f.feed, NULL, NULL,
                       f.department, f.item, f.records, f.compliant, f.run_id, 1, f.id
                FROM files f
                WHERE f.run_id IN (\(scope.runs))
                  AND NOT EXISTS (SELECT 1 FROM run_files rf WHERE rf.run_id = f.run_id AND rf.file_id = f.id)
                ORDER BY late, sequence
                """).map { row in
                let kind = FileOutcome.Kind(rawValue: row[0]) ?? .failed
                let outcome = FileOutcome(kind: kind, path: row[1], sha256: row[2], fileID: row[3], feed: row[4],
                                          line: row[5], message: row[6])
                let firstRun: Int64? = row[11]
                return ArchivedFileOutcome(outcome: outcome, department: row[7], item: row[8],
                                           records: row[9] ?? 0, compliant: row[10] ?? 0,
                                           firstRun: kind == .duplicate ? firstRun : nil)
            }
        }
    }

    /// The runs whose files this run's report also covers.
    public func abandonedRuns(reportedIn run: Int64) throws(ArchiveError) -> [Int64] {
        try read { db in try Int64.fetchAll(db, sql: "SELECT id FROM runs WHERE reported_in = ? ORDER BY id", arguments: [run]) }
    }

    /// Quality counts per department × item over the files this run archived. `subjects` names
    /// each item's subject code and name fields (for 纠正率). Reads only: the run's 重错码 flags
    /// were recorded when it completed (``completeRun(_:status:at:day:)``).
    public func slices(_ scope: ReportScope, subjects: [String: SubjectFields] = [:]) throws(ArchiveError) -> [ArchivedSlice] {
        // On the writer's connection: the run's 重码 set goes to a temporary table, computed once per
        // report (or already by the run's completion).
        // Its GROUP BYs over a backfill's codes are large sorts.
        try write { db in try Self.sorting(db) {
            var slices: [String: ArchivedSlice] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT department, item, SUM(records), SUM(compliant), SUM(timely), SUM(late), SUM(timeliness_unknown),
                       SUM(new_records), SUM(new_versions), SUM(unchanged), SUM(withdrawn), SUM(corrected)
                FROM files WHERE id IN (\(scope.files)) GROUP BY department, item
                """) {
                var counts = QualityCounts()
                counts.records = row[2]
                counts.compliant = row[3]
                counts.timeliness = TimelinessCounts(timely: row[4], late: row[5], unknown: row[6])
                counts.history = HistoryCounts(new: row[7], versions: row[8], unchanged: row[9], withdrawn: row[10],
                                               corrected: row[11])
                let department: String = row[0], item: String = row[1]
                var codes = try codeFigures(db, scope, department: department, item: item)
                if let subject = subjects[item] {
                    (codes.flaggedEarlier, codes.corrected) = try corrections(db, scope, department: department,
                                                                              item: item, subject: subject)
                }
                slices["\(department)\u{0}\(item)"] = ArchivedSlice(department: department, item: item, counts: counts,
                                                                     codes: codes)
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT f.department, f.item, c.rule, c.severity, c.field, SUM(c.count)
                FROM file_finding_counts c JOIN files f ON f.id = c.file_id
                WHERE f.id IN (\(scope.files)) GROUP BY f.department, f.item, c.rule, c.severity, c.field
                """) {
                let key = "\(row[0] as String)\u{0}\(row[1] as String)"
                let field: String = row[4]
                let findingKey = FindingKey(rule: RuleID(row[2] as String), severity: Severity(rawValue: row[3]) ?? .error,
                                            field: field.isEmpty ? nil : field)
                slices[key]?.counts.findings[findingKey] = row[5]
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT f.department, f.item, e.edition, SUM(e.records)
                FROM file_edition_counts e JOIN files f ON f.id = e.file_id
                WHERE f.id IN (\(scope.files)) GROUP BY f.department, f.item, e.edition
                """) {
                slices["\(row[0] as String)\u{0}\(row[1] as String)"]?.counts.editions[row[2]] = row[3]
            }
            return slices.values.sorted { ($0.department, $0.item) < ($1.department, $1.item) }
        } }
    }

    /// The 重码 codes as of a run (spec §9, both ways), into `temp.dup_codes_<run>`, computed once
    /// per connection: codes carried with two or more names, and codes whose name was carried with
    /// two or more valid codes, in any file archived up to that run. The set is small; the
    /// figures join it.
    ///
    /// Two ways to the same set: when the run is a large part of the archive (a backfill), one
    /// pass over each covering index; when it is small against the archive (a night), a probe per
    /// code and name the run carried, so a report costs what the run brought, not the archive's size.
    /// Returns the table's name.
    @discardableResult
    func prepareDuplicateCodes(_ db: Database, _ scope: ReportScope) throws -> String {
        let run = scope.upto
        let table = "dup_codes_\(scope.tag)"
        let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_temp_master WHERE name = ?)",
                                       arguments: [table]) ?? false
        guard !exists else { return table }
        // The scope's subject rows, not its records: a re-send's unchanged records carry none.
        let sizes = try Row.fetchOne(db, sql: """
            SELECT (SELECT COUNT(*) FROM subject_codes WHERE file_id IN (\(scope.files))), COALESCE(SUM(records), 0),
                   COALESCE(MAX(run_id), ?1) FROM files WHERE run_id <= ?1
            """, arguments: [run])
        let scopeRecords: Int = sizes?[0] ?? 0, uptoRecords: Int = sizes?[1] ?? 0
        let latest = try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM files") ?? run
        let upto = latest <= run ? "" : " AND file_id IN (SELECT id FROM files WHERE run_id <= \(run))"
        let inScope = "file_id IN (\(scope.files))"
        try db.execute(sql: "CREATE TEMP TABLE \(table) (code TEXT PRIMARY KEY) WITHOUT ROWID")
        if scopeRecords * 20 >= uptoRecords {
            try db.execute(sql: """
                INSERT OR IGNORE INTO \(table)
                SELECT code FROM subject_codes WHERE name_key <> ''\(upto)
                GROUP BY code HAVING COUNT(DISTINCT name_key) > 1;
                INSERT OR IGNORE INTO \(table)
                SELECT DISTINCT code FROM subject_codes WHERE name_key IN (
                    SELECT name_key FROM subject_codes WHERE valid = 1 AND name_key <> ''\(upto)
                    GROUP BY name_key HAVING COUNT(DISTINCT code) > 1)\(upto);
                """)
        } else {
            try db.execute(sql: """
                INSERT OR IGNORE INTO \(table)
                SELECT c.code FROM (SELECT DISTINCT code FROM subject_codes WHERE \(inScope)) c
                WHERE (SELECT COUNT(DISTINCT name_key) FROM subject_codes
                       WHERE code = c.code AND name_key <> ''\(upto)) > 1;
                INSERT OR IGNORE INTO \(table)
                SELECT DISTINCT s.code FROM subject_codes s
                WHERE s.\(inScope) AND s.name_key <> ''
                  AND (SELECT COUNT(DISTINCT code) FROM subject_codes
                       WHERE name_key = s.name_key AND valid = 1\(upto)) > 1;
                """)
        }
        return table
    }

    /// 错码 / 重码 figures of the codes one slice of a run carried (or the whole run when
    /// `department` and `item` are nil): 错码 fail the identifier checks, 重码 are in the run's set
    /// (``prepareDuplicateCodes(_:run:)``); a name other than the registry's is counted apart
    /// (`registryMismatches`), not as 重码.
    func codeFigures(_ db: Database, _ scope: ReportScope, department: String?, item: String?) throws -> CodeFigures {
        let duplicates = try prepareDuplicateCodes(db, scope)
        let slice = department == nil ? "" : " AND department = ? AND item = ?"
        var arguments: StatementArguments = []
        if let department, let item { arguments += [department, item] }
        let row = try Row.fetchOne(db, sql: """
            WITH per_code AS (
                SELECT s.code, MIN(s.valid) AS valid, s.code IN \(duplicates) AS duplicated,
                       MAX(EXISTS (SELECT 1 FROM registry r WHERE r.code = s.code AND s.name_key <> ''
                                   AND r.name_key <> s.name_key)) AS registry_conflict
                FROM subject_codes s WHERE s.file_id IN (SELECT id FROM files WHERE id IN (\(scope.files))\(slice))
                GROUP BY s.code
            )
            SELECT COUNT(*), COALESCE(SUM(valid = 0), 0), COALESCE(SUM(duplicated), 0),
                   COALESCE(SUM(valid = 0 OR duplicated), 0), COALESCE(SUM(registry_conflict), 0)
            FROM per_code
            """, arguments: arguments)
        return CodeFigures(distinct: row?[0] ?? 0, erroneous: row?[1] ?? 0, duplicated: row?[2] ?? 0,
                           erroneousOrDuplicated: row?[3] ?? 0, registryMismatches: row?[4] ?? 0)
    }

    /// 纠正率's terms for one slice (spec §9): the distinct codes the slice's earlier reports flagged
    /// as 重错码 (`report_flags`, as judged then), and how many of them this run corrected:
    /// a decision that had carried the code was resubmitted in this run and accepted with another
    /// code, or the same code under another name. The earlier carrier is a rejected record of the
    /// same decision (a wrong code changes the key, not the decision) or the version this one
    /// replaced; so the cost follows this run's records, not the slice's history.
    ///
    /// The run's rows are read through the table's by-file index, in the order they were written:
    /// the planner would otherwise take the subject lookup's (file, code) index, whose code order
    /// makes each row a random read of the table (the report of one 10,000,000-record file took
    /// 28 s instead of 8.6 s). A slice nothing was ever flagged in has nothing to correct.
    func corrections(_ db: Database, _ scope: ReportScope, department: String, item: String, subject: SubjectFields)
        throws -> (flagged: Int, corrected: Int)
    {
        let anyFlagged = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM report_flags WHERE department = ? AND item = ? AND run_id < ?)
            """, arguments: [department, item, scope.since]) ?? false
        guard anyFlagged else { return (0, 0) }
        let table = ArchiveSchema.tableName(forItem: item)
        let code = subject.code, name = subject.name
        let row = try Row.fetchOne(db, sql: """
            WITH now AS (SELECT id FROM files WHERE id IN (\(scope.files)) AND department = ?2 AND item = ?3),
            earlier AS (SELECT id FROM files WHERE run_id < ?1 AND department = ?2 AND item = ?3 AND id NOT IN now),
            flagged AS (
                SELECT DISTINCT code FROM report_flags WHERE department = ?2 AND item = ?3 AND run_id < ?1
            ),
            now_rows AS (
                SELECT _decision AS decision, _previous AS previous, \(code) AS code, COALESCE(\(name), '') AS name
                FROM \(table) INDEXED BY \(table)_by_file WHERE _file IN now AND \(code) IS NOT NULL
            ),
            corrected AS (
                SELECT x.subject_code AS code FROM now_rows n JOIN rejected_records x ON x.decision = n.decision
                WHERE x.file_id IN earlier AND x.subject_code IN flagged
                  AND (n.code <> x.subject_code OR n.name <> COALESCE(x.subject_name, ''))
                UNION
                SELECT p.\(code) FROM now_rows n JOIN \(table) p ON p._id = n.previous
                WHERE p.\(code) IN flagged AND (n.code <> p.\(code) OR n.name <> COALESCE(p.\(name), ''))
            )
            SELECT (SELECT COUNT(*) FROM flagged), (SELECT COUNT(*) FROM corrected)
            """, arguments: [scope.since, department, item])
        return (row?[0] ?? 0, row?[1] ?? 0)
    }

    /// 错码 / 重码 figures over the whole run.
    public func codeFigures(_ scope: ReportScope) throws(ArchiveError) -> CodeFigures {
        try write { db in try codeFigures(db, scope, department: nil, item: nil) }
    }

    /// The 重码 groups of the codes and names this run carried, for human review (§9: a name can
    /// change, so each pair is listed, not judged): codes seen with several names, and names seen
    /// with several valid codes, across the archive up to this run. At most `limit` of each kind.
    /// A natural person's name is masked (its first character kept), as everywhere in reports.
    public func duplicateCodeGroups(_ scope: ReportScope, limit: Int) throws(ArchiveError) -> [DuplicateCodeGroup] {
        try write { db in
            let run = scope.upto
            let duplicates = try prepareDuplicateCodes(db, scope)
            var groups: [DuplicateCodeGroup] = []
            let upto = "file_id IN (SELECT id FROM files WHERE run_id <= \(run))"
            let inRun = """
                SELECT DISTINCT code FROM subject_codes
                WHERE code IN \(duplicates) AND file_id IN (\(scope.files))
                """
            for row in try Row.fetchAll(db, sql: """
                SELECT code, json_group_array(name) FROM (
                    SELECT t.code, CASE WHEN MAX(t.personal) = 1 THEN substr(MIN(t.name), 1, 1) || '**'
                                        ELSE MIN(t.name) END AS name
                    FROM subject_codes t
                    WHERE t.code IN (\(inRun)) AND t.name_key <> '' AND t.\(upto)
                    GROUP BY t.code, t.name_key
                ) GROUP BY code HAVING COUNT(*) > 1 ORDER BY code LIMIT ?
                """, arguments: [limit]) {
                groups.append(DuplicateCodeGroup(kind: .codeWithNames, subject: row[0], seenWith: try ArchiveSchema.strings(row[1], in: path)))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT CASE WHEN MAX(personal) = 1 THEN substr(MIN(name), 1, 1) || '**' ELSE MIN(name) END,
                       json_group_array(DISTINCT code)
                FROM subject_codes
                WHERE name_key IN (SELECT s.name_key FROM subject_codes s
                                   WHERE s.code IN (\(inRun)) AND s.name_key <> ''
                                     AND s.file_id IN (\(scope.files)))
                  AND valid = 1 AND \(upto)
                GROUP BY name_key HAVING COUNT(DISTINCT code) > 1 ORDER BY name_key LIMIT ?
                """, arguments: [limit]) {
                groups.append(DuplicateCodeGroup(kind: .nameWithCodes, subject: row[0], seenWith: try ArchiveSchema.strings(row[1], in: path)))
            }
            return groups
        }
    }

    /// A JSON array of strings as SQLite's json_group_array writes it, sorted.
    
    /// Up to `limit` findings per department, item and rule from the scope's files, in file and line
    /// order: every department × item of the report has its own examples of each of its rules.
    public func sampleFindings(_ scope: ReportScope, perRule limit: Int) throws(ArchiveError) -> [ArchivedFinding] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT path, line, rule, severity, field, value, detail, personal FROM (
                    SELECT f.path, g.line, g.rule, g.severity, g.field, g.value, g.detail, g.personal, g.file_id, g.id,
                           ROW_NUMBER() OVER (PARTITION BY f.department, f.item, g.rule ORDER BY g.file_id, g.line, g.id) AS n
                    FROM findings g JOIN files f ON f.id = g.file_id
                    WHERE f.id IN (\(scope.files))
                ) WHERE n <= ? ORDER BY file_id, line, id
                """, arguments: [limit]).map { row in
                let finding = Finding(record: nil, rule: RuleID(row[2] as String),
                                      severity: Severity(rawValue: row[3]) ?? .error, field: row[4], value: row[5],
                                      detail: row[6], isPersonal: row[7])
                return ArchivedFinding(path: row[0], line: row[1], finding: finding)
            }
        }
    }
}

import GRDBSQLite

extension Archive {
    /// The SQLite library the archive runs on.
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }
}
