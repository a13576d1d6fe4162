import CreditIdentifiers
import Foundation
import Testing
import TestSupport

/// 行政处罚 records for scenario tests, written as a department's CSV export.
struct PenaltyExport {
    struct Row {
        var name: String
        var code: String
        var number: String
        var decided = "2026/11/02"
        var content = "警告"
        var status = "有效"
    }

    /// The current layout, with the catalog's Chinese names.
    static let currentHeader = ["行政相对人名称", "行政相对人类别", "行政相对人代码_1(统一社会信用代码)", "法定代表人",
                                "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容",
                                "处罚决定日期", "处罚有效期", "处罚机关", "处罚机关统一社会信用代码", "数据来源单位",
                                "数据来源单位统一社会信用代码", "当前状态"]
    /// The 2016 layout (spec §7.1): pinyin ids, cf_xzjg, cf_jg, cf_cflb1, plus its own columns
    /// (案件名称, left blank by this department's export, and the export timestamp).
    static let legacyHeader = ["cf_xdr_mc", "cf_xdr_lb", "cf_xdr_shxym", "cf_frdb", "cf_wsh", "cf_wfxw", "cf_sy", "cf_yj",
                               "cf_cflb1", "cf_jg", "cf_jdrq", "cf_yxq", "cf_xzjg", "cf_cfjgdm", "cf_sjly", "cf_sjlydm",
                               "cf_zt", "cf_ajmc", "sjc"]

