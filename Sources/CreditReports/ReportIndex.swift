import CreditArchive
import CreditCore
import Foundation

/// `<reports>/index.html`: every run, newest first, with its headline figures and a link to its
/// report, and the period reports that have been rendered. Rewritten after every run and every
/// `credit-etl report`, so reviewers bookmark one page.
public enum ReportIndex {
    public static func render(runs: [RunListing], periods: [String], months: [String], pipeline: String,
                              language: Language, targets: QualityTargets, runDirectory: (Int64) -> String,
                              hasReport: (Int64) -> Bool) -> String {
        let t = ReportText(language: language)
        var html = HTMLReport.documentStart(title: t("信用数据质量报告", "Credit data quality reports"), language: language)
            + """
            <header><h1>\(t("信用数据质量报告", "Credit data quality reports"))</h1>
            <p class="meta">\(t("合规率目标", "Compliance target")) ≥ \(targets.complianceRate) · \
            \(t("重错码率目标", "Bad code target")) < \(targets.dupErrorCodeRate)</p></header>

            """
        html += "<section id=\"periods\">\n<h2>\(t("期间报告", "Period reports"))</h2>\n<ul>\n"
        for period in periods.sorted(by: >) {
            html += "<li><a href=\"period-\(HTMLReport.escape(period))/index.html\">\(HTMLReport.escape(period))</a></li>\n"
        }
        let missing = months.filter { !periods.contains($0) }.sorted(by: >)
        if periods.isEmpty { html += "<li class=\"empty\">\(t("尚未生成", "None rendered yet"))</li>\n" }
        html += "</ul>\n"
        if !missing.isEmpty {
            html += "<p class=\"meta\">\(t("生成月度报告", "To render a month's report")): <code>credit-etl report "
                + "\(HTMLReport.escape(pipeline)) --period \(HTMLReport.escape(missing[0]))</code></p>\n"
        }
        html += "</section>\n<section id=\"runs\">\n<h2>\(t("批次", "Runs"))</h2>\n"
        html += "<table>\n<thead><tr><th>\(t("批次", "Run"))</th><th>\(t("日期", "Day"))</th><th>\(t("状态", "Status"))</th>"
            + "<th class=\"n\">\(t("记录数", "Records"))</th><th class=\"n\">\(t("合规率", "Compliance"))</th>"
            + "<th class=\"n\">\(t("及时率", "Timeliness"))</th><th class=\"n\">\(t("重错码率", "Bad codes"))</th></tr></thead>\n<tbody>\n"
        for listing in runs {
            let id = listing.run.id
            // A run whose process died has no report of its own (the next run's counts its files); one
            // stopped by a signal has the report of what it archived until then.
            let link = hasReport(id) ? "<a href=\"\(runDirectory(id))/index.html\">\(id)</a>" : "\(id)"
            html += "<tr data-run=\"\(id)\"><td>\(link)</td>"
                + "<td>\(HTMLReport.escape(listing.figures?.day ?? String(listing.run.startedAt.prefix(10))))</td>"
                + "<td>\(HTMLReport.escape(t.status(listing.run.status)))</td>"
            if let figures = listing.figures {
                let compliance = Ratio(figures.compliant, of: figures.records)
                let missed = targets.complianceRate.isReached(by: compliance) == false
                html += "<td class=\"n\">\(figures.records)</td>"
                    + "<td class=\"n\(missed ? " missed" : "")\">\(compliance.percentText)</td>"
                    + "<td class=\"n\">\(Ratio(figures.timely, of: figures.timely + figures.late).percentText)</td>"
                    + "<td class=\"n\">\(Ratio(figures.dupErrorCodes, of: figures.distinctCodes).percentText)</td></tr>\n"
            } else {
                html += "<td colspan=\"4\" class=\"empty\">\(t("未完成（其文件计入下一批次的报告）", "not completed (its files are in the next run's report)"))</td></tr>\n"
            }
        }
        html += "</tbody>\n</table>\n</section>\n<footer>credit-etl</footer>\n</body>\n</html>\n"
        return html
    }
}
