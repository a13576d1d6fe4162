import Foundation
import Testing
import TestSupport

/// History by the standard of its time: a backfill of 2016-era 双公示 exports (the national layout
/// of that time, credit-data-standard.md §7.1) used to be rejected whole, each record for six
/// fields the 2016 layout did not have, while its own columns fell into `_extra` unchecked.
@Suite struct LegacyLayoutTests {
    /// The 2016 layout as one platform exported it: the ids of §7.1 in upper case where they are
    /// known, Chinese names for the rest, `yyyy/MM/dd` dates, 当前状态 in the old codes.
    static let header = "行政处罚决定书文号,CF_AJMC,CF_CFLB1,CF_CFLB2,CF_SY,处罚依据,行政相对人名称,统一社会信用代码,"
        + "组织机构代码,工商登记码,居民身份证号,法定代表人,CF_JG,处罚决定日期,CF_XZJG,CF_ZT,DFBM,SJC,备注"

    /// Row `number` of the export, with its decision date and what it says of its subject.
    static func row(_ number: Int, decided: String, name: String, code: String = "", registration: String = "",
                    id: String = "", representative: String = "", first: String = "警告", second: String = "",
                    status: String = "0", stamp: String = "2016-06-01 08:00:00") -> String {
        "甬市监罚〔2016〕\(number)号,案件\(number),\(first),\(second),违法事实\(number),《中华人民共和国食品安全法》第一百二十四条,"
            + "\(name),\(code),,\(registration),\(id),\(representative),处罚结果\(number),\(decided),宁波市市场监督管理局,"
            + "\(status),330200,\(stamp),"
    }

    static func export(stamp: String = "2016-06-01 08:00:00") -> String {
        [header,
         row(1, decided: "2016/05/03", name: "宁波甬江食品有限公司", code: "91330203MA2EL6266P", representative: "陈建国",
             second: "罚款", stamp: stamp),
         row(2, decided: "2016/05/04", name: "张三", id: "11010519491231002X", first: "罚款", stamp: stamp),
         row(3, decided: "2016/05/05", name: "李四", id: "110105194912310021", stamp: stamp),
         row(4, decided: "2016/05/06", name: "宁波海曙明州贸易有限公司", registration: "310230001716147",
             representative: "李明", stamp: stamp),
         row(5, decided: "2022/05/05", name: "宁波江北贸易有限公司", code: "91330203MA2GQ8R191", representative: "王芳",
             status: "1", stamp: stamp),
        ].joined(separator: "\n") + "\n"
    }

    /// A workspace whose catalog maps the department's legacy 当前状态 codes (0 正常, 1 撤销, 2 异议;
    /// §7.2) for its feed, as `feeds.yaml` does per feed.
    static func workspace() throws -> Workspace {
        let workspace = try Workspace()
        try FileManager.default.copyItem(atPath: Repository.path("catalogs"), toPath: workspace.directory.file("catalogs"))
        let feeds = workspace.directory.file("catalogs/feeds.yaml")
        let original = try String(contentsOfFile: feeds, encoding: .utf8)
        let mapped = original.replacingOccurrences(
            of: "    files: \"yz-zhzf/admin_penalty_*.csv\"\n",
            with: "    files: \"yz-zhzf/admin_penalty_*.csv\"\n    value_aliases: {cf_zt: {\"0\": 有效, \"1\": 撤销, \"2\": 异议}}\n")
        #expect(mapped != original)
        try mapped.write(toFile: feeds, atomically: true, encoding: .utf8)
        let pipeline = try String(contentsOfFile: workspace.pipeline, encoding: .utf8)
            .replacingOccurrences(of: Repository.path("catalogs"), with: workspace.directory.file("catalogs"))
        try pipeline.write(toFile: workspace.pipeline, atomically: true, encoding: .utf8)
        return workspace
    }

    @Test func a2016ExportArchivesWithTheFindingsItsEraWarrants() throws {
        let workspace = try Self.workspace()
        defer { workspace.directory.remove() }
        try workspace.directory.write("inbox/yz-zhzf/admin_penalty_20160601.csv", Self.export())
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.status == 0 || run.status == 3, "\(run.stdout) \(run.stderr)")