    static func csv(_ rows: [Row], legacy: Bool = false) -> String {
        var lines = [(legacy ? legacyHeader : currentHeader).joined(separator: ",")]
        for (index, row) in rows.enumerated() {
            var values = [row.name, "法人及非法人组织", row.code, "王五", row.number, "价格违法", "未明码标价",
                          "《中华人民共和国价格法》第四十二条", "警告", row.content, row.decided, "2027/05/02",
                          "宁波市市场监督管理局", "113302000028765169", "宁波市市场监督管理局", "11330200MB19578404",
                          row.status]
            if legacy { values += ["", "2026110\(index % 10)120000"] }
            lines.append(values.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The archive remembers across runs: a resubmitted export is recognised record by record, changes
/// become versions, withdrawals and corrections are counted, and an old layout of the same
/// records changes nothing.
@Suite(.serialized) struct ArchiveHistoryTests {
    @Test func threeNightsOfOneDepartmentsExport() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        var generator = CodeGenerator(seed: 42)
        let codes = (0..<7).map { _ in generator.uscc() }
        // The 错码 the department sends first: the right code with its check character changed.
        let wrong = String(codes[3].dropLast()) + (codes[3].last == "0" ? "1" : "0")
        var rows = (0..<6).map { index in
            PenaltyExport.Row(name: "宁波测试\(index + 1)有限公司", code: codes[index], number: "甬市监罚〔2026〕20\(index + 1)号")
        }
        rows[3].code = wrong
        rows[4].content = ""

        // Night 1: six records, two rejected (a wrong check character, a missing 处罚内容).
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261103.csv", PenaltyExport.csv(rows))
        let first = try CLI.run(["run", workspace.pipeline])
        #expect(first.status == 0, "\(first.stderr)")
        var figures = try Self.figures(workspace)
        #expect(figures["records"] == 6)
        #expect(figures["compliant"] == 4)
        #expect(figures["new_records"] == 4)
        #expect(figures["unchanged"] == 0)
        #expect(figures["corrected"] == 0)

        // Night 2: the same export again, the two rejected records corrected, one withdrawn, one new.
        rows[3].code = codes[3]
        rows[4].content = "警告"
        rows[5].status = "撤销"
        rows.append(PenaltyExport.Row(name: "宁波测试7有限公司", code: codes[6], number: "甬市监罚〔2026〕207号"))
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261104.csv", PenaltyExport.csv(rows))
        let second = try CLI.run(["run", workspace.pipeline])
        #expect(second.status == 0, "\(second.stderr)")
        figures = try Self.figures(workspace)
        #expect(figures["records"] == 7)
        #expect(figures["compliant"] == 7)
        #expect(figures["unchanged"] == 3)
        #expect(figures["new_records"] == 3)
        #expect(figures["new_versions"] == 1)
        #expect(figures["withdrawn"] == 1)
        #expect(figures["corrected"] == 2)
        // 纠正率: the one 错码 of night 1 was corrected by night 2's resubmission.
        #expect(try Self.rate(workspace, "correction_rate") == [1, 1])
        #expect(try Self.sql(workspace, "SELECT COUNT(*) FROM item_admin_penalty") == "8")
        #expect(try Self.sql(workspace, "SELECT COUNT(*) FROM current_admin_penalty") == "7")
        #expect(try Self.sql(workspace, "SELECT COUNT(*) FROM published_admin_penalty") == "6", "the withdrawn one ends")
        #expect(try Self.sql(workspace, """
            SELECT GROUP_CONCAT(_version || ':' || _current || ':' || _withdrawn || ':' || cf_zt, ' ')
            FROM (SELECT * FROM item_admin_penalty WHERE cf_wsh = '甬市监罚〔2026〕206号' ORDER BY _id)
            """) == "1:0:0:有效 2:1:1:撤销")

        // Night 3: the same records in the 2016 layout: recognised, nothing changes (its blank 案件名称 and
        // its export timestamp are no part of what a record says).
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261105.csv", PenaltyExport.csv(rows, legacy: true))
        let third = try CLI.run(["run", workspace.pipeline])
        #expect(third.status == 0, "\(third.stderr)")
        figures = try Self.figures(workspace)
        #expect(figures["records"] == 7)
        #expect(figures["compliant"] == 7, "the 2016 layout must not be rejected field by field")
        #expect(figures["unchanged"] == 7)
        #expect(figures["new_records"] == 0)
        #expect(figures["new_versions"] == 0)
        #expect(try Self.sql(workspace, "SELECT COUNT(*) FROM item_admin_penalty") == "8")

        // The credit file of the withdrawn decision's subject: current version first, history on request.
        let file = try CLI.run(["subject", codes[5], "--pipeline", workspace.pipeline, "--json"])
        #expect(file.status == 0, "\(file.stderr)")
        let current = try Self.records(file.stdout)
        #expect(current.count == 1)
        #expect(current.first?["version"] as? Int == 2)
        #expect(current.first?["withdrawn"] as? Bool == true)
        let history = try Self.records(try CLI.run(["subject", codes[5], "--history", "--pipeline", workspace.pipeline,
                                                    "--json"]).stdout)
        #expect(history.map { $0["version"] as? Int } == [2, 1])
        #expect(history.map { $0["path"] as? String } == ["nb-scjg/admin_penalty_20261104.csv",
                                                          "nb-scjg/admin_penalty_20261103.csv"])
        let text = try CLI.run(["subject", codes[5], "--pipeline", workspace.pipeline])
        #expect(text.stdout.contains("现行 第 2 版，已撤销"))
        #expect(text.stdout.contains("法定代表人: 王*"), "a legal representative's name is masked")
        #expect(!text.stdout.contains("王五"))

        // trace by key: the rejected attempt of night 1, then the accepted record of night 2.
        let trace = try CLI.run(["trace", "admin_penalty", "甬市监罚〔2026〕205号", codes[4], "2026-11-02",
                                 "--pipeline", workspace.pipeline, "--json"])
        #expect(trace.status == 0, "\(trace.stderr)")
        let entries = try #require(try Self.object(trace.stdout)["entries"] as? [[String: Any]])
        let traced = entries.compactMap { $0["record"] as? [String: Any] }
        #expect(traced.map { $0["accepted"] as? Bool } == [false, true])
        #expect(traced.map { $0["line"] as? Int } == [6, 6])
        #expect(traced.map { $0["run"] as? Int } == [1, 2])
        let rules = (entries.first?["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(rules.contains("REQUIRED"))
        // trace by file and line: the 错码 record as received, with its finding.
        let byLine = try CLI.run(["trace", "--file", "nb-scjg/admin_penalty_20261103.csv", "--line", "5",
                                  "--pipeline", workspace.pipeline])
        #expect(byLine.status == 0, "\(byLine.stderr)")
        #expect(byLine.stdout.contains("未入库（不合规）"))
        #expect(byLine.stdout.contains("USCC_CHECK"))
        #expect(byLine.stdout.contains(wrong))

        // Stored fields that no longer read as JSON are a damaged archive, said so: not a record
        // shown with no values (the text is not quoted: it holds the record's values).
        _ = try SQLiteShell.run(workspace.archive, """
            UPDATE rejected_records SET fields = substr(fields, 1, length(fields) - 1) WHERE line = 5
              AND file_id = (SELECT id FROM files WHERE path = 'nb-scjg/admin_penalty_20261103.csv')
            """)
        let damaged = try CLI.run(["trace", "--file", "nb-scjg/admin_penalty_20261103.csv", "--line", "5",
                                   "--pipeline", workspace.pipeline])
        #expect(damaged.status == 74, "\(damaged.stdout)\n\(damaged.stderr)")
        #expect(damaged.stderr.contains("a stored JSON value is not an array of strings"), "\(damaged.stderr)")
        #expect(!damaged.stdout.contains(wrong) && !damaged.stderr.contains(wrong))
    }

    @Test func aKeyTwiceInOneFileIsADuplicateButAcrossFilesTheArchiveDecides() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        var generator = CodeGenerator(seed: 7)
        let row = PenaltyExport.Row(name: "宁波重复有限公司", code: generator.uscc(), number: "甬市监罚〔2026〕301号")
        var changed = row
        changed.content = "警告并责令改正"
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261103.csv", PenaltyExport.csv([row, row]))
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261104.csv", PenaltyExport.csv([row]))
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261105.csv", PenaltyExport.csv([changed]))
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.sql(workspace, "SELECT rule FROM findings WHERE rule = 'DUP_RECORD'") == "DUP_RECORD")
        #expect(try Self.sql(workspace, """
            SELECT GROUP_CONCAT(new_records || '/' || unchanged || '/' || new_versions, ' ')
            FROM (SELECT * FROM files ORDER BY path)
            """) == "1/0/0 0/1/0 0/0/1")
    }

    /// The query commands say what is wrong instead of answering nothing.
    @Test func queriesWithoutAnArchiveOrWithAWrongKeySayWhy() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let none = try CLI.run(["subject", "91330200MA2EL6266C", "--pipeline", workspace.pipeline])
        #expect(none.status == 66)
        #expect(none.stderr.contains("no archive yet; run `credit-etl run"))
        #expect(!FileManager.default.fileExists(atPath: workspace.archive), "a query must not create an archive")

        var generator = CodeGenerator(seed: 9)
        let code = generator.uscc()
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261103.csv", PenaltyExport.csv([
            PenaltyExport.Row(name: "宁波查询有限公司", code: code, number: "甬市监罚〔2026〕401号"),
        ]))
        #expect(try CLI.run(["run", workspace.pipeline]).status == 0)
        let unknown = try CLI.run(["subject", "宁波不存在有限公司", "--pipeline", workspace.pipeline])
        #expect(unknown.status == 1)
        #expect(unknown.stdout.contains("档案中没有该主体的记录"))
        let byName = try CLI.run(["subject", "宁波查询有限公司", "--pipeline", workspace.pipeline, "--json"])
        #expect(try Self.records(byName.stdout).count == 1)
        let shortKey = try CLI.run(["trace", "admin_penalty", "甬市监罚〔2026〕401号", "--pipeline", workspace.pipeline])
        #expect(shortKey.status == 64)
        #expect(shortKey.stderr.contains("business key has 3 parts"))
        let wrongItem = try CLI.run(["trace", "admin_penaltyy", "a", "b", "c", "--pipeline", workspace.pipeline])
        #expect(wrongItem.status == 64)
    }

    // MARK: Helpers

    /// The totals of the latest report, as integers.
    static func figures(_ workspace: Workspace) throws -> [String: Int] {
        let totals = try #require(try object(String(contentsOfFile: workspace.directory.file("var/reports/latest/report.json"),
                                                    encoding: .utf8))["totals"] as? [String: Any])
        return totals.compactMapValues { $0 as? Int }
    }

    static func rate(_ workspace: Workspace, _ name: String) throws -> [Int] {
        let totals = try #require(try object(String(contentsOfFile: workspace.directory.file("var/reports/latest/report.json"),
                                                    encoding: .utf8))["totals"] as? [String: Any])
        let rate = try #require(totals[name] as? [String: Any])
        return [rate["numerator"] as? Int ?? -1, rate["denominator"] as? Int ?? -1]
    }

    static func sql(_ workspace: Workspace, _ query: String) throws -> String {
        try CLIQuery.sqlite(workspace.archive, query).1.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    static func records(_ json: String) throws -> [[String: Any]] {
        try #require(try object(json)["records"] as? [[String: Any]])
    }
}
