import CreditArchive
import CreditCatalog
import CreditCore

/// The report's queries on PostgreSQL: the same questions as the SQLite archive's
/// (`Archive+Queries`, `+Trend`, `+Feedback`), in PostgreSQL's SQL. Names are compared byte by
/// byte (`COLLATE "C"`) where their order picks one (`MIN(name)`), as SQLite does, so both
/// backends show the same names.
/// Numbers as the server sends them, in text: read strictly, so that a value this version cannot
/// read fails the query loudly instead of becoming a 0 in a report or "not in the ledger".
public enum PostgresText {
    /// A count: NULL (a SUM over no row) is 0; text that is not a number is an error.
    public static func count(_ text: String??, location: String) throws(ArchiveError) -> Int {
        guard let text = text.flatMap({ $0 }) else { return 0 }
        guard let value = Int(text) else { throw unreadable(text, location) }
        return value
    }

    /// A number that may be NULL; text that is not a number is an error.
    public static func number(_ text: String??, location: String) throws(ArchiveError) -> Int64? {
        guard let text = text.flatMap({ $0 }) else { return nil }
        guard let value = Int64(text) else { throw unreadable(text, location) }
        return value
    }

    /// An id the schema never leaves NULL: NULL or text that is not a number is an error.
    public static func id(_ text: String??, location: String) throws(ArchiveError) -> Int64 {
        guard let value = try number(text, location: location) else {
            throw ArchiveError(.statement, path: location, message: "a query returned no id where the schema requires one; "
                + "the archive's schema may be from another version: run `credit-etl doctor`")
        }
        return value
    }

    /// The error says how long the text was, never what it said (it could be a record's value).
    static func unreadable(_ text: String, _ location: String) -> ArchiveError {
        ArchiveError(.statement, path: location, message: "a query returned \(text.count) characters that are not a number "
            + "where a number was expected; the archive's schema may be from another version: run `credit-etl doctor`")
    }
}

extension PostgresArchive: ReportArchive {
    func int(_ text: String??) throws(ArchiveError) -> Int { try PostgresText.count(text, location: location) }
    func int64(_ text: String??) throws(ArchiveError) -> Int64? { try PostgresText.number(text, location: location) }
    func id(_ text: String??) throws(ArchiveError) -> Int64 { try PostgresText.id(text, location: location) }

    private func archivedRun(_ row: [String?]) throws(ArchiveError) -> ArchivedRun {
        ArchivedRun(id: try id(row[0]), pipeline: row[1] ?? "", startedAt: row[2] ?? "", finishedAt: row[3],
                    status: row[4] ?? "", error: row[5])
    }

    public func run(_ id: Int64) throws(ArchiveError) -> ArchivedRun? {
        try connection.query("SELECT id, pipeline, started_at, finished_at, status, error FROM runs WHERE id = $1",
                             ["\(id)"]).first.map { row throws(ArchiveError) in try archivedRun(row) }
    }

    public func runs(in period: ReportPeriod) throws(ArchiveError) -> [ArchivedRun] {
        try connection.query("""
            SELECT r.id, r.pipeline, r.started_at, r.finished_at, r.status, r.error FROM runs r
            LEFT JOIN run_figures f ON f.run_id = r.id
            WHERE COALESCE(f.day, to_char(r.started_at::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'))
                  BETWEEN $1 AND $2 AND r.status <> 'running'
            ORDER BY r.id
            """, [period.first, period.last]).map { row throws(ArchiveError) in try archivedRun(row) }
    }

