import CreditAdapters
import CreditCatalog
import CreditCore
import CreditIdentifiers
import CreditValidation
import Testing
import TestSupport

/// The shipped catalog's 行政处罚 and 行政许可 items, record by record: a valid record, one
/// planted defect at a time, and the rule that must catch it.
struct ItemRecords {
    let item: CatalogItem
    let settings: ValidationSettings

    /// Loaded once: every case of the suite reads the same shipped catalog.
    static let catalog = Result { try Repository.catalog() }

    init(_ id: String) throws {
        let catalog = try Self.catalog.get()
        item = try #require(catalog.items[id])
        settings = ValidationSettings(today: CivilDate(year: 2026, month: 11, day: 22)!,
                                      submitted: CivilDate(year: 2026, month: 11, day: 20)!, calendar: catalog.calendar)
    }

    /// Validates records given as field id → value (absent fields empty), with one shared run state.
    func validate(_ records: [[String: String]]) throws -> (ValidationOutcome, [[Finding]]) {
        let header = item.fields.map(\.id)
        var text = header.joined(separator: ",") + "\n"
        for record in records {
            text += header.map { Self.quoted(record[$0] ?? "") }.joined(separator: ",") + "\n"
        }
        var source = try CSVSource(bytes: MemoryByteSource(text), file: SourceFile(path: "t.csv"))
        let layout = item.layout(forHeader: try source.header()).layout
        let validator = Validator(item: item, layout: layout, settings: settings)
        var batch = RecordBatch()
        var outcome = ValidationOutcome()
        _ = try source.next(into: &batch)
        validator.validate(batch, into: &outcome)
        let perRecord = (0..<records.count).map { index in outcome.findings.filter { $0.record == index } }
        return (outcome, perRecord)
    }

    static func quoted(_ value: String) -> String {
        value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}

/// A valid 行政处罚 record of an organization, decided on a timely day.
let validPenalty: [String: String] = [
    "cf_xdr_mc": "宁波甬江食品有限公司", "cf_xdr_lb": "法人及非法人组织", "cf_xdr_shxym": "91330200MA2EL6266C",
    "cf_frdb": "陈建国", "cf_wsh": "甬市监罚〔2026〕101号", "cf_wfxw": "食品安全", "cf_sy": "销售超过保质期的食品",
    "cf_yj": "《中华人民共和国食品安全法》第一百二十四条", "cf_cflb": "罚款", "cf_nr": "罚款人民币5000元", "cf_nr_fk": "0.5",
    "cf_jdrq": "2026/11/12", "cf_yxq": "2027/11/12", "cf_cfjg": "宁波市市场监督管理局", "cf_cfjgdm": "113302000028765169",
    "cf_sjly": "宁波市市场监督管理局", "cf_sjlydm": "113302000028765169",
]

/// A valid 行政处罚 record of a natural person.
let validPersonPenalty: [String: String] = {
    var record = validPenalty
    record["cf_xdr_mc"] = "张某"
    record["cf_xdr_lb"] = "自然人"
    record["cf_xdr_shxym"] = nil
    record["cf_frdb"] = nil
    record["cf_xdr_zjlx"] = "身份证"
    record["cf_xdr_zjhm"] = "11010519491231002X"
    return record
}()

@Suite struct CatalogRuleTests {
    @Test func validRecordsHaveNoFindings() throws {
        let penalties = try ItemRecords("admin_penalty")
        let (outcome, _) = try penalties.validate([validPenalty, validPersonPenalty])
        #expect(outcome.findings.map(\.rule.rawValue) == [])
    }

