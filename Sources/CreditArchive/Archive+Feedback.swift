import CreditCore
import Foundation
import GRDB

/// A file of a run with rejected records: what its feedback to the department is written from.
public struct RejectedFile: Sendable, Hashable {
    public var fileID: Int64
    /// The file's path relative to the inbox.
    public var path: String
    public var feed: String
    public var department: String
    public var item: String
    public var format: String
    /// The encoding the department's file was in (`UTF-8` for files archived before it was kept).
    public var encoding: String
    /// The file's own column names (CSV), or the item's field ids and `_extra` (XML, JSON).
    public var header: [String]
    public var rejected: Int
}

/// One rejected record as received, with the errors that rejected it.
public struct RejectedRow: Sendable, Hashable {
    public var line: Int
    /// The values in ``RejectedFile/header`` order, as the department sent them.
    public var fields: [String]
    public var errors: [Finding]
}

extension Archive {
    /// The files the report of `run` covers that have rejected records, in path order.
    public func rejectedFiles(run: Int64) throws(ArchiveError) -> [RejectedFile] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, path, feed, department, item, format, COALESCE(encoding, 'UTF-8'), header, records - compliant
                FROM files WHERE id IN (\(ReportScope.run(run).files)) AND records > compliant
                ORDER BY path, id
                """).map { row in
                RejectedFile(fileID: row[0], path: row[1], feed: row[2], department: row[3], item: row[4], format: row[5],
                             encoding: row[6], header: Self.array(row[7] as String?), rejected: row[8])
            }
        }
    }

    /// The rejected records of a file in line order, each with its error findings.
    public func rejectedRows(file: Int64) throws(ArchiveError) -> [RejectedRow] {
        try read { db in
            // A file-level error (a required column missing) rejects every record: each row carries it.
            var fileErrors: [Finding] = []
            var errors: [Int: [Finding]] = [:]
            let findings = try Row.fetchCursor(db, sql: """
                SELECT line, rule, field, value, detail, personal FROM findings
                WHERE file_id = ? AND severity = 'error' ORDER BY line, id
                """, arguments: [file])
            while let row = try findings.next() {
                let finding = Finding(record: nil, rule: RuleID(row[1] as String), severity: .error, field: row[2],
                                      value: row[3], detail: row[4], isPersonal: row[5])
                if let line: Int = row[0] { errors[line, default: []].append(finding) } else { fileErrors.append(finding) }
            }
            return try Row.fetchAll(db, sql: "SELECT line, fields FROM rejected_records WHERE file_id = ? ORDER BY line, id",
                                    arguments: [file]).map { row in
                let line: Int = row[0]
                return RejectedRow(line: line, fields: Self.array(row[1] as String?), errors: fileErrors + (errors[line] ?? []))
            }
        }
    }
}