    public func fileOutcomes(_ scope: ReportScope) throws(ArchiveError) -> [ArchivedFileOutcome] {
        // Run by run, each in its queue's order (registry first, then the inbox's), whichever
        // worker finished first: the order one process takes them in.
        try connection.query("""
            SELECT rf.outcome, rf.path, rf.sha256, rf.file_id, rf.feed, rf.line, rf.message,
                   f.department, f.item, f.records, f.compliant, f.run_id, 0 AS late,
                   rf.run_id AS run, COALESCE(q.seq, 2147483647) AS seq, rf.id AS sequence
            FROM run_files rf LEFT JOIN files f ON f.id = rf.file_id
            LEFT JOIN run_queue q ON q.run_id = rf.run_id AND q.path = rf.path
            WHERE rf.run_id IN (\(scope.runs))
            UNION ALL
            SELECT 'archived', f.path, f.sha256, f.id, f.feed, NULL, NULL,
                   f.department, f.item, f.records, f.compliant, f.run_id, 1, f.run_id, 0, f.id
            FROM files f
            WHERE f.run_id IN (\(scope.runs))
              AND NOT EXISTS (SELECT 1 FROM run_files rf WHERE rf.run_id = f.run_id AND rf.file_id = f.id)
            ORDER BY late, run, seq, sequence
            """).map { row throws(ArchiveError) in
            let kind = FileOutcome.Kind(rawValue: row[0] ?? "") ?? .failed
            let outcome = FileOutcome(kind: kind, path: row[1] ?? "", sha256: row[2], fileID: try int64(row[3]), feed: row[4],
                                      line: row[5].flatMap { Int($0) }, message: row[6])
            return ArchivedFileOutcome(outcome: outcome, department: row[7], item: row[8], records: try int(row[9]),
                                       compliant: try int(row[10]), firstRun: kind == .duplicate ? try int64(row[11]) : nil)
        }
    }

    public func abandonedRuns(reportedIn run: Int64) throws(ArchiveError) -> [Int64] {
        try connection.query("SELECT id FROM runs WHERE reported_in = $1 ORDER BY id", ["\(run)"]).map { row throws(ArchiveError) in try id(row[0]) }
    }

    public func slices(_ scope: ReportScope, subjects: [String: SubjectFields]) throws(ArchiveError) -> [ArchivedSlice] {
        var slices: [String: ArchivedSlice] = [:]
        for row in try connection.query("""
            SELECT department, item, SUM(records), SUM(compliant), SUM(timely), SUM(late), SUM(timeliness_unknown),
                   SUM(new_records), SUM(new_versions), SUM(unchanged), SUM(withdrawn), SUM(corrected)
            FROM files WHERE id IN (\(scope.files)) GROUP BY department, item
            """) {
            var counts = QualityCounts()
            counts.records = try int(row[2])
            counts.compliant = try int(row[3])
            counts.timeliness = TimelinessCounts(timely: try int(row[4]), late: try int(row[5]), unknown: try int(row[6]))
            counts.history = HistoryCounts(new: try int(row[7]), versions: try int(row[8]), unchanged: try int(row[9]),
                                           withdrawn: try int(row[10]), corrected: try int(row[11]))
            let department = row[0] ?? "", item = row[1] ?? ""
            var codes = try codeFigures(scope, department: department, item: item)
            if let subject = subjects[item] {
                (codes.flaggedEarlier, codes.corrected) = try corrections(scope, department: department, item: item,
                                                                          subject: subject)
            }
            slices["\(department)\u{0}\(item)"] = ArchivedSlice(department: department, item: item, counts: counts,
                                                                 codes: codes)
        }
        for row in try connection.query("""
            SELECT f.department, f.item, c.rule, c.severity, c.field, SUM(c.count)
            FROM file_finding_counts c JOIN files f ON f.id = c.file_id
            WHERE f.id IN (\(scope.files)) GROUP BY f.department, f.item, c.rule, c.severity, c.field
            """) {
            let field = row[4] ?? ""
            let key = FindingKey(rule: RuleID(row[2] ?? ""), severity: Severity(rawValue: row[3] ?? "") ?? .error,
                                 field: field.isEmpty ? nil : field)
            slices["\(row[0] ?? "")\u{0}\(row[1] ?? "")"]?.counts.findings[key] = try int(row[5])
        }
        for row in try connection.query("""
            SELECT f.department, f.item, e.edition, SUM(e.records)
            FROM file_edition_counts e JOIN files f ON f.id = e.file_id
            WHERE f.id IN (\(scope.files)) GROUP BY f.department, f.item, e.edition
            """) {
            slices["\(row[0] ?? "")\u{0}\(row[1] ?? "")"]?.counts.editions[row[2] ?? ""] = try int(row[3])
        }
        return slices.values.sorted { ($0.department, $0.item) < ($1.department, $1.item) }
    }

