import CreditCore
import GRDB

/// A run as the archive records it.
public struct ArchivedRun: Sendable, Hashable {
    public var id: Int64
    public var pipeline: String
    public var startedAt: String
    public var finishedAt: String?
    public var status: String
    public var error: String?
}

/// A file a run saw, with the ledger figures when it was archived.
public struct ArchivedFileOutcome: Sendable, Hashable {
    public var outcome: FileOutcome
    public var department: String?
    public var item: String?
    public var records: Int
    public var compliant: Int
    /// For duplicates: the run that archived this content first.
    public var firstRun: Int64?
}

/// Quality counts of one department × item slice of a run.
/// Distinct subject codes of a slice and how many of them are 错码, 重码, or either (重错码).
public struct CodeFigures: Sendable, Hashable, Codable {
    public var distinct = 0
    public var erroneous = 0
    public var duplicated = 0
    public var erroneousOrDuplicated = 0

    public init(distinct: Int = 0, erroneous: Int = 0, duplicated: Int = 0, erroneousOrDuplicated: Int = 0) {
        self.distinct = distinct
        self.erroneous = erroneous
        self.duplicated = duplicated
        self.erroneousOrDuplicated = erroneousOrDuplicated
    }

    /// 重错码率: (错码 ∪ 重码) ÷ distinct codes.
    public var rate: Ratio { Ratio(erroneousOrDuplicated, of: distinct) }
}

public struct ArchivedSlice: Sendable, Hashable {
    public var department: String
    public var item: String
    public var counts: QualityCounts
    public var codes: CodeFigures
}

/// One finding as stored, with where it points.
public struct ArchivedFinding: Sendable, Hashable {
    public var path: String
    public var line: Int?
    public var finding: Finding
}

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

    /// Every file the run saw, in the order it saw them.
    public func fileOutcomes(run: Int64) throws(ArchiveError) -> [ArchivedFileOutcome] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT rf.outcome, rf.path, rf.sha256, rf.file_id, rf.feed, rf.line, rf.message,
                       f.department, f.item, f.records, f.compliant, f.run_id
                FROM run_files rf LEFT JOIN files f ON f.id = rf.file_id
                WHERE rf.run_id = ? ORDER BY rf.rowid
                """, arguments: [run]).map { row in
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

    /// Quality counts per department × item over the files this run archived.
    public func slices(run: Int64) throws(ArchiveError) -> [ArchivedSlice] {
        try read { db in
            var slices: [String: ArchivedSlice] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT department, item, SUM(records), SUM(compliant), SUM(timely), SUM(late), SUM(timeliness_unknown)
                FROM files WHERE run_id = ? GROUP BY department, item
                """, arguments: [run]) {
                var counts = QualityCounts()
                counts.records = row[2]
                counts.compliant = row[3]
                counts.timeliness = TimelinessCounts(timely: row[4], late: row[5], unknown: row[6])
                let key = "\(row[0] as String)\u{0}\(row[1] as String)"
                slices[key] = ArchivedSlice(department: row[0], item: row[1], counts: counts,
                                            codes: try codeFigures(db, run: run, department: row[0], item: row[1]))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT f.department, f.item, c.rule, c.severity, c.field, SUM(c.count)
                FROM file_finding_counts c JOIN files f ON f.id = c.file_id
                WHERE f.run_id = ? GROUP BY f.department, f.item, c.rule, c.severity, c.field
                """, arguments: [run]) {
                let key = "\(row[0] as String)\u{0}\(row[1] as String)"
                let field: String = row[4]
                let findingKey = FindingKey(rule: RuleID(row[2] as String), severity: Severity(rawValue: row[3]) ?? .error,
                                            field: field.isEmpty ? nil : field)
                slices[key]?.counts.findings[findingKey] = row[5]
            }
            return slices.values.sorted { ($0.department, $0.item) < ($1.department, $1.item) }
        }
    }

    /// 错码 / 重码 figures of one slice (or of the whole run when `department` and `item` are nil).
    ///
    /// A code is 重码 when the slice shows it with two or more names, or with a name other than
    /// the registry's; 错码 when it fails the identifier checks.
    func codeFigures(_ db: Database, run: Int64, department: String?, item: String?) throws -> CodeFigures {
        let scope = department == nil ? "" : " AND f.department = ? AND f.item = ?"
        var arguments: StatementArguments = [run]
        if let department, let item { arguments += [department, item] }
        let row = try Row.fetchOne(db, sql: """
            WITH seen AS (
                SELECT s.code, s.name_key, s.valid FROM subject_codes s JOIN files f ON f.id = s.file_id
                WHERE f.run_id = ?\(scope)
            ), per_code AS (
                SELECT code, MIN(valid) AS valid,
                       COUNT(DISTINCT NULLIF(name_key, '')) AS names,
                       MAX(EXISTS (SELECT 1 FROM registry r WHERE r.code = seen.code AND seen.name_key <> ''
                                   AND r.name_key <> seen.name_key)) AS registry_conflict
                FROM seen GROUP BY code
            )
            SELECT COUNT(*),
                   COALESCE(SUM(valid = 0), 0),
                   COALESCE(SUM(names > 1 OR registry_conflict), 0),
                   COALESCE(SUM(valid = 0 OR names > 1 OR registry_conflict), 0)
            FROM per_code
            """, arguments: arguments)
        return CodeFigures(distinct: row?[0] ?? 0, erroneous: row?[1] ?? 0, duplicated: row?[2] ?? 0,
                           erroneousOrDuplicated: row?[3] ?? 0)
    }

    /// 错码 / 重码 figures over the whole run.
    public func codeFigures(run: Int64) throws(ArchiveError) -> CodeFigures {
        try read { db in try codeFigures(db, run: run, department: nil, item: nil) }
    }

    /// Up to `limit` findings per rule from this run's files, in file and line order.
    public func sampleFindings(run: Int64, perRule limit: Int) throws(ArchiveError) -> [ArchivedFinding] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT path, line, rule, severity, field, value, detail, personal FROM (
                    SELECT f.path, g.line, g.rule, g.severity, g.field, g.value, g.detail, g.personal, g.file_id, g.id,
                           ROW_NUMBER() OVER (PARTITION BY g.rule ORDER BY g.file_id, g.line, g.id) AS n
                    FROM findings g JOIN files f ON f.id = g.file_id
                    WHERE f.run_id = ?
                ) WHERE n <= ? ORDER BY file_id, line, id
                """, arguments: [run, limit]).map { row in
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
