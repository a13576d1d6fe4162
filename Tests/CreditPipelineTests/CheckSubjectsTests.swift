import CreditCore
import CreditIdentifiers
import Foundation
import Testing
import TestSupport
import ZIPFoundation

/// `credit-etl check-subjects` (batch 信用核查) on a list with planted cases, against standings
/// planted in the archive and written out here by hand: a subject on each list, a penalty still
/// public and one whose publication ended, a listing removed, an unknown code, a name two
/// companies share, a code with a bad check character, a repeated row, a row with neither code
/// nor name, a person by ID number (masked). The same answers from CSV, GB18030 and XLSX lists,
/// and on both backends.
@Suite(.serialized) struct CheckSubjectsTests {
    /// The planted subjects' codes: listed, abnormal, court, penalty ended, unknown, two sharing a
    /// name, abnormal removed; and a person on the court's list.
    struct Planted {
        var listed, abnormal, court, ended, unknown, twinA, twinB, removed: String
        var person: String

        init() {
            var generator = CodeGenerator(seed: 31)
            listed = generator.uscc(); abnormal = generator.uscc(); court = generator.uscc(); ended = generator.uscc()
            unknown = generator.uscc(); twinA = generator.uscc(); twinB = generator.uscc(); removed = generator.uscc()
            person = generator.residentID()
        }

        /// `listed` with another check character: fails GB 32100's check.
        var broken: String {
            let last = listed.last!
            return String(listed.dropLast()) + (last == "0" ? "1" : "0")
        }
    }