    /// The 重码 codes as of the scope's last run, in a temporary table made once per connection:
    /// the same set and the same two ways to it as ``Archive/prepareDuplicateCodes(_:_:)``.
    func prepareDuplicateCodes(_ scope: ReportScope) throws(ArchiveError) -> String {
        let run = scope.upto
        let table = "dup_codes_\(scope.tag)"
        if try connection.query("SELECT to_regclass('pg_temp.\(table)')::text").first?[0] != nil { return table }
        // The scope's subject rows, not its records: a re-send's unchanged records carry none.
        let sizes = try connection.query("""
            SELECT (SELECT COUNT(*) FROM subject_codes WHERE file_id IN (\(scope.files))), COALESCE(SUM(records), 0)
            FROM files WHERE run_id <= $1
            """, ["\(run)"]).first
        let scopeRecords = try int(sizes?[0]), uptoRecords = try int(sizes?[1])
        let latest = try int64(try connection.query("SELECT MAX(run_id) FROM files").first?[0]) ?? run
        let upto = latest <= run ? "" : " AND file_id IN (SELECT id FROM files WHERE run_id <= \(run))"
        let inScope = "file_id IN (\(scope.files))"
        try connection.execute("CREATE TEMP TABLE \(table) (code text COLLATE \"C\" PRIMARY KEY)")
        if scopeRecords * 20 >= uptoRecords {
            try connection.execute("""
                INSERT INTO \(table)
                SELECT code FROM subject_codes WHERE name_key <> ''\(upto)
                GROUP BY code HAVING COUNT(DISTINCT name_key) > 1
                ON CONFLICT DO NOTHING;
                INSERT INTO \(table)
                SELECT DISTINCT code FROM subject_codes WHERE name_key IN (
                    SELECT name_key FROM subject_codes WHERE valid = 1 AND name_key <> ''\(upto)
                    GROUP BY name_key HAVING COUNT(DISTINCT code) > 1)\(upto)
                ON CONFLICT DO NOTHING;
                """)
        } else {
            try connection.execute("""
                INSERT INTO \(table)
                SELECT c.code FROM (SELECT DISTINCT code FROM subject_codes WHERE \(inScope)) c
                WHERE (SELECT COUNT(DISTINCT name_key) FROM subject_codes
                       WHERE code = c.code AND name_key <> ''\(upto)) > 1
                ON CONFLICT DO NOTHING;
                INSERT INTO \(table)
                SELECT DISTINCT s.code FROM subject_codes s
                WHERE s.\(inScope) AND s.name_key <> ''
                  AND (SELECT COUNT(DISTINCT code) FROM subject_codes
                       WHERE name_key = s.name_key AND valid = 1\(upto)) > 1
                ON CONFLICT DO NOTHING;
                """)
        }
        return table
    }

