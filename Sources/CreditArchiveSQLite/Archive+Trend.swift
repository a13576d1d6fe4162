import CreditArchive
import CreditCore
import GRDB


extension Archive {
    /// The figures of every reported run before `run` (all when nil), oldest first.
    public func runFigures(before run: Int64? = nil) throws(ArchiveError) -> [RunFigures] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT run_id, day, records, compliant, timely, late, distinct_codes, dup_error_codes
                FROM run_figures WHERE run_id < ? ORDER BY run_id
                """, arguments: [run ?? Int64.max]).map { row in
                RunFigures(run: row[0], day: row[1], records: row[2], compliant: row[3], timely: row[4], late: row[5],
                           distinctCodes: row[6], dupErrorCodes: row[7])
            }
        }
    }
}


extension Archive {
    /// Every run, newest first, with its recorded figures.
    public func runListings() throws(ArchiveError) -> [RunListing] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id, r.pipeline, r.started_at, r.finished_at, r.status, r.error,
                       f.day, f.records, f.compliant, f.timely, f.late, f.distinct_codes, f.dup_error_codes
                FROM runs r LEFT JOIN run_figures f ON f.run_id = r.id ORDER BY r.id DESC
                """).map { row in
                let run = ArchivedRun(id: row[0], pipeline: row[1], startedAt: row[2], finishedAt: row[3], status: row[4],
                                      error: row[5])
                let day: String? = row[6]
                return RunListing(run: run, figures: day.map { day in
                    RunFigures(run: run.id, day: day, records: row[7], compliant: row[8], timely: row[9], late: row[10],
                               distinctCodes: row[11], dupErrorCodes: row[12])
                })
            }
        }
    }
}