    static func archive(_ backend: Backend) throws -> (Workspace, PostgresCluster?, Planted) {
        let (workspace, cluster) = try PublicationTests.workspace(backend)
        let planted = Planted()
        let registry = ["统一社会信用代码,企业名称,企业类型,法定代表人,注册资本(万元),成立日期,登记状态,登记机关,登记机关统一社会信用代码,住所"]
            + [(planted.listed, "宁波名单甲有限公司"), (planted.abnormal, "宁波异常乙有限公司"), (planted.court, "宁波失信丙有限公司"),
               (planted.ended, "宁波公示2有限公司"), (planted.twinA, "宁波同名贸易有限公司"), (planted.twinB, "宁波同名贸易有限公司"),
               (planted.removed, "宁波移出丁有限公司")].map { code, name in
                "\(code),\(name),有限责任公司,陈一,100,2015-01-10,存续,宁波市市场监督管理局,113302000028765169,宁波市海曙区某路1号"
            }
        try workspace.directory.write("inbox/nb-scjg/enterprise_registration_20250110.csv", registry.joined(separator: "\n") + "\n")
        try workspace.directory.write("inbox/nb-fgw/serious_dishonest_20250110.csv", """
            主体名称,主体类别,统一社会信用代码,身份证号码,名单类型,列入事由,认定部门,认定部门统一社会信用代码,认定依据,认定文书号,列入日期,有效期至
            宁波名单甲有限公司,法人及非法人组织,\(planted.listed),,拖欠农民工工资失信联合惩戒对象名单,拒不支付劳动报酬,宁波市人力资源和社会保障局,113302000028765169,《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》,甬人社失〔2025〕1号,2025/01/02,长期

            """)
        try workspace.directory.write("inbox/nb-scjg/abnormal_operation_20250110.csv", """
            企业名称,统一社会信用代码,列入经营异常名录原因,列入日期,作出决定机关,作出决定机关统一社会信用代码,移出日期,移出经营异常名录原因
            宁波异常乙有限公司,\(planted.abnormal),未按照规定期限公示年度报告,2025/01/05,宁波市市场监督管理局,113302000028765169,,
            宁波移出丁有限公司,\(planted.removed),未按照规定期限公示年度报告,2024/12/01,宁波市市场监督管理局,113302000028765169,2025/03/01,补报年度报告

            """)
        func court(_ name: String, _ kind: String, code: String, id: String, number: String, representative: String = "") -> String {
            """
            {"bzxrmc": "\(name)", "ztlb": "\(kind)", "tyshxydm": "\(code)", "zjhm": "\(id)", "fddbr": "\(representative)", "zxfy": "宁波市中级人民法院", \
            "zxyjwh": "（2024）浙02民初100号", "ah": "\(number)", "larq": "2024-11-01", "yw": "支付货款50万元", "lxqk": "全部未履行", \
            "sxqx": "有履行能力而拒不履行生效法律文书确定义务", "fbsj": "2025-01-03"}
            """
        }
        try workspace.directory.write("inbox/nb-zy/court_dishonest_20250110.jsonl",
                                      court("宁波失信丙有限公司", "法人及非法人组织", code: planted.court, id: "", number: "（2024）浙02执100号",
                                            representative: "陈丙") + "\n"
                                        + court("王小明", "自然人", code: "", id: planted.person, number: "（2024）浙02执101号") + "\n")
        // A penalty public on the day, and one whose stated 公示截止期 (kept to the 3-month minimum) ended before it.
        let penalties = [PublicationTests.Penalty(number: "甬罚〔2025〕71号", category: "警告", decided: "2025/01/05"),
                         PublicationTests.Penalty(number: "甬罚〔2025〕72号", category: "警告", decided: "2025/01/06", publicUntil: "2025/04/30")]
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20250110.csv",
                                      PublicationTests.penalties(penalties, codes: [planted.listed, planted.ended]))
        let run = try CLI.run(["run"] + (backend == .postgres ? ["--worker"] : []) + [workspace.pipeline])
        #expect(run.stdout.contains("· rejected 0 ·"), "every planted record is accepted: \(run.stdout) \(run.stderr)")
        return (workspace, cluster, planted)
    }

    /// The list's rows: (code, name, note).
    static func rows(_ planted: Planted) -> [(String, String, String)] {
        [(planted.listed, "宁波名单甲有限公司", ""), (planted.abnormal, "", ""), (planted.court, "宁波失信丙有限公司", ""),
         (planted.ended, "宁波公示2有限公司", ""), (planted.unknown, "宁波未知有限公司", ""), ("", "宁波同名贸易有限公司", ""),
         (planted.broken, "宁波名单甲有限公司", ""), (planted.listed, "宁波名单甲有限公司", "重复"), (planted.removed, "", ""),
         ("", "", "无主体"), (planted.person, "王小明", "")]
    }

    /// What each row must say, read off the plant by hand: result, then each standing column
    /// that says yes.
    static func expected(_ planted: Planted) -> [(verdict: String, standings: Set<String>)] {
        [("已找到", ["列入严重失信主体名单", "行政处罚（公示中）"]), ("已找到", ["列入经营异常名录"]), ("已找到", ["失信被执行人"]),
         ("已找到", []), ("未找到", []), ("名称对应多个主体", []), ("代码无效", []), ("已找到", ["列入严重失信主体名单", "行政处罚（公示中）"]),
         ("已找到", []), ("无代码和名称", []), ("已找到", ["失信被执行人"])]
    }

    /// The CSV's rows as dictionaries by header.
    static func results(_ directory: String) throws -> [[String: String]] {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/check-subjects.csv"))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a byte-order mark, for Excel")
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        let lines = text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    func check(_ list: String, _ workspace: Workspace, extra: [String] = []) throws -> (status: Int32, rows: [[String: String]], out: String) {
        let out = workspace.directory.file("checks")
        let run = try CLI.run(["check-subjects", list, "--pipeline", workspace.pipeline, "--on", "2025-06-01", "--out", out] + extra)
        return (run.status, try Self.results(out), out)
    }

    func verify(_ rows: [[String: String]], _ planted: Planted) {
        let expected = Self.expected(planted)
        #expect(rows.count == expected.count)
        let standingColumns = ["列入严重失信主体名单", "列入经营异常名录", "失信被执行人", "行政处罚（公示中）", "纳税信用A级纳税人", "信用承诺"]
        for (row, want) in zip(rows, expected) {
            #expect(row["核查结果"] == want.verdict, "row \(row["序号"] ?? ""): \(row)")
            let yes = Set(standingColumns.filter { row[$0]?.hasPrefix("是") == true })
            #expect(yes == want.standings, "row \(row["序号"] ?? ""): \(row)")
        }
        guard rows.count == expected.count else { return }
        #expect(rows[0]["列入严重失信主体名单依据"]?.contains("甬人社失〔2025〕1号") == true, "the basis names the decision: \(rows[0])")
        #expect(rows[0]["行政处罚（公示中）依据"]?.contains("甬罚〔2025〕71号") == true)
        #expect(rows[0]["行政处罚（公示中）依据"]?.contains("宁波市市场监督管理局") == true, "the department by name: \(rows[0])")
        #expect(rows[0]["登记名称"] == "宁波名单甲有限公司")
        #expect(rows[5]["说明"]?.contains(planted.twinA) == true && rows[5]["说明"]?.contains(planted.twinB) == true,
                "both codes of the shared name: \(rows[5])")
        #expect(rows[6]["说明"]?.contains("校验") == true, "why the code is invalid: \(rows[6])")
        #expect(rows[7]["说明"]?.contains("与第 1 行重复") == true, "\(rows[7])")
    }

    static func csv(_ planted: Planted) -> String {
        (["统一社会信用代码,名称,备注"] + rows(planted).map { "\($0.0),\($0.1),\($0.2)" }).joined(separator: "\n") + "\n"
    }

    @Test(arguments: Backend.available)
    func aListGetsAnAnswerForEveryRowInItsOrder(backend: Backend) throws {
        let (workspace, cluster, planted) = try Self.archive(backend)
        defer { workspace.directory.remove() }
        defer { cluster?.stop() }
        let list = try workspace.directory.write("list.csv", Self.csv(planted))
        let (status, rows, out) = try check(list, workspace)
        #expect(status == 0)
        verify(rows, planted)
        // A person's ID number and name are masked in both files, and shown with --unmasked.
        for file in ["check-subjects.csv", "check-subjects.html"] {
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            #expect(!text.contains(planted.person) && !text.contains("王小明"), "\(file) masks the person")
        }
        // A name nothing in the archive vouches for is shown when it reads as an organization's.
        #expect(rows[4]["名称"] == "宁波未知有限公司" && rows[4]["核查结果"] == "未找到", "\(rows[4])")
        let html = try String(contentsOfFile: out + "/check-subjects.html", encoding: .utf8)
        #expect(html.contains("<td>列入严重失信主体名单</td><td class=\"num\">1</td>"), "one subject on the list, its repeat not counted")
        let unmasked = try check(list, workspace, extra: ["--unmasked"])
        #expect(unmasked.rows.last?["统一社会信用代码/身份证号码"] == planted.person)
        #expect(unmasked.rows.last?["名称"] == "王小明")
        // The day matters: before the removal, the removed listing still stands.
        let earlier = try CLI.run(["check-subjects", list, "--pipeline", workspace.pipeline, "--on", "2025-02-01",
                                   "--out", workspace.directory.file("earlier")])
        #expect(earlier.status == 0)
        let before = try Self.results(workspace.directory.file("earlier"))
        #expect(before[8]["列入经营异常名录"]?.hasPrefix("是") == true, "\(before[8])")
        #expect(before[3]["行政处罚（公示中）"]?.hasPrefix("是") == true, "the ended penalty was public then: \(before[3])")
    }

    /// The list as an office's Excel workbook (shared strings and an inline string), and as a
    /// GB18030 CSV with one row pasted in UTF-8: the same answers.
    @Test func xlsxAndMixedEncodingListsReadTheSame() throws {
        let (workspace, _, planted) = try Self.archive(.sqlite)
        defer { workspace.directory.remove() }
        let rows = [["统一社会信用代码", "名称", "备注"]] + Self.rows(planted).map { [$0.0, $0.1, $0.2] }
        let workbook = workspace.directory.file("list.xlsx")
        try Self.writeWorkbook(rows, to: workbook)
        let fromWorkbook = try check(workbook, workspace)
        #expect(fromWorkbook.status == 0)
        verify(fromWorkbook.rows, planted)

        var bytes: [UInt8] = []
        for (index, row) in rows.enumerated() {
            let line = row.joined(separator: ",") + "\n"
            // Row 4 (宁波失信丙有限公司) stays UTF-8; the rest is GB18030.
            bytes += index == 3 ? Array(line.utf8) : gb18030(line)
        }
        let mixed = workspace.directory.file("mixed.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: mixed))
        let fromMixed = try check(mixed, workspace)
        verify(fromMixed.rows, planted)
        #expect(fromMixed.rows[2]["说明"]?.contains("UTF-8") == true, "the odd row is named: \(fromMixed.rows[2])")
    }

    /// Lists that cannot be used: no code or name column (every row says so, exit 65); a file
    /// that is not a list (exit 2, named); neither crashes or writes a false answer.
    @Test func aListWithoutSubjectColumnsOrUnreadableIsSaidSo() throws {
        let (workspace, _, _) = try Self.archive(.sqlite)
        defer { workspace.directory.remove() }
        let list = try workspace.directory.write("amounts.csv", "金额,日期\n100,2025-01-01\n200,2025-01-02\n")
        let out = workspace.directory.file("amounts")
        let run = try CLI.run(["check-subjects", list, "--pipeline", workspace.pipeline, "--out", out])
        #expect(run.status == 65, "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains("amounts.csv"))
        #expect(try Self.results(out).map { $0["核查结果"] } == ["无代码和名称", "无代码和名称"])
        let broken = try workspace.directory.write("broken.xlsx", "PK\u{3}\u{4}not a zip at all")
        let refused = try CLI.run(["check-subjects", broken, "--pipeline", workspace.pipeline, "--out", workspace.directory.file("b")])
        #expect(refused.status == 2, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("broken.xlsx"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.file("b/check-subjects.csv")))
        // A header and nothing under it is refused, not answered as an empty list.
        let headerOnly = try workspace.directory.write("header-only.csv", "统一社会信用代码,名称\n")
        let nothing = try CLI.run(["check-subjects", headerOnly, "--pipeline", workspace.pipeline, "--out", workspace.directory.file("h")])
        #expect(nothing.status == 2 && nothing.stderr.contains("header-only.csv:1"), "\(nothing.stdout) \(nothing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.file("h/check-subjects.csv")))
    }

    /// A minimal workbook as Excel writes one: text in shared strings, the last column's cells as
    /// inline strings, the sheet found through the workbook's relationships.
    static func writeWorkbook(_ rows: [[String]], to path: String) throws {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        var strings: [String] = []
        var sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        for (index, row) in rows.enumerated() {
            sheet += "<row r=\"\(index + 1)\">"
            for (column, value) in row.enumerated() where !value.isEmpty {
                let reference = "\(Character(Unicode.Scalar(65 + column)!))\(index + 1)"
                if column == 2 {
                    sheet += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(escape(value))</t></is></c>"
                } else {
                    strings.append(value)
                    sheet += "<c r=\"\(reference)\" t=\"s\"><v>\(strings.count - 1)</v></c>"
                }
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let shared = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + strings.map { "<si><t>\(escape($0))</t></si>" }.joined() + "</sst>"
        let parts = [
            "[Content_Types].xml": "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
            "xl/workbook.xml": "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
                + "<sheet name=\"名单\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>",
            "xl/_rels/workbook.xml.rels": "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/list.xml\"/></Relationships>",
            "xl/worksheets/list.xml": sheet,
            "xl/sharedStrings.xml": shared,
        ]
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, text) in parts.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }
}
