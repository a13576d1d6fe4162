import CreditIdentifiers
import Foundation
import Testing
import TestSupport

/// A scored corpus of real-world layouts for `catalog map`: each is a header set departments'
/// exports use, written here from public layouts, with the field each column should go to (or
/// none), and values of the kind such a column holds. The score is recorded in docs/operations.md
/// ("Onboarding a department's own layout"); the test holds the line that matters most: no wrong
/// proposal with medium or high confidence (a wrong proposal is worse than none), and no fewer
/// right ones than today.
@Suite struct CatalogMapCorpusTests {
    /// What a column's values are.
    enum Values {
        /// The values synth writes for this field of the item.
        case field(String)
        /// Valid 18-digit resident ID numbers.
        case idNumbers
        /// Amounts such as `2.5`.
        case amounts
        /// The same text on every row.
        case constant(String)
        /// Free text, numbered.
        case text(String)
        /// A time of day: a column of the department's system.
        case timestamps
        /// Nothing: the column is empty in every row.
        case empty
    }

    struct Column {
        var header: String
        /// The fields a right proposal may name; empty: the column belongs to no field.
        var expected: Set<String>
        var values: Values

        init(_ header: String, _ expected: Set<String>, _ values: Values) {
            self.header = header
            self.expected = expected
            self.values = values
        }
    }

    struct Layout {
        var name: String
        var item: String
        var columns: [Column]
    }

    /// The 2016 national 双公示 行政处罚 layout (the columns of that year's exports: 案件名称,
    /// 处罚类别1/2, 居民身份证号, 工商登记码, 地方编码, 数据更新时间戳 …) read against the current item.
    static let penalty2016 = Layout(name: "行政处罚, 2016 national layout", item: "admin_penalty", columns: [
        Column("行政处罚决定书文号", ["cf_wsh"], .field("cf_wsh")),
        Column("案件名称", ["cf_ajmc"], .text("案件")),
        Column("处罚类别1", ["cf_cflb"], .field("cf_cflb")),
        Column("处罚类别2", ["cf_cflb2"], .empty),
        Column("处罚事由", ["cf_sy"], .field("cf_sy")),
        Column("处罚依据", ["cf_yj"], .field("cf_yj")),
        Column("行政相对人名称", ["cf_xdr_mc"], .field("cf_xdr_mc")),
        Column("统一社会信用代码", ["cf_xdr_shxym"], .field("cf_xdr_shxym")),
        Column("组织机构代码", ["cf_xdr_zzjg"], .field("cf_xdr_zzjg")),
        Column("工商登记码", ["cf_xdr_gszc"], .empty),
        Column("税务登记号", ["cf_xdr_swdj"], .empty),
        Column("居民身份证号", ["cf_xdr_zjhm", "cf_fr_zjhm"], .idNumbers),
        Column("法定代表人姓名", ["cf_frdb"], .field("cf_frdb")),
        Column("处罚结果", ["cf_nr"], .field("cf_nr")),
        Column("处罚决定日期", ["cf_jdrq"], .field("cf_jdrq")),
        Column("处罚机关", ["cf_cfjg"], .field("cf_cfjg")),
        Column("当前状态", ["cf_zt"], .field("cf_zt")),
        Column("地方编码", ["dfbm"], .constant("330200")),
        Column("数据更新时间戳", ["sjc"], .timestamps),
        Column("备注", ["bz"], .empty),
    ])

