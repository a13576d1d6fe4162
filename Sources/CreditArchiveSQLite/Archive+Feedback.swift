import CreditArchive
import CreditCore
import Foundation
import GRDB



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
                             encoding: row[6], header: try ArchiveSchema.array(row[7] as String?, in: path), rejected: row[8])
            }
        }
    }

    /// Hands each rejected record of a file to `body`, in line order, with the errors that
    /// rejected it: one record in memory at a time, however many the file has. `body` returns
    /// false to stop.
    public func forEachRejectedRow(file: Int64, _ body: (RejectedRow) -> Bool) throws(ArchiveError) {
        try read { db in
            // Two cursors walked together: findings by line (file-level errors, with no line,
            // sort first and reject every record), and the rejected records by line.
            let findings = try Row.fetchCursor(db, sql: """
                SELECT line, rule, field, value, detail, personal FROM findings
                WHERE file_id = ? AND severity = 'error' ORDER BY line, id
                """, arguments: [file])
            func next() throws -> (line: Int?, finding: Finding)? {
                guard let row = try findings.next() else { return nil }
                return (row[0], Finding(record: nil, rule: RuleID(row[1] as String), severity: .error, field: row[2],
                                        value: row[3], detail: row[4], isPersonal: row[5]))
            }
            var fileErrors: [Finding] = []
            var ahead = try next()
            while let current = ahead, current.line == nil {
                fileErrors.append(current.finding)
                ahead = try next()
            }
            let rows = try Row.fetchCursor(db, sql: "SELECT line, fields FROM rejected_records WHERE file_id = ? ORDER BY line, id",
                                           arguments: [file])
            while let row = try rows.next() {
                let line: Int = row[0]
                var errors = fileErrors
                while let current = ahead, let at = current.line, at <= line {
                    if at == line { errors.append(current.finding) }
                    ahead = try next()
                }
                guard body(RejectedRow(line: line, fields: try ArchiveSchema.array(row[1] as String?, in: path), errors: errors)) else { return }
            }
        }
    }
}