    /// One change to a valid record, and the findings it must produce (rule and field).
    @Test(arguments: [
        // §7.5 subject matrix
        ("natural person with a legal representative", validPersonPenalty, ["cf_frdb": "张某"], ["FORBIDDEN_WHEN cf_frdb"]),
        ("natural person with a USCC", validPersonPenalty, ["cf_xdr_shxym": "91330200MA2EL6266C"],
         ["FORBIDDEN_WHEN cf_xdr_shxym"]),
        ("natural person without an ID number", validPersonPenalty, ["cf_xdr_zjhm": ""], ["REQUIRED_WHEN cf_xdr_zjhm"]),
        ("natural person's ID number checked as an ID", validPersonPenalty, ["cf_xdr_zjhm": "110105194912310021"],
         ["ID_CHECK cf_xdr_zjhm"]),
        ("a passport number is not checked as an ID", validPersonPenalty,
         ["cf_xdr_zjlx": "护照号", "cf_xdr_zjhm": "E12345678"], []),
        ("ID type given by its code 01", validPersonPenalty, ["cf_xdr_zjlx": "01", "cf_xdr_zjhm": "110105194912310021"],
         ["ID_CHECK cf_xdr_zjhm"]),
        ("organization without a code", validPenalty, ["cf_xdr_shxym": ""], ["REQUIRED_WHEN cf_xdr_shxym"]),
        ("organization with an ID number", validPenalty, ["cf_xdr_zjlx": "身份证", "cf_xdr_zjhm": "11010519491231002X"],
         ["FORBIDDEN_WHEN cf_xdr_zjlx", "FORBIDDEN_WHEN cf_xdr_zjhm"]),
        ("organization with an individual-business code", validPenalty, ["cf_xdr_shxym": "92330206MA2K1L3A2C"],
         ["LB_CODE_MISMATCH cf_xdr_shxym"]),
        ("organization code differing from the USCC", validPenalty, ["cf_xdr_zzjg": "MA2EL627-4"],
         ["ORGCODE_MISMATCH cf_xdr_zzjg"]),
        ("organization code agreeing with the USCC", validPenalty, ["cf_xdr_zzjg": "MA2EL626-6"], []),
        ("individual business with the placeholder and a registration number", validPenalty,
         ["cf_xdr_lb": "个体工商户", "cf_xdr_shxym": "00000000000000000X", "cf_xdr_gszc": "310230001716146"],
         ["USCC_PLACEHOLDER_ACCEPTED cf_xdr_shxym"]),
        ("individual business with the placeholder alone", validPenalty,
         ["cf_xdr_lb": "04", "cf_xdr_shxym": "00000000000000000X"],
         ["USCC_PLACEHOLDER_ACCEPTED cf_xdr_shxym", "PLACEHOLDER_REGNO_MISSING cf_xdr_gszc"]),
        ("organization with the placeholder", validPenalty, ["cf_xdr_shxym": "00000000000000000X"],
         ["USCC_PLACEHOLDER cf_xdr_shxym"]),
        ("natural person named like a company", validPersonPenalty, ["cf_xdr_mc": "宁波某某贸易有限公司"],
         ["NAME_LOOKS_LIKE_ORG cf_xdr_mc"]),
        // §7.6 and §7.7 rules of the spec
        ("a 2021 category on a decision before the law took effect", validPenalty,
         ["cf_cflb": "通报批评", "cf_nr": "通报批评", "cf_nr_fk": "", "cf_jdrq": "2021/07/14", "cf_yxq": "2022/07/14"],
         ["CFLB_BEFORE_LAW cf_cflb", "TIMELINESS_LATE cf_jdrq"]),
        ("a 2021 category on the day the law took effect", validPenalty,
         ["cf_cflb": "罚款、限制从业", "cf_jdrq": "2021/07/15", "cf_yxq": "2022/07/15"], ["TIMELINESS_LATE cf_jdrq"]),
        ("publication ends less than 3 months after the decision", validPenalty, ["cf_gsjzq": "2027/02/11"],
         ["PUBLICATION_PERIOD cf_gsjzq"]),
        ("publication ends exactly 3 months after the decision", validPenalty, ["cf_gsjzq": "2027/02/12"], []),
        ("publication ends more than 3 years after the decision", validPenalty, ["cf_gsjzq": "2029/11/13"],
         ["PUBLICATION_PERIOD cf_gsjzq"]),
        ("the fine in 处罚内容 disagrees with 罚款金额", validPenalty, ["cf_nr": "罚款人民币5000元", "cf_nr_fk": "5000"],
         ["AMOUNT_UNIT_SUSPECT cf_nr_fk"]),
        ("the fine in 处罚内容 given in 万元 agrees", validPenalty, ["cf_nr": "罚款 1.5 万元", "cf_nr_fk": "1.5"], []),
        ("the fine in 处罚内容 with a thousands separator agrees", validPenalty,
         ["cf_nr": "处以罚款人民币12,000元", "cf_nr_fk": "1.2"], []),
        ("an end of validity before 1990", validPenalty, ["cf_jdrq": "1989/05/01", "cf_yxq": "1989/06/01"],
         ["DATE_EARLY cf_jdrq", "DATE_EARLY cf_yxq"]),
        // enumerations
        ("unknown penalty category", validPenalty, ["cf_cflb": "罚金"], ["ENUM_VALUE cf_cflb"]),
        ("several categories with Chinese separators", validPenalty, ["cf_cflb": "警告；罚款、没收违法所得", "cf_nr_wfff": "0.1"], []),
        ("其他 with its explanation", validPenalty, ["cf_cflb": "罚款;其他-责令改正"], []),
        ("bare 其他", validPenalty, ["cf_cflb": "罚款;其他"], ["ENUM_OTHER_UNSTATED cf_cflb"]),
        ("legacy category", validPenalty, ["cf_cflb": "罚款;暂扣或者吊销执照", "cf_nr_zkdx": "营业执照"],
         ["ENUM_LEGACY cf_cflb"]),
        ("subject kind by its code", validPenalty, ["cf_xdr_lb": "02"], []),
        ("unknown subject kind", validPenalty, ["cf_xdr_lb": "企业"], ["ENUM_VALUE cf_xdr_lb"]),
        // amounts (§7.6)
        ("fine without an amount", validPenalty, ["cf_nr_fk": ""], ["REQUIRED_WHEN cf_nr_fk"]),
        ("fine of zero", validPenalty, ["cf_nr_fk": "0"], ["AMOUNT_NOT_POSITIVE cf_nr_fk"]),
        ("amount with seven decimals", validPenalty, ["cf_nr_fk": "0.1234567"], ["DECIMAL_FORMAT cf_nr_fk"]),
        ("negative amount", validPenalty, ["cf_nr_fk": "-1"], ["DECIMAL_FORMAT cf_nr_fk"]),
        ("amount given in 元", validPenalty, ["cf_nr_fk": "50000"], ["AMOUNT_UNIT_SUSPECT cf_nr_fk"]),
        ("full-width amount", validPenalty, ["cf_nr_fk": "０.５"], []),
        ("confiscation without its amount", validPenalty, ["cf_cflb": "没收违法所得"], ["REQUIRED_WHEN cf_nr_wfff"]),
        ("licence revoked without naming it", validPenalty, ["cf_cflb": "罚款;吊销许可证件"], ["REQUIRED_WHEN cf_nr_zkdx"]),
        // dates (§7.6, §7.7)
        ("validity before the decision", validPenalty, ["cf_yxq": "2026/11/01"], ["DATE_ORDER cf_yxq"]),
        ("publication end before the decision", validPenalty, ["cf_gsjzq": "2026/11/01"], ["DATE_ORDER cf_gsjzq"]),
        ("long-term validity sent as text", validPenalty, ["cf_yxq": "长期"], ["DATE_LONG_TERM_TEXT cf_yxq"]),
        ("long-term publication end sent as text", validPenalty, ["cf_gsjzq": "永久"],
         ["DATE_LONG_TERM_TEXT cf_gsjzq", "PUBLICATION_PERIOD cf_gsjzq"]),
        // A decision is taken on a day: 长期 there is no date (it used to become 2099-12-31 with a warning).
        ("long-term decision date", validPenalty, ["cf_jdrq": "长期"], ["DATE_FORMAT cf_jdrq"]),
        ("decision after the submission", validPenalty, ["cf_jdrq": "2026/11/21", "cf_yxq": "2027/11/21"],
         ["DATE_AFTER_SUBMISSION cf_jdrq"]),
        ("decision before 1949", validPenalty, ["cf_jdrq": "1948/01/01"], ["DATE_IMPLAUSIBLE cf_jdrq"]),
        ("decision before 1990", validPenalty, ["cf_jdrq": "1989/12/01"], ["DATE_EARLY cf_jdrq"]),
        ("late decision", validPenalty, ["cf_jdrq": "2026/11/10"], ["TIMELINESS_LATE cf_jdrq"]),
        // codes and lengths
        ("authority code not of a public body", validPenalty, ["cf_cfjgdm": "91330200MA2EL6266C"],
         ["AUTHORITY_CODE_UNUSUAL cf_cfjgdm"]),
        ("name too long", validPenalty, ["cf_xdr_mc": String(repeating: "甬", count: 201)], ["LENGTH_EXCEEDED cf_xdr_mc"]),
        ("wrong check character", validPenalty, ["cf_xdr_shxym": "91330200MA2EL6266D"], ["USCC_CHECK cf_xdr_shxym"]),
        ("wrong registration number", validPenalty, ["cf_xdr_gszc": "310230001716147"], ["REGNO_CHECK cf_xdr_gszc"]),
    ] as [(String, [String: String], [String: String], [String])])
    func eachRuleFires(_ name: String, base: [String: String], change: [String: String], expected: [String]) throws {
        var record = base
        for (field, value) in change { record[field] = value.isEmpty ? nil : value }
        let (_, findings) = try ItemRecords("admin_penalty").validate([record])
        #expect(findings[0].map { "\($0.rule) \($0.field ?? "")" }.sorted() == expected.sorted(), "\(name)")
        let isError = findings[0].contains { $0.severity == .error }
        let expectsError = expected.contains { id in
            RuleDescription.describing(RuleID(String(id.split(separator: " ")[0])))?.severity == .error
        }
        #expect(isError == expectsError, "\(name): compliance")
    }