    func codeFigures(_ scope: ReportScope, department: String?, item: String?) throws(ArchiveError) -> CodeFigures {
        let duplicates = try prepareDuplicateCodes(scope)
        let slice = department == nil ? "" : " AND department = $1 AND item = $2"
        var parameters: [String?] = []
        if let department, let item { parameters = [department, item] }
        let row = try connection.query("""
            WITH per_code AS (
                SELECT s.code, MIN(s.valid) AS valid,
                       CASE WHEN EXISTS (SELECT 1 FROM \(duplicates) d WHERE d.code = s.code) THEN 1 ELSE 0 END AS duplicated,
                       MAX(CASE WHEN EXISTS (SELECT 1 FROM registry r WHERE r.code = s.code AND s.name_key <> ''
                                             AND r.name_key <> s.name_key) THEN 1 ELSE 0 END) AS registry_conflict
                FROM subject_codes s WHERE s.file_id IN (SELECT id FROM files WHERE id IN (\(scope.files))\(slice))
                GROUP BY s.code
            )
            SELECT COUNT(*), COALESCE(SUM(CASE WHEN valid = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(duplicated), 0),
                   COALESCE(SUM(CASE WHEN valid = 0 OR duplicated = 1 THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(registry_conflict), 0)
            FROM per_code
            """, parameters).first
        return CodeFigures(distinct: try int(row?[0]), erroneous: try int(row?[1]), duplicated: try int(row?[2]),
                           erroneousOrDuplicated: try int(row?[3]), registryMismatches: try int(row?[4]))
    }

    /// 纠正率's two terms for one slice, as ``Archive/corrections(_:_:department:item:subject:)``:
    /// a slice nothing was ever flagged in has nothing to correct, and its rows are not read.
    func corrections(_ scope: ReportScope, department: String, item: String, subject: SubjectFields)
        throws(ArchiveError) -> (flagged: Int, corrected: Int)
    {
        let anyFlagged = try connection.query("""
            SELECT COUNT(*) FROM (SELECT 1 FROM report_flags WHERE department = $1 AND item = $2 AND run_id < $3 LIMIT 1) f
            """, [department, item, "\(scope.since)"]).first
        guard try int(anyFlagged?[0]) > 0 else { return (0, 0) }
        let table = ArchiveSchema.tableName(forItem: item)
        let code = subject.code, name = subject.name
        let row = try connection.query("""
            WITH now AS (SELECT id FROM files WHERE id IN (\(scope.files)) AND department = $2 AND item = $3),
            earlier AS (SELECT id FROM files WHERE run_id < $1 AND department = $2 AND item = $3
                        AND id NOT IN (SELECT id FROM now)),
            flagged AS (
                SELECT DISTINCT code::text AS code FROM report_flags WHERE department = $2 AND item = $3 AND run_id < $1
            ),
            now_rows AS (
                SELECT _decision AS decision, _previous AS previous, \(code) AS code, COALESCE(\(name), '') AS name
                FROM \(table) WHERE _file IN (SELECT id FROM now) AND \(code) IS NOT NULL
            ),
            corrected AS (
                SELECT x.subject_code AS code FROM now_rows n JOIN rejected_records x ON x.decision = n.decision
                WHERE x.file_id IN (SELECT id FROM earlier) AND x.subject_code IN (SELECT code FROM flagged)
                  AND (n.code <> x.subject_code OR n.name <> COALESCE(x.subject_name, ''))
                UNION
                SELECT p.\(code) FROM now_rows n JOIN \(table) p ON p._id = n.previous
                WHERE p.\(code) IN (SELECT code FROM flagged) AND (n.code <> p.\(code) OR n.name <> COALESCE(p.\(name), ''))
            )
            SELECT (SELECT COUNT(*) FROM flagged), (SELECT COUNT(*) FROM corrected)
            """, ["\(scope.since)", department, item]).first
        return (try int(row?[0]), try int(row?[1]))
    }

    public func codeFigures(_ scope: ReportScope) throws(ArchiveError) -> CodeFigures {
        try codeFigures(scope, department: nil, item: nil)
    }

