import CreditCore
import Foundation

extension HTMLReport {
    /// 趋势: 合规率 per run as a line against the target, then the runs and months as tables.
    static func trendSection(_ report: RunReport, _ t: ReportText) -> String {
        var html = "<section id=\"trend\">\n<h2>\(t("趋势", "Trend"))</h2>\n"
        html += "<p class=\"meta\">\(t("最近 \(RunReport.trendRuns) 个批次、\(RunReport.trendRuns) 天及各月；月度重错码率为各批次累加（同一代码出现在两个批次中计两次）。", "The last \(RunReport.trendRuns) runs, \(RunReport.trendRuns) days and every month; a month's erroneous/duplicate code rate adds up its runs' terms (a code in two runs counts twice)."))</p>\n"
        html += lineChart(report.trend.runs, target: report.targets.complianceRate, t)
        for (title, points) in [(t("批次", "Runs"), report.trend.runs), (t("日", "Days"), report.trend.days),
                                (t("月份", "Months"), report.trend.months)] {
            html += "<table class=\"trend\">\n<thead><tr><th>\(title)</th><th>\(t("日期", "Days"))</th>"
                + "<th class=\"n\">\(t("批次数", "Runs"))</th><th class=\"n\">\(t("记录数", "Records"))</th>"
                + "<th class=\"n\">\(t("合规率", "Compliance"))</th><th class=\"n\">\(t("及时率", "Timeliness"))</th>"
                + "<th class=\"n\">\(t("重错码率", "Bad codes"))</th></tr></thead>\n<tbody>\n"
            for point in points.reversed() {
                html += "<tr data-trend=\"\(escape(point.label))\"><td>\(escape(point.label))</td><td>\(escape(point.days))</td>"
                    + "<td class=\"n\">\(point.runs)</td><td class=\"n\">\(point.records)</td>"
                    + "<td class=\"n\">\(point.complianceRate.percentText)</td>"
                    + "<td class=\"n\">\(point.timelinessRate.percentText)</td>"
                    + "<td class=\"n\">\(point.dupErrorCodeRate.percentText)</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        return html + "</section>\n"
    }

    /// 合规率 of each run as points joined by a line, 0–100%, with the target as a red line; a
    /// run with no records has no point.
    static func lineChart(_ points: [RunReport.TrendPoint], target: TargetRate, _ t: ReportText) -> String {
        let left = 48.0, top = 14.0, width = 640.0, height = 160.0
        let step = points.count > 1 ? width / Double(points.count - 1) : 0
        func y(_ fraction: Double) -> Double { top + height * (1 - fraction) }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg = "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + width + 40))\" "
            + "height=\"\(Int(top + height + 34))\" viewBox=\"0 0 \(Int(left + width + 40)) \(Int(top + height + 34))\">\n"
            + "<title>\(escape(t("各批次合规率", "Compliance rate per run")))</title>\n"
        for tick in [0.0, 0.5, 1.0] {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + width))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" stroke=\"#e4e7eb\"/>"
                + "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(Int(tick * 100))%</text>\n"
        }
        let goal = Double(target.partsPerMillion) / 1_000_000
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + width))\" y1=\"\(f(y(goal)))\" y2=\"\(f(y(goal)))\" stroke=\"#c92a2a\" "
            + "stroke-dasharray=\"4 3\"/><text x=\"\(f(left + width + 4))\" y=\"\(f(y(goal) + 4))\" fill=\"#c92a2a\">\(target)</text>\n"
        var path: [String] = []
        for (index, point) in points.enumerated() {
            let x = left + step * Double(index) + (points.count == 1 ? width / 2 : 0)
            svg += "<text x=\"\(f(x))\" y=\"\(f(top + height + 16))\" text-anchor=\"middle\">\(escape(point.label))</text>"
            guard let value = point.complianceRate.value else { continue }
            path.append("\(path.isEmpty ? "M" : "L")\(f(x)) \(f(y(value)))")
            let color = value >= goal ? "#2f9e44" : "#e03131"
            svg += "<circle cx=\"\(f(x))\" cy=\"\(f(y(value)))\" r=\"3.5\" fill=\"\(color)\"><title>"
                + "\(escape(t("批次", "run"))) \(escape(point.label)): \(point.complianceRate.percentText)</title></circle>\n"
        }
        if path.count > 1 {
            svg += "<path d=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"#3b5bdb\" stroke-width=\"1.5\"/>\n"
        }
        return svg + "</svg>\n"
    }
}