    /// A department system's English abbreviations, with the columns that drew wrong proposals
    /// on real exports: an ID-number column (not the ID *type*), a penalty amount (not the
    /// penalty *category*), a reason (not the remark).
    static let penaltyEnglish = Layout(name: "行政处罚, English abbreviations", item: "admin_penalty", columns: [
        Column("CASE_DOC_NO", ["cf_wsh"], .field("cf_wsh")),
        Column("PARTY_NAME", ["cf_xdr_mc"], .field("cf_xdr_mc")),
        Column("PARTY_TYPE", ["cf_xdr_lb"], .field("cf_xdr_lb")),
        Column("CREDIT_CODE", ["cf_xdr_shxym"], .field("cf_xdr_shxym")),
        Column("LEGAL_PERSON", ["cf_frdb"], .field("cf_frdb")),
        Column("ID_TYPE", ["cf_fr_zjlx", "cf_xdr_zjlx"], .constant("身份证")),
        Column("ID_CARD_NUMBER", ["cf_fr_zjhm", "cf_xdr_zjhm"], .idNumbers),
        Column("PENALTY_TYPE", ["cf_cflb"], .field("cf_cflb")),
        Column("PENALTY_AMOUNT", ["cf_nr_fk"], .amounts),
        Column("PENALTY_REASON", ["cf_sy"], .field("cf_sy")),
        Column("DECISION_DATE", ["cf_jdrq"], .field("cf_jdrq")),
        // A department's name: the deciding authority or the unit that sent the data, the name
        // cannot tell, and both hold organizations' names.
        Column("DEPT_NAME", ["cf_cfjg", "cf_sjly"], .field("cf_cfjg")),
        Column("REMARK", ["bz"], .empty),
        Column("UPDATE_TIME", [], .timestamps),
    ])

    /// The 2016 national 行政许可 layout (项目名称, 审批类别, 许可截止期 …).
    static let license2016 = Layout(name: "行政许可, 2016 national layout", item: "admin_license", columns: [
        Column("行政许可决定书文号", ["xk_wsh"], .field("xk_wsh")),
        Column("项目名称", ["xk_xkws"], .field("xk_xkws")),
        Column("审批类别", ["xk_xklb"], .field("xk_xklb")),
        Column("许可内容", ["xk_nr"], .field("xk_nr")),
        Column("行政相对人名称", ["xk_xdr_mc"], .field("xk_xdr_mc")),
        Column("统一社会信用代码", ["xk_xdr_shxym"], .field("xk_xdr_shxym")),
        Column("法定代表人姓名", ["xk_frdb"], .field("xk_frdb")),
        Column("居民身份证号", ["xk_xdr_zjhm", "xk_fr_zjhm"], .idNumbers),
        Column("许可决定日期", ["xk_jdrq"], .field("xk_jdrq")),
        Column("许可截止期", ["xk_yxqzi"], .field("xk_yxqzi")),
        Column("许可机关", ["xk_xkjg"], .field("xk_xkjg")),
        Column("当前状态", ["xk_zt"], .field("xk_zt")),
        Column("地方编码", [], .constant("330200")),
        Column("数据更新时间戳", [], .timestamps),
    ])

    /// Columns a department labelled with the catalog's own names over other values: the ID
    /// numbers under 证件类型 (the type's name), the amounts under 处罚类别 (the category's);
    /// and columns empty in the export, which only their names place.
    static let penaltyMislabelled = Layout(name: "行政处罚, mislabelled and empty columns", item: "admin_penalty", columns: [
        Column("行政处罚决定书文号", ["cf_wsh"], .field("cf_wsh")),
        Column("行政相对人名称", ["cf_xdr_mc"], .field("cf_xdr_mc")),
        Column("统一社会信用代码", ["cf_xdr_shxym"], .field("cf_xdr_shxym")),
        Column("证件类型", ["cf_xdr_zjhm", "cf_fr_zjhm"], .idNumbers),
        Column("处罚类别", ["cf_nr_fk"], .amounts),
        Column("处罚内容", ["cf_nr"], .field("cf_nr")),
        Column("处罚决定日期", ["cf_jdrq"], .field("cf_jdrq")),
        Column("处罚机关", ["cf_cfjg"], .field("cf_cfjg")),
        Column("违法行为类型", ["cf_wfxw"], .empty),
        Column("处罚有效期至", ["cf_yxq"], .empty),
    ])

    static let corpus = [penalty2016, penaltyEnglish, license2016, penaltyMislabelled]

    /// How `catalog map` did on a layout.
    struct Score: CustomStringConvertible {
        var right = 0
        /// Wrong proposals, with their confidence.
        var wrong: [(header: String, field: String, confidence: String)] = []
        /// Columns left unplaced that belong to a field.
        var missed: [String] = []
        var total = 0
        /// The confidence of each proposal for a column empty in the export (placed by its name only).
        var nameOnly: [String: String] = [:]

