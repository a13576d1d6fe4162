import CreditCore
import Foundation

/// What completing a run records, in the SQL both backends share: the statements differ only in
/// how each dialect says "insert unless present".
package enum RunCompletion {
    /// The scope's 重错码 codes per department × item (错码, or in the 重码 set `duplicates`), as
    /// flags of the run `?1` / `$1`.
    package static func flagsSQL(_ scope: ReportScope, duplicates: String, insert: String, conflict: String) -> String {
        """
        \(insert) report_flags (department, item, code, run_id)
        SELECT f.department, f.item, s.code, \(scope.upto) FROM subject_codes s JOIN files f ON f.id = s.file_id
        WHERE f.id IN (\(scope.files))
          AND (s.valid = 0 OR EXISTS (SELECT 1 FROM \(duplicates) d WHERE d.code = s.code))
        GROUP BY f.department, f.item, s.code\(conflict)
        """
    }

    /// Records, compliant, timely and late over the scope's files; its distinct codes (one pass
    /// over subject_codes' covering index, in code order: no sort); its 重错码, which are the codes
    /// the run has just flagged (``flagsSQL(_:duplicates:insert:conflict:)``), so the report's
    /// per-code figures are not computed twice.
    package static func totalsSQL(_ scope: ReportScope, run: Int64) -> String {
        """
        SELECT COALESCE(SUM(records), 0), COALESCE(SUM(compliant), 0), COALESCE(SUM(timely), 0), COALESCE(SUM(late), 0),
               (SELECT COUNT(DISTINCT code) FROM subject_codes WHERE file_id IN (\(scope.files))),
               (SELECT COUNT(DISTINCT code) FROM report_flags WHERE run_id = \(run))
        FROM files WHERE id IN (\(scope.files))
        """
    }

    /// Each feed's last submission up to the run named by `parameter`: the day the platform
    /// received it, which is the day of the run that archived the file or received its content
    /// again (a department re-sending its whole table unchanged has still sent it). A file whose
    /// run never completed counts from its own submission date.
    package static func lastSubmissionsSQL(_ parameter: String) -> String {
        """
        SELECT feed, MAX(day) FROM (
            SELECT f.feed, COALESCE(g.day, f.submitted) AS day FROM files f
            LEFT JOIN run_figures g ON g.run_id = f.run_id
            WHERE f.run_id <= \(parameter)
            UNION ALL
            SELECT r.feed, g.day FROM run_files r JOIN run_figures g ON g.run_id = r.run_id
            WHERE r.run_id <= \(parameter) AND r.outcome = 'duplicate' AND r.feed IS NOT NULL
        ) AS submissions WHERE day IS NOT NULL GROUP BY feed
        """
    }

    /// Runs no report covers yet: they never completed, no later run adopted them, and they
    /// recorded no figures (a run of an older version that did report itself).
    package static let unreportedRuns = """
        reported_in IS NULL AND status IN ('running', 'interrupted', 'failed') AND id NOT IN (SELECT run_id FROM run_figures)
        """

    /// Gives the run named by `parameter` the runs it reports for: the unreported ones before it
    /// (narrowed by `also`, e.g. to one pipeline of a shared server). Its report and completion
    /// then cover their committed files, so the archive and figures are those of one clean run.
    package static func adoptionSQL(_ parameter: String, also: String = "") -> String {
        "UPDATE runs SET reported_in = \(parameter) WHERE id < \(parameter)\(also) AND \(unreportedRuns)"
    }

    /// What a run row says when the next run found its processes gone.
    package static let abandonedMessage = "the process ended before the run finished (killed, or the machine stopped)"

    /// What a run row says when a signal stopped it.
    package static let signalledMessage = "stopped by a signal; the file being read was rolled back"

    package static func figures(run: Int64, day: String, totals: [Int]) -> RunFigures {
        RunFigures(run: run, day: day, records: totals[0], compliant: totals[1], timely: totals[2], late: totals[3],
                   distinctCodes: totals[4], dupErrorCodes: totals[5])
    }
}