    public func duplicateCodeGroups(_ scope: ReportScope, limit: Int) throws(ArchiveError) -> [DuplicateCodeGroup] {
        let run = scope.upto
        let duplicates = try prepareDuplicateCodes(scope)
        var groups: [DuplicateCodeGroup] = []
        let upto = "file_id IN (SELECT id FROM files WHERE run_id <= \(run))"
        let inRun = """
            SELECT DISTINCT code FROM subject_codes
            WHERE code IN (SELECT code FROM \(duplicates)) AND file_id IN (\(scope.files))
            """
        for row in try connection.query("""
            SELECT code, json_agg(name)::text FROM (
                SELECT t.code, CASE WHEN MAX(t.personal) = 1 THEN substr(MIN(t.name COLLATE "C"), 1, 1) || '**'
                                    ELSE MIN(t.name COLLATE "C") END AS name
                FROM subject_codes t
                WHERE t.code IN (\(inRun)) AND t.name_key <> '' AND t.\(upto)
                GROUP BY t.code, t.name_key
            ) AS names GROUP BY code HAVING COUNT(*) > 1 ORDER BY code LIMIT $1
            """, ["\(limit)"]) {
            groups.append(DuplicateCodeGroup(kind: .codeWithNames, subject: row[0] ?? "",
                                             seenWith: try ArchiveSchema.strings(row[1] ?? "[]", in: location)))
        }
        for row in try connection.query("""
            SELECT CASE WHEN MAX(personal) = 1 THEN substr(MIN(name COLLATE "C"), 1, 1) || '**' ELSE MIN(name COLLATE "C") END,
                   json_agg(DISTINCT code)::text
            FROM subject_codes
            WHERE name_key IN (SELECT s.name_key FROM subject_codes s
                               WHERE s.code IN (\(inRun)) AND s.name_key <> ''
                                 AND s.file_id IN (\(scope.files)))
              AND valid = 1 AND \(upto)
            GROUP BY name_key HAVING COUNT(DISTINCT code) > 1 ORDER BY name_key LIMIT $1
            """, ["\(limit)"]) {
            groups.append(DuplicateCodeGroup(kind: .nameWithCodes, subject: row[0] ?? "",
                                             seenWith: try ArchiveSchema.strings(row[1] ?? "[]", in: location)))
        }
        return groups
    }

    public func sampleFindings(_ scope: ReportScope, perRule limit: Int) throws(ArchiveError) -> [ArchivedFinding] {
        // Within a department × item, files are archived in queue order, so their ids order them
        // as one process would; across them, run by run, the queue's order does.
        try connection.query("""
            SELECT path, line, rule, severity, field, value, detail, personal FROM (
                SELECT f.path, g.line, g.rule, g.severity, g.field, g.value, g.detail, g.personal, g.file_id, g.id,
                       f.run_id AS run, COALESCE(q.seq, 2147483647) AS seq,
                       ROW_NUMBER() OVER (PARTITION BY f.department, f.item, g.rule ORDER BY g.file_id, g.line NULLS FIRST, g.id) AS n
                FROM findings g JOIN files f ON f.id = g.file_id
                LEFT JOIN run_queue q ON q.run_id = f.run_id AND q.path = f.path
                WHERE f.id IN (\(scope.files))
            ) AS numbered WHERE n <= $1 ORDER BY run, seq, file_id, line NULLS FIRST, id
            """, ["\(limit)"]).map { row throws(ArchiveError) in
            let finding = Finding(record: nil, rule: RuleID(row[2] ?? ""), severity: Severity(rawValue: row[3] ?? "") ?? .error,
                                  field: row[4], value: row[5], detail: row[6], isPersonal: row[7] == "1")
            return ArchivedFinding(path: row[0] ?? "", line: row[1].flatMap { Int($0) }, finding: finding)
        }
    }

    private func runFigures(_ run: Int64, _ row: ArraySlice<String?>) throws(ArchiveError) -> RunFigures {
        let values = Array(row)
        return RunFigures(run: run, day: values[0] ?? "", records: try int(values[1]), compliant: try int(values[2]),
                          timely: try int(values[3]), late: try int(values[4]), distinctCodes: try int(values[5]),
                          dupErrorCodes: try int(values[6]))
    }