        // The 2016 decisions are not asked for the fields the current edition added; the 2022
        // decision in the old layout is, on each of them.
        let required = try workspace.scalar("SELECT group_concat(line || ':' || field, ' ') FROM "
            + "(SELECT line, field FROM findings WHERE rule IN ('REQUIRED', 'REQUIRED_WHEN') ORDER BY line, field)")
        #expect(required == "6:cf_cfjgdm 6:cf_sjly 6:cf_sjlydm 6:cf_wfxw 6:cf_xdr_lb 6:cf_yxq", "\(required)")
        // Its own columns are checked: 居民身份证号 as an ID number (there is no 证件类型 column),
        // 工商登记码 as a registration number; line 3's valid ID passes.
        let errors = try workspace.scalar("SELECT group_concat(line || ':' || rule || ':' || field, ' ') FROM "
            + "(SELECT line, rule, field FROM findings WHERE severity = 'error' AND line < 6 ORDER BY line, rule)")
        #expect(errors.hasPrefix("4:ID_CHECK:cf_xdr_zjhm 5:"), "\(errors)")
        #expect(errors.contains("5:") && errors.contains(":cf_xdr_gszc"), "\(errors)")
        #expect(try workspace.scalar("SELECT COUNT(*) FROM findings WHERE rule = 'ENUM_VALUE'") == "0")
        #expect(try workspace.scalar("SELECT records, compliant FROM files") == "5|2")

        // What it archived: 处罚类别2 merged into 处罚类别 (and kept as received in _raw), 案件名称
        // and 地方编码 in columns of their own, the old status code mapped, nothing in _extra.
        #expect(try workspace.scalar("SELECT cf_cflb, cf_cflb2 IS NULL, cf_ajmc, dfbm, cf_zt, _extra IS NULL "
            + "FROM item_admin_penalty WHERE _line = 2") == "警告;罚款|1|案件1|330200|有效|1")
        #expect(try workspace.scalar("SELECT json_extract(_raw, '$.cf_cflb2') FROM item_admin_penalty WHERE _line = 2")
            == "罚款")
        #expect(try workspace.scalar("SELECT cf_xdr_zjhm, cf_nr, cf_cfjg FROM item_admin_penalty WHERE _line = 3")
            == "11010519491231002X|处罚结果2|宁波市市场监督管理局")

        // The report says which edition each slice was checked against.
        #expect(try workspace.scalar("SELECT edition || '=' || records FROM file_edition_counts ORDER BY edition")
            == "shuanggongshi_2016=4\nshuanggongshi_current=1")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            workspace.directory.file("var/reports/latest/report.json")))) as? [String: Any]
        let slice = (report?["slices"] as? [[String: Any]])?.first { $0["item"] as? String == "admin_penalty" }
        let standards = slice?["standards"] as? [[String: Any]] ?? []
        #expect(standards.map { "\($0["edition"] ?? "")=\($0["records"] ?? "")" }
            == ["shuanggongshi_2016=4", "shuanggongshi_current=1"])
        #expect(standards.last?["since"] as? String == "2021-07-15")
        let html = try String(contentsOfFile: workspace.directory.file("var/reports/latest/index.html"), encoding: .utf8)
        #expect(html.contains("核查标准：2016 年版双公示数据标准 4；现行双公示数据标准 1"), "\(html)")

        // The same export again with a new timestamp (每次导出都会变): 时间戳 is kept, not content,
        // so the two archived 2016 records are unchanged.
        try workspace.directory.write("inbox/yz-zhzf/admin_penalty_20160602.csv", Self.export(stamp: "2016-06-02 08:00:00"))
        let again = try CLI.run(["run", workspace.pipeline])
        #expect(again.status == 0 || again.status == 3, "\(again.stdout) \(again.stderr)")
        #expect(try workspace.scalar("SELECT unchanged, new_versions FROM files ORDER BY id DESC LIMIT 1") == "2|0")
    }

    /// Without the feed's legacy codes, `0` is no 当前状态 value: the mapping is the feed's, not the item's
    /// (`1` means 撤销 here but 有效 in today's exports).
    @Test func theLegacyStatusCodesAreTheFeedsNotTheItems() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        try workspace.directory.write("inbox/yz-zhzf/admin_penalty_20160601.csv", Self.export())
        _ = try CLI.run(["run", workspace.pipeline])
        #expect(try workspace.scalar("SELECT COUNT(*) FROM findings WHERE rule = 'ENUM_VALUE' AND field = 'cf_zt'") == "4")
    }
}
