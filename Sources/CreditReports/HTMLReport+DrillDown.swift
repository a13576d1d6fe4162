import CreditCore

extension HTMLReport {
    /// 明细: one folded block per department × item, worst 合规率 first: its findings per rule and
    /// field (by the fields' Chinese names), and its example rows (file, line, masked value,
    /// message). Everything comes from report.json: slices carry their findings, samples their file.
    static func drillDownSection(_ report: RunReport, _ t: ReportText) -> String {
        guard !report.slices.isEmpty else { return "" }
        let sliceOfFile = Dictionary(report.files.compactMap { file -> (String, String)? in
            guard let department = file.department, let item = file.item else { return nil }
            return (file.path, "\(department)/\(item)")
        }, uniquingKeysWith: { first, _ in first })
        let worstFirst = report.slices.sorted { a, b in
            let left = a.figures.compliant * b.figures.records, right = b.figures.compliant * a.figures.records
            return left != right ? left < right : (a.department, a.item) < (b.department, b.item)
        }
        var html = "<section id=\"drill-down\">\n<h2>\(t("明细（按报送单位与信息项，最差在前）", "Details per department and item (worst first)"))</h2>\n"
        for slice in worstFirst {
            let key = "\(slice.department)/\(slice.item)"
            let figures = slice.figures
            html += "<details data-drill=\"\(escape(key))\"><summary>\(escape(slice.departmentName)) · \(escape(slice.itemName)) · "
                + "\(t("合规率", "compliance")) \(figures.complianceRate.percentText)"
                + (slice.meetsComplianceTarget == false ? " <span class=\"missed\">\(t("未达标", "missed"))</span>" : "")
                + " · \(t("纠正", "corrected")) \(figures.corrected)</summary>\n"
            html += findingsTable(figures.findings.sorted { ($0.count, $1.rule) > ($1.count, $0.rule) }, t)
            let samples = report.samples.filter { sliceOfFile[$0.path] == key }
            if !samples.isEmpty {
                html += "<table>\n<thead><tr><th>\(t("文件", "File"))</th><th class=\"n\">\(t("行", "Line"))</th>"
                    + "<th>\(t("字段", "Field"))</th><th>\(t("值", "Value"))</th><th>\(t("说明", "Message"))</th></tr></thead>\n<tbody>\n"
                for sample in samples {
                    html += "<tr><td><code>\(escape(sample.path))</code></td>"
                        + "<td class=\"n\">\(sample.line.map(String.init) ?? "—")</td>"
                        + "<td>\(fieldCell(sample.field, sample.fieldName))</td><td>\(escape(sample.value ?? ""))</td>"
                        + "<td class=\"\(sample.severity.rawValue)\">\(escape(sample.message))</td></tr>\n"
                }
                html += "</tbody>\n</table>\n"
            }
            html += "<p class=\"meta\">\(t("代码", "Codes")) \(figures.distinctCodes) · \(t("错码", "erroneous")) \(figures.errorCodes) · "
                + "\(t("重码", "duplicate")) \(figures.duplicateCodes) · \(t("纠正率", "correction rate")) "
                + "\(figures.correctionRate.percentText) (\(figures.correctionRate.numerator)/\(figures.correctionRate.denominator))</p>\n"
            html += "</details>\n"
        }
        return html + "</section>\n"
    }
}
