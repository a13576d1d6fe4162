import CreditCore
import CreditValidation

/// Renders a ``RunReport`` as one self-contained HTML page (no scripts, no external files), so it
/// can be mailed, archived or opened from a shared folder as it is.
public enum HTMLReport {
    public static func render(_ report: RunReport) -> String {
        let t = ReportText(language: report.language)
        // A run's report names its run; a period's, the period and the runs it covers.
        let subject = report.period.map { period in
            t("期间 \(period)（批次 \(report.coveredRuns.map(String.init).joined(separator: "、"))）",
              "period \(period) (runs \(report.coveredRuns.map(String.init).joined(separator: ", ")))")
        } ?? "\(t("批次", "run")) \(report.run.id)"
        var html = documentStart(title: "\(t("信用数据质量报告", "Credit data quality report")) · \(escape(subject))",
                                 language: report.language) + """
            <header>
            <p class="meta"><a href="../index.html">\(t("全部报告", "All reports"))</a></p>
            <h1>\(t("信用数据质量报告", "Credit data quality report"))\(report.period.map { " · \(escape($0))" } ?? "")</h1>
            <p class="meta">\(escape(subject)) · \(escape(report.run.pipeline)) · \
            \(escape(report.run.startedAt)) – \(escape(report.run.finishedAt ?? "")) · \
            \(t("状态", "status")): \(escape(t.status(report.run.status)))</p>

            """
        html += "<p class=\"meta\">\(t("数据文件", "Data")): <a href=\"report.json\">report.json</a> · "
            + "<a href=\"figures.csv\">figures.csv</a>（\(t("按单位与信息项的指标", "figures per department and item"))） · "
            + "<a href=\"findings.csv\">findings.csv</a>（\(t("按单位、信息项、规则与字段的问题数", "findings per department, item, rule and field"))）</p>\n"
        if let error = report.run.error {
            html += "<p class=\"alert\">\(escape(error))</p>\n"
        }
        html += "</header>\n<section class=\"cards\">\n"
        let totals = report.totals
        html += card(t("记录数", "Records"), "\(totals.records)", figure: "records")
        html += card(t("合规记录", "Compliant"), "\(totals.compliant)", figure: "compliant")
        html += card(t("不合规记录", "Rejected"), "\(totals.rejected)", figure: "rejected")
        let overall = { (figure: RunReport.TargetCheck.Figure) in
            report.targetChecks.first { $0.figure == figure && $0.item == nil }
        }
        html += card(t("合规率", "Compliance rate"), totals.complianceRate.percentText, figure: "compliance_rate",
                     note: "\(totals.complianceRate.numerator) / \(totals.complianceRate.denominator)",
                     check: overall(.complianceRate), t)
        html += card(t("及时率", "Timeliness"), totals.timelinessRate.percentText, figure: "timeliness_rate",
                     note: "\(totals.timelinessRate.numerator) / \(totals.timelinessRate.denominator)"
                         + t("，未知 \(totals.timelinessUnknown)", ", unknown \(totals.timelinessUnknown)"),
                     check: overall(.timelinessRate), t)
        html += card(t("重错码率", "Erroneous/duplicate codes"), totals.dupErrorCodeRate.percentText, figure: "dup_error_code_rate",
                     note: "\(totals.dupErrorCodeRate.numerator) / \(totals.dupErrorCodeRate.denominator)"
                         + t("（错码 \(totals.errorCodes)，重码 \(totals.duplicateCodes)）",
                             " (erroneous \(totals.errorCodes), duplicate \(totals.duplicateCodes))"),
                     check: overall(.dupErrorCodeRate), t)
        if let figures = report.publicationTimeliness {
            html += card(t("公示及时率", "Publication timeliness"), figures.rate.percentText, figure: "publication_timeliness_rate",
                         note: "\(figures.rate.numerator) / \(figures.rate.denominator)"
                             + t("，未知 \(figures.unknown)", ", unknown \(figures.unknown)"),
                         check: overall(.publicationTimelinessRate), t)
        }
        html += card(t("纠正率", "Correction rate"), totals.correctionRate.percentText, figure: "correction_rate",
                     note: "\(totals.correctionRate.numerator) / \(totals.correctionRate.denominator)"
                         + t("（此前批次的重错码）", " (bad codes of earlier runs)"))
        html += card(t("入库变化", "Archive changes"), "\(totals.newRecords + totals.newVersions)",
                     note: t("新增 \(totals.newRecords)，新版本 \(totals.newVersions)，未变 \(totals.unchanged)，"
                             + "撤销 \(totals.withdrawn)，纠正 \(totals.corrected)",
                             "new \(totals.newRecords), new versions \(totals.newVersions), unchanged \(totals.unchanged), "
                             + "withdrawn \(totals.withdrawn), corrected \(totals.corrected)"))
        if totals.registryNameMismatches > 0 {
            html += card(t("名称与登记不一致", "Names differing from the registry"), "\(totals.registryNameMismatches)")
        }
        html += "</section>\n"
        for note in report.notes {
            html += "<p class=\"alert\">\(escape(note))</p>\n"
        }

        html += targetSection(report, t)
        html += trendSection(report, t)
        html += departmentSection(report, t)

        html += "<section>\n<h2>\(t("按报送单位与信息项", "By department and item"))</h2>\n"
        html += "<table>\n<thead><tr><th>\(t("报送单位", "Department"))</th><th>\(t("信息项", "Item"))</th>"
            + "<th class=\"n\">\(t("记录数", "Records"))</th><th class=\"n\">\(t("合规", "Compliant"))</th>"
            + "<th class=\"n\">\(t("不合规", "Rejected"))</th><th class=\"n\">\(t("合规率", "Compliance"))</th>"
            + "<th class=\"n\">\(t("及时率（及时/可判定，未知）", "Timeliness (timely/known, unknown)"))</th>"
            + "<th class=\"n\">\(t("重错码率（重错码/代码数）", "Bad codes (bad/distinct)"))</th>"
            + "<th class=\"n\">\(t("新增/新版本/未变", "New/versions/unchanged"))</th>"
            + "<th class=\"n\">\(t("纠正（记录；纠正率）", "Corrected (records; rate)"))</th></tr></thead>\n<tbody>\n"
        for slice in report.slices {
            let figures = slice.figures
            html += "<tr data-slice=\"\(escape(slice.department))/\(escape(slice.item))\"><td>\(escape(slice.departmentName))</td>"
                + "<td>\(escape(slice.itemName))\(editionNote(slice.standards, t))</td>"
                + "<td class=\"n\" data-figure=\"records\">\(figures.records)</td>"
                + "<td class=\"n\" data-figure=\"compliant\">\(figures.compliant)</td>"
                + "<td class=\"n\" data-figure=\"rejected\">\(figures.rejected)</td>"
                + rateCell(figures.complianceRate, target: slice.complianceTarget, met: slice.meetsComplianceTarget, t)
                + "<td class=\"n\">\(figures.timelinessRate.percentText) (\(figures.timely)/\(figures.timely + figures.late), "
                + "\(figures.timelinessUnknown))</td>"
                + "<td class=\"n\">\(figures.dupErrorCodeRate.percentText) (\(figures.dupErrorCodes)/\(figures.distinctCodes))</td>"
                + "<td class=\"n\">\(figures.newRecords)/\(figures.newVersions)/\(figures.unchanged)</td>"
                + "<td class=\"n\">\(figures.corrected); \(figures.correctionRate.percentText) "
                + "(\(figures.correctionRate.numerator)/\(figures.correctionRate.denominator))</td></tr>\n"
        }
        if report.slices.isEmpty {
            html += "<tr><td colspan=\"10\" class=\"empty\">\(t("本批次没有新入库的数据", "No new data was archived in this run"))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"

        html += publicationSection(report, t)
        html += indicatorSection(report, t)
        html += drillDownSection(report, t)

        html += "<section>\n<h2>\(t("问题统计（按规则与字段）", "Findings by rule and field"))</h2>\n"
        html += findingsTable(totals.findings, t) + "</section>\n"

        html += "<section>\n<h2>\(t("文件", "Files"))</h2>\n"
        html += "<table>\n<thead><tr><th>\(t("文件", "File"))</th><th>\(t("结果", "Outcome"))</th>"
            + "<th class=\"n\">\(t("记录数", "Records"))</th><th class=\"n\">\(t("合规", "Compliant"))</th>"
            + "<th>\(t("说明", "Note"))</th></tr></thead>\n<tbody>\n"
        for file in report.files {
            var note = file.message ?? ""
            if let firstRun = file.firstRun {
                note = t("内容与批次 \(firstRun) 已入库的文件相同", "same content as a file archived in run \(firstRun)")
            }
            let counted = file.outcome == .archived
            html += "<tr><td><code>\(escape(file.path))</code></td><td class=\"\(file.outcome.rawValue)\">"
                + "\(t.outcome(file.outcome))</td><td class=\"n\">\(counted ? "\(file.records)" : "—")</td>"
                + "<td class=\"n\">\(counted ? "\(file.compliant)" : "—")</td><td>\(escape(note))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"

        if report.period == nil { html += feedbackSection(report, t) }

        html += "<section>\n<h2>\(t("重码待核（同码异名、同名异码）", "Duplicate codes to review (one code, several names; one name, several codes)"))</h2>\n"
        html += "<p class=\"meta\">\(t("企业名称可能变更，请逐组核实；统计范围为截至本批次的全部入库数据。", "Names can change: review each group. Scope: everything archived up to this run."))</p>\n"
        html += "<table>\n<thead><tr><th>\(t("类型", "Kind"))</th><th>\(t("代码或名称", "Code or name"))</th>"
            + "<th>\(t("对应的名称或代码", "Seen with"))</th></tr></thead>\n<tbody>\n"
        for group in report.duplicateCodes {
            let kind = group.kind == .codeWithNames ? t("同码异名", "one code, several names") : t("同名异码", "one name, several codes")
            html += "<tr><td>\(kind)</td><td><code>\(escape(group.subject))</code></td>"
                + "<td>\(group.seenWith.map(escape).joined(separator: "<br>"))</td></tr>\n"
        }
        if report.duplicateCodes.isEmpty {
            html += "<tr><td colspan=\"3\" class=\"empty\">\(t("无", "None"))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"

        html += "<section>\n<h2>\(t("问题数据示例", "Example findings"))</h2>\n"
        html += "<p class=\"meta\">\(t("每条规则最多列出 \(Self.examplesPerRule) 条（各单位与信息项的示例见上方明细）；身份证号码、自然人姓名已脱敏。", "Up to \(Self.examplesPerRule) per rule (each department and item's own are in the details above); ID numbers and natural persons' names are masked."))</p>\n"
        html += "<table>\n<thead><tr><th>\(t("文件", "File"))</th><th class=\"n\">\(t("行", "Line"))</th>"
            + "<th>\(t("字段", "Field"))</th><th>\(t("规则", "Rule"))</th><th>\(t("值", "Value"))</th>"
            + "<th>\(t("说明", "Message"))</th></tr></thead>\n<tbody>\n"
        var shown: [String: Int] = [:]
        for sample in report.samples {
            shown[sample.rule, default: 0] += 1
            guard shown[sample.rule]! <= Self.examplesPerRule else { continue }
            html += "<tr><td><code>\(escape(sample.path))</code></td><td class=\"n\">\(sample.line.map(String.init) ?? "—")</td>"
                + "<td>\(fieldCell(sample.field, sample.fieldName))</td>"
                + "<td class=\"\(sample.severity.rawValue)\"><code>\(escape(sample.rule))</code></td>"
                + "<td>\(escape(sample.value ?? ""))</td><td>\(escape(sample.message))</td></tr>\n"
        }
        if report.samples.isEmpty {
            html += "<tr><td colspan=\"6\" class=\"empty\">\(t("未发现问题", "No findings"))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"
        html += "<footer>credit-etl · \(escape(RunReport.schemaVersion))</footer>\n</body>\n</html>\n"
        return html
    }

    /// The page up to `<body>`: language, viewport, title (already escaped) and the inline style,
    /// shared by the reports and the reports' index.
    static func documentStart(title: String, language: Language) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language == .zh ? "zh-CN" : "en")">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>\(style)</style>
        </head>
        <body>

        """
    }

    /// How many examples of each rule the run-wide examples section shows.
    static let examplesPerRule = 20

    /// A figure card; `figure` (`data-figure`) names the report.json figure it shows, for whoever
    /// reads the page by machine (the browser test does).
    private static func card(_ title: String, _ value: String, figure: String? = nil, note: String? = nil,
                             check: RunReport.TargetCheck? = nil, _ t: ReportText? = nil) -> String {
        var html = "<div class=\"card\(check?.met == false ? " missed" : "")\"\(figure.map { " data-figure=\"\($0)\"" } ?? "")>"
            + "<div class=\"label\">\(escape(title))</div>"
            + "<div class=\"value\">\(escape(value))</div>"
            + (note.map { "<div class=\"note\">\(escape($0))</div>" } ?? "")
        if let check, let t {
            html += "<div class=\"target\">\(escape(t.targetText(check.comparison, check.target)))"
                + " · \(escape(t.verdict(check.met)))</div>"
        }
        return html + "</div>\n"
    }

    /// Findings per rule and field: rule, severity, the field by its name, count, what the rule checks.
    static func findingsTable(_ findings: [RunReport.RuleCount], _ t: ReportText) -> String {
        var html = "<table>\n<thead><tr><th>\(t("规则", "Rule"))</th><th>\(t("级别", "Severity"))</th>"
            + "<th>\(t("字段", "Field"))</th><th class=\"n\">\(t("次数", "Count"))</th><th>\(t("说明", "Meaning"))</th></tr></thead>\n<tbody>\n"
        for count in findings {
            html += "<tr><td><code>\(escape(count.rule))</code></td><td class=\"\(count.severity.rawValue)\">"
                + "\(t.severity(count.severity))</td><td>\(fieldCell(count.field, count.fieldName))</td>"
                + "<td class=\"n\">\(count.count)</td><td>\(escape(count.summary ?? ""))</td></tr>\n"
        }
        if findings.isEmpty {
            html += "<tr><td colspan=\"5\" class=\"empty\">\(t("未发现问题", "No findings"))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// A field as reviewers know it (its catalog name), with the id beside it for whoever fixes the feed.
    static func fieldCell(_ id: String?, _ name: String?) -> String {
        guard let id else { return "—" }
        guard let name else { return "<code>\(escape(id))</code>" }
        return "\(escape(name)) <code class=\"id\">\(escape(id))</code>"
    }

    /// 公示及时率 of a period report: per item and per department, the records first exported in
    /// the period and how many within their deadline, held against the target; then what
    /// publication did (``PublicationFigures``). Nothing when nothing was exported.
    static func publicationSection(_ report: RunReport, _ t: ReportText) -> String {
        var html = ""
        if let figures = report.publicationTimeliness {
            let scope = report.period == nil
                ? t("自上次运行开始以来的公示导出中首次公示的记录中", "Of the records first published by the exports since the previous run began")
                : t("本期首次公示的记录中", "Of the records first published in the period")
            let note = scope + t("，自决定之日起在规定工作日内公示的比例（按官方工作日历）；目标 ",
                                 ", the share published within their deadline of the decision (official working-day calendar); target ")
                + "\(escape(t.targetText(.atLeast, figures.target)))" + (figures.met == false ? t("，未达标。", ", missed.") : t("。", "."))
            html += "<section>\n<h2>\(t("公示及时率", "Publication timeliness"))</h2>\n<p>\(note)</p>\n"
                + "<table>\n<thead><tr><th>\(t("信息项", "Item"))</th><th class=\"n\">\(t("时限（工作日）", "Deadline (working days)"))</th>"
                + "<th class=\"n\">\(t("首次公示", "First published"))</th><th class=\"n\">\(t("及时", "On time"))</th>"
                + "<th class=\"n\">\(t("逾期", "Late"))</th><th class=\"n\">\(t("未知", "Unknown"))</th>"
                + "<th class=\"n\">\(t("公示及时率", "Rate"))</th></tr></thead>\n<tbody>\n"
            for item in figures.items {
                html += "<tr data-publication=\"\(escape(item.item))\"><td>\(escape(item.itemName))</td>"
                    + "<td class=\"n\">\(item.deadlineWorkingDays)</td>"
                    + timelinessCells(item.exported, item.timely, item.late, item.unknown, item.rate, met: item.met) + "</tr>\n"
            }
            html += "</tbody>\n</table>\n"
            html += "<table>\n<thead><tr><th>\(t("报送单位", "Department"))</th><th class=\"n\">\(t("首次公示", "First published"))</th>"
                + "<th class=\"n\">\(t("及时", "On time"))</th><th class=\"n\">\(t("逾期", "Late"))</th>"
                + "<th class=\"n\">\(t("未知", "Unknown"))</th><th class=\"n\">\(t("公示及时率", "Rate"))</th></tr></thead>\n<tbody>\n"
            for department in figures.departments {
                html += "<tr data-publication-department=\"\(escape(department.department))\"><td>\(escape(department.departmentName))</td>"
                    + timelinessCells(department.exported, department.timely, department.late, department.unknown,
                                      department.rate, met: department.met) + "</tr>\n"
            }
            html += "</tbody>\n</table>\n</section>\n"
        }
        if let figures = report.publication {
            html += "<section>\n<h2>\(t("公示情况", "Publication"))</h2>\n<p>"
                + t("期末（\(escape(figures.asOf))）公示中的记录，本期公示导出的新增、更新、撤下（按原因）与信用修复不予采纳（按原因）。",
                    "Records public at the end (\(escape(figures.asOf))), and what the period's exports added, updated, took down (by reason) and refused of credit repairs (by reason).")
                + "</p>\n<table>\n<thead><tr><th>\(t("信息项", "Item"))</th><th>\(t("报送单位", "Department"))</th>"
                + "<th class=\"n\">\(t("期末公示中", "Public at the end"))</th><th class=\"n\">\(t("异议处理中", "Objections open"))</th>"
                + "<th class=\"n\">\(t("新增", "Added"))</th><th class=\"n\">\(t("更新", "Updated"))</th>"
                + "<th class=\"n\">\(t("撤下", "Taken down"))</th><th class=\"n\">\(t("信用修复", "Repairs applied"))</th>"
                + "<th>\(t("撤下原因", "Why taken down"))</th><th>\(t("修复不予采纳", "Repairs refused"))</th></tr></thead>\n<tbody>\n"
            func reasons(_ counts: [String: Int]) -> String {
                counts.sorted { $0.key < $1.key }.map { "\(escape(t.publicationReason($0.key))) \($0.value)" }
                    .joined(separator: t("、", ", "))
            }
            for row in figures.rows {
                html += "<tr data-publication-row=\"\(escape(row.item))/\(escape(row.department))\"><td>\(escape(row.itemName))</td>"
                    + "<td>\(escape(row.departmentName))</td><td class=\"n\">\(row.publicAtEnd)</td>"
                    + "<td class=\"n\">\(row.objectionsOpen)</td><td class=\"n\">\(row.added)</td><td class=\"n\">\(row.updated)</td>"
                    + "<td class=\"n\">\(row.removed)</td><td class=\"n\">\(row.repairsApplied)</td>"
                    + "<td>\(reasons(row.removedBy))</td><td>\(reasons(row.refusedBy))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n</section>\n"
        }
        return html
    }

    /// The counts of a 公示及时率 row and its rate, marked when it misses its target.
    static func timelinessCells(_ exported: Int, _ timely: Int, _ late: Int, _ unknown: Int, _ rate: Ratio,
                                met: Bool?) -> String {
        "<td class=\"n\">\(exported)</td><td class=\"n\">\(timely)</td><td class=\"n\">\(late)</td><td class=\"n\">\(unknown)</td>"
            + "<td class=\"n\(met == false ? " missed" : "")\" data-figure=\"publication_timeliness_rate\">\(rate.percentText)"
            + "\(met == false ? " ▼" : "") (\(timely)/\(rate.denominator))</td>"
    }

    /// Under an item's name: which editions of its standard the slice's records were checked
    /// against, when any was not the current one (a backfill of 2016 exports); nothing otherwise.
    static func editionNote(_ standards: [RunReport.EditionCount]?, _ t: ReportText) -> String {
        guard let standards, standards.contains(where: { !$0.isCurrent }) else { return "" }
        let parts = standards.map { "\(escape($0.name)) \($0.records)" }.joined(separator: t("；", "; "))
        return "<br><small class=\"editions\" data-figure=\"editions\">\(t("核查标准：", "Checked against: "))\(parts)</small>"
    }

    /// A 合规率 cell, marked when it misses its target.
    static func rateCell(_ rate: Ratio, target: TargetRate, met: Bool?, _ t: ReportText) -> String {
        "<td class=\"n\(met == false ? " missed" : "")\" data-figure=\"compliance_rate\" title=\"\(escape(t.targetText(.atLeast, target)))\">"
            + "\(rate.percentText)\(met == false ? " ▼" : "")</td>"
    }

    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    public static let style = """
        body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:72rem;\
        color:#1f2933;padding:0 1rem}h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;\
        border-bottom:1px solid #d9e2ec;padding-bottom:.3rem}.meta{color:#627d98;font-size:.9rem}.alert{background:#ffe3e3;\
        padding:.6rem;border-radius:4px}.cards{display:flex;gap:1rem;flex-wrap:wrap;margin-top:1rem}.card{border:1px solid \
        #d9e2ec;border-radius:6px;padding:.8rem 1.2rem;min-width:9rem}.card .label{color:#627d98;font-size:.85rem}.card \
        .value{font-size:1.6rem;font-weight:600}.card .note{color:#627d98;font-size:.8rem}table{border-collapse:collapse;\
        width:100%;font-size:.9rem}th,td{border-bottom:1px solid #e4e7eb;padding:.35rem .5rem;text-align:left;\
        vertical-align:top}th{background:#f5f7fa}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.n{white-space:nowrap}\
        .error{color:#c92a2a}.warning{color:#b35c00}.failed{color:#c92a2a}.duplicate,.unmatched{color:#627d98}\
        .empty{color:#9aa5b1;text-align:center}.missed{color:#c92a2a;font-weight:600}.card.missed{border-color:#c92a2a;\
        background:#fff5f5}.card .target{font-size:.8rem;margin-top:.2rem}.met{color:#2b8a3e}code.id{color:#9aa5b1}\
        details{border:1px solid #e4e7eb;border-radius:4px;padding:.3rem .6rem;margin:.4rem 0}summary{cursor:pointer}\
        .chart{max-width:100%;height:auto}.chart text{font-size:11px;fill:#1f2933}code{font-size:.85em}footer{margin-top:2rem;color:#9aa5b1;font-size:.8rem}
        """
}
