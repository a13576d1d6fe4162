import CreditCore
import CreditPipeline
import Foundation
import Testing
import TestSupport

/// The city indicators of a run's report (and a period's) against a count made here from what
/// was planted: 严重失信主体占比 and 无不良信息企业占比 on the run's day, their trend at the month-end
/// before, and by division (USCC positions 3–8), on both backends.
@Suite(.serialized) struct CityIndicatorsTests {
    @Test(arguments: Backend.available)
    func theIndicatorsCountWhatWasPlanted(backend: Backend) throws {
        let (workspace, cluster, planted) = try CheckSubjectsTests.archive(backend)
        defer { workspace.directory.remove() }
        defer { cluster?.stop() }
        // A second night: a new penalty decided three days ago (public now) for `ended`, under its
        // registered name, and a company whose registration was cancelled (注销: not registered).
        let today = CivilDate.today()
        let decided = today.adding(days: -3)
        let stamp = today.description.replacingOccurrences(of: "-", with: "")
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_\(stamp).csv", PublicationTests.penalties(
            [PublicationTests.Penalty(number: "甬罚〔2026〕88号", category: "警告", decided: decided.description.replacingOccurrences(of: "-", with: "/"))],
            codes: [planted.ended]).replacingOccurrences(of: "宁波公示1有限公司", with: "宁波公示2有限公司"))
        try workspace.directory.write("inbox/nb-scjg/enterprise_registration_\(stamp).csv", """
            统一社会信用代码,企业名称,企业类型,法定代表人,注册资本(万元),成立日期,登记状态,登记机关,登记机关统一社会信用代码,住所
            \(planted.unknown),宁波注销戊有限公司,有限责任公司,陈一,100,2015-01-10,注销,宁波市市场监督管理局,113302000028765169,宁波市海曙区某路1号

            """)
        let run = try CLI.run(["run"] + (backend == .postgres ? ["--worker"] : []) + [workspace.pipeline])
        #expect(run.stdout.contains("· rejected 0 ·"), "\(run.stdout) \(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            workspace.directory.file("var/reports/latest/report.json")))) as? [String: Any])
        let indicators = try #require(report["indicators"] as? [String: Any], "\(report.keys.sorted())")
        #expect(indicators["day"] as? String == today.description)

        // Counted by hand: seven enterprises registered (the 注销 one is not); on the day, listed
        // (严重失信, 长期), abnormal (经营异常, not removed), court (失信被执行人) and ended (a
        // penalty three days old) have adverse records; removed was taken off its list in 2025,
        // the 2025 penalties have left publication.
        let registered = [planted.listed, planted.abnormal, planted.court, planted.ended, planted.twinA, planted.twinB, planted.removed]
        let adverse: Set = [planted.listed, planted.abnormal, planted.court, planted.ended]
        let serious = try #require(indicators["serious_dishonest_share"] as? [String: Any])
        let clean = try #require(indicators["clean_enterprise_share"] as? [String: Any])
        #expect(serious["name_zh"] as? String == "严重失信主体占比" && clean["name_zh"] as? String == "无不良信息企业占比")
        #expect(Self.ratio(serious["value"]) == [1, registered.count])
        #expect(Self.ratio(clean["value"]) == [registered.count - adverse.count, registered.count])
        #expect(serious["met"] as? Bool == false, "1/7 is above 0.7%")
        #expect(clean["met"] as? Bool == false, "3/7 is below 92%")
        // The month-end before: the new penalty was not yet decided unless the month is three days old.
        let trend = try #require(clean["trend"] as? [[String: Any]])
        #expect(trend.count == 6 && trend.last?["day"] as? String == today.description)
        let monthEnd = CivilDate(year: today.year, month: today.month, day: 1)!.adding(days: -1)
        #expect(trend[4]["day"] as? String == monthEnd.description)
        let adverseThen = decided <= monthEnd ? adverse.count : adverse.count - 1
        #expect(Self.ratio(trend[4]["value"]) == [registered.count - adverseThen, registered.count], "\(trend[4])")
        // By division, as the codes' positions 3–8 say.
        var expected: [String: [Int]] = [:]
        for code in registered {
            let division = String(Array(code)[2..<8])
            expected[division, default: [0, 0]][1] += 1
            if !adverse.contains(code) { expected[division, default: [0, 0]][0] += 1 }
        }
        let byDivision = try #require(clean["by_division"] as? [[String: Any]])
        let found = Dictionary(uniqueKeysWithValues: byDivision.map { ($0["division"] as? String ?? "", Self.ratio($0["value"])) })
        #expect(found == expected)
        // By department: the court's list, the registry's own 经营异常, the penalties, the 严重失信 list.
        let departments = try #require(clean["by_department"] as? [[String: Any]])
        #expect(Dictionary(uniqueKeysWithValues: departments.map { ($0["department"] as? String ?? "", $0["subjects"] as? Int ?? -1) })
                == ["nb-fgw": 1, "nb-scjg": 2, "nb-zy": 1])
        let html = try String(contentsOfFile: workspace.directory.file("var/reports/latest/index.html"), encoding: .utf8)
        #expect(html.contains("<tr data-indicator=\"clean_enterprise_share\"><td>无不良信息企业占比</td><td class=\"n\">42.86%"), "\(html.count)")

        // The period report of this month gives the same figures on the same day.
        let month = String(today.description.prefix(7))
        let period = try CLI.run(["report", "--pipeline", workspace.pipeline, "--period", month])
        #expect(period.status == 0 || period.status == 3, "\(period.stdout) \(period.stderr)")
        let periodReport = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            workspace.directory.file("var/reports/period-\(month)/report.json")))) as? [String: Any])
        let periodIndicators = try #require(periodReport["indicators"] as? [String: Any])
        #expect(Self.ratio((periodIndicators["clean_enterprise_share"] as? [String: Any])?["value"]) == Self.ratio(clean["value"]))
    }

    static func ratio(_ value: Any?) -> [Int] {
        guard let value = value as? [String: Any] else { return [] }
        return [value["numerator"] as? Int ?? -1, value["denominator"] as? Int ?? -1]
    }
}