        var description: String {
            "\(right)/\(total) right, \(wrong.count) wrong (\(wrong.map { "\($0.header)→\($0.field) \($0.confidence)" })), "
                + "\(missed.count) unplaced (\(missed))"
        }
    }

    /// Writes the layout's export (200 records) and scores the command's proposal.
    static func score(_ layout: Layout, in directory: TemporaryDirectory) throws -> Score {
        let synth = try CLI.run(["synth", "--item", layout.item, "--records", "200", "--defect-rate", "0", "--seed", "3",
                                 "--out", directory.file("synth-\(layout.item)"), "--catalog", Repository.path("catalogs")])
        #expect(synth.status == 0, "\(synth.stderr)")
        let catalog = try Repository.catalog()
        let item = try #require(catalog.items[layout.item])
        let text = try String(contentsOfFile: directory.file("synth-\(layout.item)/\(layout.item)_20261120.csv"), encoding: .utf8)
        // synth writes CRLF, which a Swift String holds as one Character: split on the text.
        let rows = text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        var generator = CodeGenerator(seed: 17)
        var lines = [layout.columns.map(\.header).joined(separator: ",")]
        for (number, row) in rows.enumerated() {
            lines.append(layout.columns.map { column -> String in
                switch column.values {
                case .field(let id): item.fieldIndex(id: id).map { row[$0] } ?? ""
                case .idNumbers: generator.residentID()
                case .amounts: ["0.5", "2", "12.75", "0.03"][number % 4]
                case .constant(let value): value
                case .text(let prefix): "\(prefix)\(number + 1)号"
                case .timestamps: "2026-11-20 0\(number % 10):15:00"
                case .empty: ""
                }
            }.joined(separator: ","))
        }
        let export = try directory.write("\(layout.item)-\(layout.columns.count)-export.csv", lines.joined(separator: "\n") + "\n")
        let map = try CLI.run(["catalog", "map", export, "--item", layout.item, "--catalog", Repository.path("catalogs")])
        #expect(map.status == 0, "\(map.stderr)")
        let proposed = CatalogMapTests.proposals(in: map.stdout)
        var score = Score(total: layout.columns.count)
        for column in layout.columns {
            if case .empty = column.values, let proposal = proposed[column.header] { score.nameOnly[column.header] = proposal.confidence }
            switch proposed[column.header] {
            case let proposal? where column.expected.contains(proposal.field): score.right += 1
            case let proposal?: score.wrong.append((column.header, proposal.field, proposal.confidence))
            case nil where column.expected.isEmpty: score.right += 1
            case nil: score.missed.append(column.header)
            }
        }
        return score
    }

    /// The least right columns per layout, as measured when the corpus was written (docs/operations.md):
    /// a change that places fewer is a regression.
    static let floor = ["行政处罚, 2016 national layout": 19, "行政处罚, English abbreviations": 12,
                        "行政许可, 2016 national layout": 12, "行政处罚, mislabelled and empty columns": 9]

    @Test(arguments: corpus.map(\.name))
    func noConfidentWrongProposalAndNoFewerRightOnes(layout name: String) throws {
        let layout = try #require(Self.corpus.first { $0.name == name })
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let score = try Self.score(layout, in: directory)
        print("catalog map corpus: \(name): \(score)")
        #expect(score.wrong.filter { $0.confidence != "low" }.isEmpty, "\(score)")
        #expect(score.right >= Self.floor[name, default: score.total], "\(score)")
        // An empty column placed by a name that is not the catalog's own (nor an alias) is a guess: low.
        let catalog = try Repository.catalog()
        let item = try #require(catalog.items[layout.item])
        let ownNames = Set(item.fields.flatMap { [$0.name, $0.id] + $0.aliases })
        for (header, confidence) in score.nameOnly where !ownNames.contains(header) {
            #expect(confidence == "low", "\(header) has no values, yet its proposal is \(confidence)")
        }
    }
}
