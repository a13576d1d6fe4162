import CreditCore

extension HTMLReport {
    /// Each figure against its target, missed ones marked: what a reviewer looks at first.
    static func targetSection(_ report: RunReport, _ t: ReportText) -> String {
        let missed = report.targetChecks.filter { $0.met == false }.count
        var html = "<section id=\"targets\">\n<h2>\(t("目标达成情况", "Targets"))</h2>\n"
        html += "<p class=\"\(missed > 0 ? "alert" : "meta")\">"
            + (missed > 0 ? t("\(missed) 项指标未达标。", "\(missed) figure(s) missed their targets.")
                          : t("各项指标均已达标（或无数据）。", "Every figure meets its target (or has no data)."))
            + "</p>\n"
        html += "<table>\n<thead><tr><th>\(t("指标", "Figure"))</th><th>\(t("范围", "Scope"))</th>"
            + "<th class=\"n\">\(t("实际", "Actual"))</th><th class=\"n\">\(t("计数", "Counts"))</th>"
            + "<th>\(t("目标", "Target"))</th><th>\(t("结果", "Result"))</th></tr></thead>\n<tbody>\n"
        for check in report.targetChecks {
            let verdictClass = check.met == false ? "missed" : check.met == true ? "met" : "empty"
            html += "<tr data-check=\"\(check.figure.rawValue):\(escape(check.item ?? "all"))\" data-met=\"\(check.met.map(String.init) ?? "none")\">"
                + "<td>\(escape(t.figure(check.figure)))</td>"
                + "<td>\(escape(check.itemName ?? t("全部记录", "all records")))</td>"
                + "<td class=\"n\">\(check.value.percentText)</td>"
                + "<td class=\"n\">\(check.value.numerator) / \(check.value.denominator)</td>"
                + "<td>\(escape(t.targetText(check.comparison, check.target)))</td>"
                + "<td class=\"\(verdictClass)\">\(escape(t.verdict(check.met)))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"
        return html
    }

    /// Every department of the directory, worst first: a bar chart of 合规率 against the target
    /// line for those expected to send, then the table (those without a feed folded at the end).
    static func departmentSection(_ report: RunReport, _ t: ReportText) -> String {
        let expected = report.departments.filter { $0.status != .noFeed }
        let silent = report.departments.filter { $0.status == .overdue }.count
        let overdueFeeds = report.departments.reduce(0) { $0 + ($1.overdueFeeds?.count ?? 0) }
        var html = "<section id=\"departments\">\n<h2>\(t("报送单位（最差在前）", "Departments (worst first)"))</h2>\n"
        html += "<p class=\"meta\">"
            + t("目录共 \(report.departments.count) 个单位，其中 \(expected.count) 个有报送目录；逾期未报送 \(silent) 个（\(overdueFeeds) 个报送目录超过其报送周期）。"
                + "合规率目标 ≥ \(report.targets.complianceRate)（红线）。",
                "\(report.departments.count) departments in the directory, \(expected.count) with feeds; "
                + "\(silent) overdue (\(overdueFeeds) feeds past their cadence). Compliance target ≥ \(report.targets.complianceRate) (red line).")
            + "</p>\n"
        html += chart(expected, target: report.targets.complianceRate, t)
        html += "<table>\n<thead><tr><th>\(t("报送单位", "Department"))</th><th>\(t("层级", "Level"))</th>"
            + "<th>\(t("状态", "Status"))</th><th class=\"n\">\(t("文件", "Files"))</th>"
            + "<th class=\"n\">\(t("记录数", "Records"))</th><th class=\"n\">\(t("合规", "Compliant"))</th>"
            + "<th class=\"n\">\(t("合规率", "Compliance"))</th></tr></thead>\n<tbody>\n"
        for row in expected {
            let statusClass = row.status == .overdue || row.status == .unreadable ? "missed" : ""
            // An overdue department says which feed, since when, and what its cadence is.
            let overdue = (row.overdueFeeds ?? []).map { feed in
                t("\(feed.itemName)：\(feed.lastSubmission.map { "最后报送 \($0)" } ?? "从未报送")（\(feed.cadence)）",
                  "\(feed.itemName): \(feed.lastSubmission.map { "last sent \($0)" } ?? "never sent") (\(feed.cadence))")
            }
            let status = escape(t.departmentStatus(row.status))
                + (overdue.isEmpty ? "" : "<br><small>" + overdue.map(escape).joined(separator: "<br>") + "</small>")
            html += "<tr data-department=\"\(escape(row.department))\"><td>\(escape(row.departmentName))</td>"
                + "<td>\(escape(row.level))</td>"
                + "<td class=\"\(statusClass)\" data-status=\"\(row.status.rawValue)\">\(status)</td>"
                + "<td class=\"n\">\(row.files)\(row.unreadableFiles > 0 ? t("（\(row.unreadableFiles) 个无法读取）", " (\(row.unreadableFiles) unreadable)") : "")</td>"
                + "<td class=\"n\" data-figure=\"records\">\(row.records)</td>"
                + "<td class=\"n\" data-figure=\"compliant\">\(row.compliant)</td>"
                + rateCell(row.complianceRate, target: row.complianceTarget, met: row.meetsComplianceTarget, t)
                + "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        let unexpected = report.departments.filter { $0.status == .noFeed }
        if !unexpected.isEmpty {
            html += "<details><summary>\(t("无报送目录的单位 \(unexpected.count) 个", "\(unexpected.count) departments without a feed"))</summary>\n<p>"
                + unexpected.map { escape($0.departmentName) }.joined(separator: "、") + "</p>\n</details>\n"
        }
        return html + "</section>\n"
    }

    /// Horizontal bars, one per department, 0–100% with the target as a red line; a department that
    /// sent nothing or nothing readable gets an empty bar and its status as the label.
    static func chart(_ rows: [RunReport.DepartmentFigures], target: TargetRate, _ t: ReportText) -> String {
        guard !rows.isEmpty else { return "" }
        let labelWidth = 230.0, barWidth = 420.0, rowHeight = 20.0, top = 18.0
        let width = labelWidth + barWidth + 90, height = top + rowHeight * Double(rows.count) + 6
        func x(_ fraction: Double) -> String { String(format: "%.1f", labelWidth + barWidth * fraction) }
        var svg = "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" "
            + "height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n"
            + "<title>\(escape(t("各单位合规率", "Compliance rate by department")))</title>\n"
        for (index, row) in rows.enumerated() {
            let y = top + rowHeight * Double(index)
            svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Int(y + 14))\" text-anchor=\"end\">\(escape(row.departmentName))</text>"
            if let value = row.complianceRate.value {
                let color = row.meetsComplianceTarget == false ? "#e03131" : "#2f9e44"
                svg += "<rect x=\"\(Int(labelWidth))\" y=\"\(Int(y + 3))\" width=\"\(String(format: "%.1f", barWidth * value))\" "
                    + "height=\"\(Int(rowHeight - 6))\" fill=\"\(color)\"/>"
                    + "<text x=\"\(x(value))\" dx=\"4\" y=\"\(Int(y + 14))\">\(row.complianceRate.percentText)</text>"
            } else {
                svg += "<rect x=\"\(Int(labelWidth))\" y=\"\(Int(y + 3))\" width=\"\(Int(barWidth))\" height=\"\(Int(rowHeight - 6))\" "
                    + "fill=\"none\" stroke=\"#e03131\" stroke-dasharray=\"3 3\"/>"
                    + "<text x=\"\(Int(labelWidth + 6))\" y=\"\(Int(y + 14))\" fill=\"#c92a2a\">\(escape(t.departmentStatus(row.status)))</text>"
            }
            svg += "\n"
        }
        let line = x(Double(target.partsPerMillion) / 1_000_000)
        svg += "<line x1=\"\(line)\" x2=\"\(line)\" y1=\"\(Int(top - 4))\" y2=\"\(Int(height))\" stroke=\"#c92a2a\" stroke-width=\"1.5\"/>"
            + "<text x=\"\(line)\" y=\"11\" text-anchor=\"middle\" fill=\"#c92a2a\">\(escape(t("目标 \(target)", "target \(target)")))</text>\n"
        return svg + "</svg>\n"
    }

    /// 问题数据反馈: the files written back to departments, linked relative to the report.
    static func feedbackSection(_ report: RunReport, _ t: ReportText) -> String {
        var html = "<section id=\"feedback\">\n<h2>\(t("问题数据反馈", "Feedback to departments"))</h2>\n"
        html += "<p class=\"meta\">\(t("每个含不合规记录的文件生成一份反馈：原有列与顺序、原格式与编码，附原行号、问题规则与说明；含未脱敏的个人信息，仅本机账户可读。部门改正后按原方式重新报送即可。", "One file per submitted file with rejected records: the department's own columns, order, format and encoding, plus the source line, rule ids and messages. It carries unmasked personal data and is readable by the owner only. Departments fix the rows and send them again as usual."))</p>\n"
        html += "<table>\n<thead><tr><th>\(t("报送单位", "Department"))</th><th>\(t("原文件", "Submitted file"))</th>"
            + "<th>\(t("反馈文件", "Feedback file"))</th><th>\(t("格式", "Format"))</th>"
            + "<th class=\"n\">\(t("记录数", "Records"))</th></tr></thead>\n<tbody>\n"
        for file in report.feedback {
            html += "<tr><td>\(escape(file.departmentName))</td><td><code>\(escape(file.source))</code></td>"
                + "<td><a href=\"\(escape(file.path))\"><code>\(escape(file.path))</code></a></td>"
                + "<td>\(escape(file.format.uppercased())) · \(escape(file.encoding))</td>"
                + "<td class=\"n\">\(file.rows)</td></tr>\n"
        }
        if report.feedback.isEmpty {
            html += "<tr><td colspan=\"5\" class=\"empty\">\(t("无需反馈", "Nothing to send back"))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }
}
