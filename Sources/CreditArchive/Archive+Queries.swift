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
public struct ArchivedSlice: Sendable, Hashable {
    public var department: String
    public var item: String
    public var counts: QualityCounts
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
                SELECT department, item, SUM(records), SUM(compliant) FROM files
                WHERE run_id = ? GROUP BY department, item
                """, arguments: [run]) {
                var counts = QualityCounts()
                counts.records = row[2]
                counts.compliant = row[3]
                let key = "\(row[0] as String)\u{0}\(row[1] as String)"
                slices[key] = ArchivedSlice(department: row[0], item: row[1], counts: counts)
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