    public func runFigures(before run: Int64?) throws(ArchiveError) -> [RunFigures] {
        try connection.query("""
            SELECT run_id, day, records, compliant, timely, late, distinct_codes, dup_error_codes
            FROM run_figures WHERE run_id < $1 ORDER BY run_id
            """, ["\(run ?? Int64.max)"]).map { row throws(ArchiveError) in try runFigures(try id(row[0]), row[1...]) }
    }

    public func lastSubmissions(upto run: Int64) throws(ArchiveError) -> [String: String] {
        var submissions: [String: String] = [:]
        for row in try connection.query(RunCompletion.lastSubmissionsSQL("$1::bigint"), ["\(run)"]) {
            if let feed = row[0], let day = row[1] { submissions[feed] = day }
        }
        return submissions
    }

    public func runListings() throws(ArchiveError) -> [RunListing] {
        try connection.query("""
            SELECT r.id, r.pipeline, r.started_at, r.finished_at, r.status, r.error,
                   f.day, f.records, f.compliant, f.timely, f.late, f.distinct_codes, f.dup_error_codes
            FROM runs r LEFT JOIN run_figures f ON f.run_id = r.id ORDER BY r.id DESC
            """).map { row throws(ArchiveError) in
            let run = try archivedRun(row)
            return RunListing(run: run, figures: row[6] == nil ? nil : try runFigures(run.id, row[6...]))
        }
    }

    public func rejectedFiles(run: Int64) throws(ArchiveError) -> [RejectedFile] {
        try connection.query("""
            SELECT id, path, feed, department, item, format, COALESCE(encoding, 'UTF-8'), header, records - compliant
            FROM files WHERE id IN (\(ReportScope.run(run).files)) AND records > compliant
            ORDER BY path, id
            """).map { row throws(ArchiveError) in
            RejectedFile(fileID: try id(row[0]), path: row[1] ?? "", feed: row[2] ?? "", department: row[3] ?? "",
                         item: row[4] ?? "", format: row[5] ?? "", encoding: row[6] ?? "UTF-8",
                         header: try ArchiveSchema.array(row[7], in: location), rejected: try int(row[8]))
        }
    }

    /// As on SQLite, but a page of 10,000 rejected records at a time (a file's errors are read
    /// along with each page), so a large file's feedback stays in bounded memory.
    public func forEachRejectedRow(file: Int64, _ body: (RejectedRow) -> Bool) throws(ArchiveError) {
        func finding(_ row: [String?]) -> Finding {
            Finding(record: nil, rule: RuleID(row[1] ?? ""), severity: .error, field: row[2], value: row[3], detail: row[4],
                    isPersonal: row[5] == "1")
        }
        let fileErrors = try connection.query("""
            SELECT line, rule, field, value, detail, personal FROM findings
            WHERE file_id = $1 AND severity = 'error' AND line IS NULL ORDER BY id
            """, ["\(file)"]).map(finding)
        var after: (line: Int64, id: Int64) = (-1, -1)
        while true {
            let rows = try connection.query("""
                SELECT line, id, fields FROM rejected_records
                WHERE file_id = $1 AND (line, id) > ($2, $3) ORDER BY line, id LIMIT 10000
                """, ["\(file)", "\(after.line)", "\(after.id)"])
            guard let last = rows.last else { return }
            let first = try id(rows[0][0]), end = try id(last[0])
            var errors: [Int64: [Finding]] = [:]
            for row in try connection.query("""
                SELECT line, rule, field, value, detail, personal FROM findings
                WHERE file_id = $1 AND severity = 'error' AND line BETWEEN $2 AND $3 ORDER BY line, id
                """, ["\(file)", "\(first)", "\(end)"]) {
                errors[try id(row[0]), default: []].append(finding(row))
            }
            for row in rows {
                let line = try id(row[0])
                guard body(RejectedRow(line: Int(line), fields: try ArchiveSchema.array(row[2], in: location),
                                       errors: fileErrors + (errors[line] ?? []))) else { return }
            }
            after = (end, try id(last[1]))
        }
    }
}
