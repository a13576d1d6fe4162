import CreditArchive
import GRDB

extension Archive {
    /// The runs of a period, oldest first.
    public func runs(in period: ReportPeriod) throws(ArchiveError) -> [ArchivedRun] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id, r.pipeline, r.started_at, r.finished_at, r.status, r.error FROM runs r
                LEFT JOIN run_figures f ON f.run_id = r.id
                WHERE COALESCE(f.day, date(r.started_at, '+8 hours')) BETWEEN ? AND ? AND r.status <> 'running'
                ORDER BY r.id
                """, arguments: [period.first, period.last]).map { row in
                ArchivedRun(id: row[0], pipeline: row[1], startedAt: row[2], finishedAt: row[3], status: row[4],
                            error: row[5])
            }
        }
    }
}