    @Test func runLevelRules() throws {
        let penalties = try ItemRecords("admin_penalty")
        var renamed = validPenalty
        renamed["cf_wsh"] = "甬市监罚〔2026〕102号"
        renamed["cf_xdr_mc"] = "宁波甬江食品股份有限公司"
        let (outcome, findings) = try penalties.validate([validPenalty, validPenalty, renamed])
        #expect(findings[1].map(\.rule.rawValue) == ["DUP_RECORD"])
        #expect(findings[2].map(\.rule.rawValue) == ["USCC_NAME_CONFLICT"])
        #expect(findings[2].first?.detail == "宁波甬江食品有限公司")
        #expect(outcome.rejected == [false, true, false])
        // The repeat is not another submission of its decision: judged once.
        #expect(outcome.timeliness == TimelinessCounts(timely: 2, late: 0, unknown: 0))
        #expect(outcome.subjects.map(\.name) == ["宁波甬江食品有限公司", "宁波甬江食品股份有限公司"])
    }

    /// 行政许可's own rules: validity order (error), and the two unusual orders (warnings).
    @Test func licenceDateOrders() throws {
        let licences = try ItemRecords("admin_license")
        let valid: [String: String] = [
            "xk_xdr_mc": "宁波甬城建设工程有限公司", "xk_xdr_lb": "法人及非法人组织", "xk_xdr_shxym": "91330200MA2EL6266C",
            "xk_frdb": "郑华", "xk_xkws": "建筑工程施工许可决定书", "xk_wsh": "甬建许〔2026〕201号", "xk_xklb": "01",
            "xk_nr": "准予施工", "xk_jdrq": "2026-11-12", "xk_yxqz": "2026-11-12", "xk_yxqzi": "2029-11-11",
            "xk_xkjg": "宁波市住房和城乡建设局", "xk_xkjgdm": "11330200684874525R", "xk_zt": "1",
            "xk_lydw": "宁波市住房和城乡建设局", "xk_lydwdm": "11330200684874525R",
        ]
        // Each its own decision number: one run must not see the same licence twice.
        var startsEarly = valid
        startsEarly["xk_wsh"] = "甬建许〔2026〕202号"
        startsEarly["xk_yxqz"] = "2026-11-01"
        var expired = valid
        expired["xk_wsh"] = "甬建许〔2026〕203号"
        expired["xk_yxqz"] = "2020-01-01"
        expired["xk_yxqzi"] = "2021-01-01"
        var expiredInvalid = expired
        expiredInvalid["xk_wsh"] = "甬建许〔2026〕204号"
        expiredInvalid["xk_zt"] = "无效"
        var reversed = valid
        reversed["xk_wsh"] = "甬建许〔2026〕205号"
        reversed["xk_yxqzi"] = "2026-11-11"
        let (_, findings) = try licences.validate([valid, startsEarly, expired, expiredInvalid, reversed])
        let rules = findings.map { $0.map(\.rule.rawValue).sorted() }
        #expect(rules[0] == [])
        #expect(rules[1] == ["DATE_ORDER_UNUSUAL"])
        #expect(rules[2] == ["DATE_ORDER_UNUSUAL", "DATE_ORDER_UNUSUAL"])
        #expect(rules[3] == ["DATE_ORDER_UNUSUAL"])
        #expect(rules[4] == ["DATE_ORDER", "DATE_ORDER_UNUSUAL"])
    }
}
