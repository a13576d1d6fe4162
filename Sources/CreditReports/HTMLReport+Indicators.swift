import CreditCore

extension HTMLReport {
    /// 城市信用指标: each indicator with its numerator and denominator, its target (shown, never
    /// failing the job), its trend over the month-ends before the day, and folded drill-downs by
    /// division and by department.
    static func indicatorSection(_ report: RunReport, _ t: ReportText) -> String {
        guard let indicators = report.indicators else { return "" }
        var html = "<section id=\"indicators\">\n<h2>\(t("城市信用指标", "City credit indicators")) · \(escape(indicators.day))</h2>\n"
        html += "<p class=\"meta\">\(t("按信息目录的信用状况规则（standing）在该日的认定计算；行政处罚按公示规则计入公示期内的记录。城市指标只作展示，不影响批次结果。", "Computed by the catalog's standing rules on the day; penalties count while public under their publication rules. City indicators are shown, and never fail a run."))</p>\n"
        for note in indicators.notes {
            html += "<p class=\"alert\">\(escape(note))</p>\n"
        }
        html += "<table>\n<thead><tr><th>\(t("指标", "Indicator"))</th><th class=\"n\">\(t("数值", "Value"))</th>"
            + "<th class=\"n\">\(t("分子/分母", "Numerator/denominator"))</th><th class=\"n\">\(t("目标", "Target"))</th>"
            + "<th>\(t("趋势（各月末）", "Trend (month-ends)"))</th></tr></thead>\n<tbody>\n"
        for indicator in [indicators.seriousDishonestShare, indicators.cleanEnterpriseShare] {
            let target = (indicator.comparison == .below ? "< " : "≥ ") + indicator.target.description
            let status = indicator.met == false ? " <span class=\"missed\">\(t("未达标", "missed"))</span>" : ""
            let trend = indicator.trend.map { "\(escape(String($0.day.prefix(7)))) \($0.value.percentText)" }.joined(separator: " · ")
            html += "<tr data-indicator=\"\(indicator.key)\"><td>\(escape(indicator.name))</td>"
                + "<td class=\"n\">\(indicator.value.percentText)\(status)</td>"
                + "<td class=\"n\">\(indicator.value.numerator)/\(indicator.value.denominator)</td>"
                + "<td class=\"n\">\(escape(target))</td><td>\(trend)</td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        for indicator in [indicators.seriousDishonestShare, indicators.cleanEnterpriseShare] {
            html += "<details data-indicator-drill=\"\(indicator.key)\"><summary>\(escape(indicator.name)) · \(t("按行政区划与报送单位", "by division and department"))</summary>\n"
            html += "<table>\n<thead><tr><th>\(t("行政区划（代码第3–8位）", "Division (USCC positions 3–8)"))</th>"
                + "<th class=\"n\">\(t("数值", "Value"))</th><th class=\"n\">\(t("分子/分母", "Numerator/denominator"))</th></tr></thead>\n<tbody>\n"
            for share in indicator.byDivision.prefix(Self.indicatorRows) {
                let name = share.divisionName.map { " " + escape($0) } ?? ""
                html += "<tr><td><code>\(escape(share.division))</code>\(name)</td><td class=\"n\">\(share.value.percentText)</td>"
                    + "<td class=\"n\">\(share.value.numerator)/\(share.value.denominator)</td></tr>\n"
            }
            if indicator.byDivision.count > Self.indicatorRows {
                html += "<tr><td colspan=\"3\" class=\"empty\">\(t("其余 \(indicator.byDivision.count - Self.indicatorRows) 个区划见 report.json", "\(indicator.byDivision.count - Self.indicatorRows) more divisions in report.json"))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n<table>\n<thead><tr><th>\(t("报送单位", "Department"))</th>"
                + "<th class=\"n\">\(t(indicator.comparison == .below ? "列入名单的主体" : "有不良信息的企业", indicator.comparison == .below ? "Subjects listed" : "Enterprises with adverse records"))</th></tr></thead>\n<tbody>\n"
            for department in indicator.byDepartment {
                html += "<tr><td>\(escape(department.departmentName))</td><td class=\"n\">\(department.subjects)</td></tr>\n"
            }
            if indicator.byDepartment.isEmpty {
                html += "<tr><td colspan=\"2\" class=\"empty\">\(t("无", "None"))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n</details>\n"
        }
        return html + "</section>\n"
    }

    /// How many divisions a drill-down lists (report.json has them all).
    static let indicatorRows = 50
}
