import CreditCore
import CreditIdentifiers
import Foundation
import Testing
import TestSupport

/// `credit-etl publish` over two nights and three years of exports: each export's additions,
/// updates and take-downs against a reading of the rules written out here by hand (527号 periods,
/// a stated 公示截止期, a withdrawal, a new version, a licence's validity).
@Suite(.serialized) struct PublicationTests {
    static let penaltyHeader = "行政相对人名称,行政相对人类别,行政相对人代码_1(统一社会信用代码),法定代表人,行政处罚决定书文号,违法行为类型,"
        + "违法事实,处罚依据,处罚类别,处罚内容,罚款金额(万元),暂扣或吊销证照名称及编号,处罚决定日期,处罚有效期,公示截止期,处罚机关,"
        + "处罚机关统一社会信用代码,数据来源单位,数据来源单位统一社会信用代码,当前状态"
    static let licenceHeader = "行政相对人名称,行政相对人类别,行政相对人代码_1(统一社会信用代码),法定代表人,行政许可决定文书名称,"
        + "行政许可决定文书号,许可类别,许可内容,许可决定日期,有效期自,有效期至,许可机关,许可机关统一社会信用代码,当前状态,数据来源单位,"
        + "数据来源单位统一社会信用代码"

    struct Penalty {
        var number: String
        var category: String
        var decided: String
        var publicUntil = ""
        var content = "依法处罚"
        var status = "有效"
    }

    static func penalties(_ rows: [Penalty], codes: [String]) -> String {
        var lines = [penaltyHeader]
        for (index, row) in rows.enumerated() {
            let fine = row.category.contains("罚款") ? "0.5" : ""
            let licence = row.category.contains("吊销") ? "食品经营许可证 JY001" : ""
            lines.append("宁波公示\(index + 1)有限公司,法人及非法人组织,\(codes[index]),王五,\(row.number),食品安全,销售过期食品,"
                + "《中华人民共和国食品安全法》第一百二十四条,\(row.category),\(row.content),\(fine),\(licence),\(row.decided),"
                + "2027/01/01,\(row.publicUntil),宁波市市场监督管理局,113302000028765169,宁波市市场监督管理局,11330200MB19578404,\(row.status)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func licence(code: String) -> String {
        licenceHeader + "\n宁波公示许可有限公司,法人及非法人组织,\(code),郑华,食品经营许可证,甬市监许〔2025〕1号,普通,准予食品经营,"
            + "2025/01/05,2025/01/05,2025/08/31,宁波市市场监督管理局,113302000028765169,有效,宁波市市场监督管理局,11330200MB19578404\n"
    }

    /// The decisions of night 1 (2025-01-10) and how night 2 (2025-03-01) changes them.
    static let night1: [Penalty] = [
        Penalty(number: "甬罚〔2025〕1号", category: "警告", decided: "2025/01/05"),                 // 一般: to 2026-01-05
        Penalty(number: "甬罚〔2025〕2号", category: "吊销许可证件", decided: "2025/01/06"),          // 严重: to 2028-01-06
        Penalty(number: "甬罚〔2025〕3号", category: "罚款;责令关闭", decided: "2025/01/07"),          // mixed → 严重: to 2028-01-07
        Penalty(number: "甬罚〔2025〕4号", category: "警告", decided: "2025/01/08", publicUntil: "2025/05/31"),  // stated: to 2025-06-01
        Penalty(number: "甬罚〔2025〕5号", category: "警告", decided: "2025/01/09"),                 // withdrawn on night 2
        Penalty(number: "甬罚〔2025〕6号", category: "警告", decided: "2025/01/09"),                 // a new version on night 2
    ]

    static var night2: [Penalty] {
        var rows = night1
        rows[4].status = "撤销"
        rows[5].content = "依法处罚（更正）"
        return rows
    }

    /// Night 3 (2025-05-02): credit repairs. 1号 (一般, its 3-month minimum ended 2025-04-05):
    /// applied. 2号 (严重, 6 months to 2025-07-06): too early, refused. 99号: no such decision,
    /// refused. 3号: a repair of another kind (移出严重失信主体名单), which ends no penalty's
    /// publication and names no entry of the list: refused too.
    static func repairs(codes: [String]) -> String {
        let header = "行政处罚决定书文号,行政相对人名称,统一社会信用代码,修复类型,修复决定日期,修复决定机关,修复决定机关统一社会信用代码"
        let rows = [("甬罚〔2025〕1号", 0, "终止公示行政处罚信息"), ("甬罚〔2025〕2号", 1, "终止公示行政处罚信息"),
                    ("甬罚〔2025〕99号", 5, "终止公示行政处罚信息"), ("甬罚〔2025〕3号", 2, "移出严重失信主体名单")]
        return ([header] + rows.map { number, subject, kind in
            "\(number),宁波公示\(subject + 1)有限公司,\(codes[subject]),\(kind),2025/05/01,宁波市市场监督管理局,113302000028765169"
        }).joined(separator: "\n") + "\n"
    }

    /// What each export must carry, read off the rules by hand: (day, [文书号: action/reason]);
    /// nights 2 and 3 come before the exports of their day.
    static let expected: [(day: String, changes: [String: String])] = [
        ("2025-01-10", ["甬罚〔2025〕1号": "add", "甬罚〔2025〕2号": "add", "甬罚〔2025〕3号": "add", "甬罚〔2025〕4号": "add",
                        "甬罚〔2025〕5号": "add", "甬罚〔2025〕6号": "add", "甬市监许〔2025〕1号": "add"]),
        ("2025-03-02", ["甬罚〔2025〕5号": "remove/withdrawn", "甬罚〔2025〕6号": "update"]),
        ("2025-03-02", [:]),
        ("2025-05-02", ["甬罚〔2025〕1号": "remove/repaired", "甬罚〔2025〕2号": "refuse/too_early",
                        "甬罚〔2025〕99号": "refuse/unknown_decision", "甬罚〔2025〕3号": "refuse/unknown_decision"]),
        ("2025-05-02", [:]),
        ("2025-06-01", ["甬罚〔2025〕4号": "remove/expired"]),
        ("2025-09-01", ["甬市监许〔2025〕1号": "remove/expired"]),
        ("2026-01-06", [:]),
        ("2026-06-01", ["甬罚〔2025〕6号": "remove/expired"]),
        ("2028-01-06", ["甬罚〔2025〕2号": "remove/expired"]),
        ("2028-02-01", ["甬罚〔2025〕3号": "remove/expired"]),
    ]

    /// A workspace publishing into `var/publication`, its archive on `backend` (a throwaway
    /// cluster for PostgreSQL, stopped with the returned value).
    static func workspace(_ backend: Backend = .sqlite) throws -> (Workspace, PostgresCluster?) {
        let workspace = try Workspace()
        var pipeline = try String(contentsOfFile: workspace.pipeline, encoding: .utf8) + "\npublication: var/publication\n"
        var cluster: PostgresCluster?
        if backend == .postgres {
            let server = try PostgresCluster()
            pipeline = pipeline.replacingOccurrences(of: "archive: var/archive.sqlite", with:
                "archive: postgresql://credit@localhost:\(server.port)/postgres?host=\(server.directory)")
            cluster = server
        }
        try workspace.directory.write("pipeline.yaml", pipeline)
        return (workspace, cluster)
    }

    static func night(_ workspace: Workspace, _ number: Int, backend: Backend = .sqlite) throws {
        var generator = CodeGenerator(seed: 9)
        let codes = (0..<7).map { _ in generator.uscc() }
        if number == 3 {
            try workspace.directory.write("inbox/nb-fgw/credit_repair_20250502.csv", repairs(codes: codes))
        } else {
            let (name, rows) = number == 1 ? ("20250110", night1) : ("20250301", night2)
            try workspace.directory.write("inbox/nb-scjg/admin_penalty_\(name).csv", penalties(rows, codes: codes))
        }
        if number == 1 { try workspace.directory.write("inbox/nb-scjg/admin_license_20250110.csv", licence(code: codes[6])) }
        let run = try CLI.run(["run"] + (backend == .postgres ? ["--worker"] : []) + [workspace.pipeline])
        #expect(run.status == 0 || run.status == 3, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains(" 0 rejected"), "every record is accepted: \(run.stdout)")
    }

    /// The changes of one export folder, by 文书号: `add`, `update`, `remove/<reason>`.
    static func exported(_ folder: String) throws -> [String: String] {
        var changes: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".jsonl") {
            for line in try String(contentsOfFile: folder + "/" + file, encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let record = try #require(object["record"] as? [String: String])
                let number = try #require(record["cf_wsh"] ?? record["xk_wsh"] ?? record["xf_wsh"] ?? record["rdwsh"])
                let action = try #require(object["action"] as? String)
                changes[number] = action + ((object["reason"] as? String).map { "/" + $0 } ?? "")
            }
        }
        return changes
    }

    @Test(arguments: Backend.available)
    func eachExportCarriesWhatTheRulesSayChangedSinceTheLast(backend: Backend) throws {
        let (workspace, cluster) = try Self.workspace(backend)
        defer { workspace.directory.remove() }
        defer { cluster?.stop() }
        try Self.night(workspace, 1, backend: backend)
        var export = 0
        for (index, step) in Self.expected.enumerated() {
            if index == 1 { try Self.night(workspace, 2, backend: backend) }
            if index == 3 { try Self.night(workspace, 3, backend: backend) }
            let publish = try CLI.run(["publish", "--pipeline", workspace.pipeline, "--as-of", step.day])
            #expect(publish.status == 0, "\(step.day): \(publish.stdout) \(publish.stderr)")
            guard !step.changes.isEmpty else {
                #expect(publish.stdout.contains("nothing changed"), "\(publish.stdout)")
                continue
            }
            export += 1
            let folder = workspace.directory.file("var/publication/export-" + String(format: "%06d", export))
            #expect(try Self.exported(folder) == step.changes, "export \(export) as of \(step.day)")
            // The manifest counts what the files carry.
            let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
                folder + "/manifest.json"))) as? [String: Any])
            #expect(manifest["as_of"] as? String == step.day)
            let items = try #require(manifest["items"] as? [String: [String: Any]])
            let counted = items.values.reduce(0) { total, counts in
                total + ["add", "update", "remove"].reduce(0) { $0 + (counts[$1] as? Int ?? 0) }
                    + (counts["refused"] as? [String: Int] ?? [:]).values.reduce(0, +)
            }
            #expect(counted == step.changes.count)
        }
        // The ledger tells a record's publication history, and a day before the last export is refused.
        if backend == .sqlite {
            #expect(try workspace.scalar("SELECT group_concat(action || ':' || coalesce(reason, ''), ' ') FROM publication_changes "
            + "WHERE key = (SELECT _key FROM item_admin_penalty WHERE cf_wsh = '甬罚〔2025〕6号' AND _version = 2)")
                == "add: update: remove:expired")
        #expect(try workspace.scalar("SELECT group_concat(action || ':' || coalesce(reason, ''), ' ') FROM publication_changes "
            + "WHERE key = (SELECT _key FROM item_admin_penalty WHERE cf_wsh = '甬罚〔2025〕1号')")
                == "add: remove:repaired")
        }
        // `trace` shows a record's publication history, on either backend.
        var generator = CodeGenerator(seed: 9)
        let code = generator.uscc()
        let trace = try CLI.run(["trace", "admin_penalty", "甬罚〔2025〕1号", code, "2025-01-05", "--pipeline", workspace.pipeline])
        #expect(trace.stdout.contains("公示 export-000001 2025-01-10: add · 2025-01-05 – 2026-01-05"), "\(trace.stdout)")
        #expect(trace.stdout.contains("公示 export-000003 2025-05-02: remove (repaired)"), "\(trace.stdout)")
        // `subject` shows it under the record, and in its JSON.
        let subject = try CLI.run(["subject", code, "--pipeline", workspace.pipeline])
        #expect(subject.stdout.contains("  公示 export-000001 2025-01-10: add · 2025-01-05 – 2026-01-05\n"
            + "  公示 export-000003 2025-05-02: remove (repaired)"), "\(subject.stdout)")
        let file = try CLI.run(["subject", code, "--json", "--pipeline", workspace.pipeline])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(file.stdout.utf8)) as? [String: Any])
        let histories = try #require(json["publication"] as? [String: [[String: Any]]])
        #expect(histories.values.map { $0.map { $0["action"] as? String ?? "" } } == [["add", "remove"]], "\(histories)")
        let back = try CLI.run(["publish", "--pipeline", workspace.pipeline, "--as-of", "2026-01-01"])
        #expect(back.status == 64, "\(back.stdout) \(back.stderr)")
        #expect(back.stderr.contains("before export"), "\(back.stderr)")
    }

    /// A period report counts the records first exported in its days: 公示及时率 beside 及时率,
    /// in the report's schema. (The rule itself, on fixed dates: PublicationTimelinessTests.)
    @Test func thePeriodReportCountsTheFirstExportsOfItsDays() throws {
        let (workspace, _) = try Self.workspace()
        defer { workspace.directory.remove() }
        let today = CivilDate.today()
        var generator = CodeGenerator(seed: 9)
        let codes = (0..<2).map { _ in generator.uscc() }
        func slashed(_ date: CivilDate) -> String { date.description.replacingOccurrences(of: "-", with: "/") }
        let rows = [Penalty(number: "甬罚〔近〕1号", category: "警告", decided: slashed(today.adding(days: -2))),
                    Penalty(number: "甬罚〔近〕2号", category: "警告", decided: slashed(today.adding(days: -60)))]
        let stamp = today.description.replacingOccurrences(of: "-", with: "")
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_\(stamp).csv", Self.penalties(rows, codes: codes))
        _ = try CLI.run(["run", workspace.pipeline])
        let publish = try CLI.run(["publish", "--pipeline", workspace.pipeline])
        #expect(publish.stdout.contains("admin_penalty: add 2"), "\(publish.stdout)")
        let month = String(today.description.prefix(7))
        let report = try CLI.run(["report", "--pipeline", workspace.pipeline, "--period", month])
        #expect(report.status == 0 || report.status == 3, "\(report.stderr)")
        let file = workspace.directory.file("var/reports/period-\(month)/report.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        let figures = try #require(json["publication_timeliness"] as? [String: Any])
        let items = try #require(figures["items"] as? [[String: Any]])
        let penalty = try #require(items.first { $0["item"] as? String == "admin_penalty" })
        #expect(penalty["exported"] as? Int == 2)
        let judged = ["timely", "late", "unknown"].map { penalty[$0] as? Int ?? -1 }
        #expect(judged.reduce(0, +) == 2, "\(penalty)")
        #expect(judged[1] + judged[2] >= 1, "the decision of 60 days ago was not published within 7 working days")
        // Per department, and held against the target: one late record of two misses 95%.
        #expect(figures["target"] as? String == "95%")
        let departments = try #require(figures["departments"] as? [[String: Any]])
        #expect(departments.map { $0["department"] as? String } == ["nb-scjg"])
        #expect(departments.first?["exported"] as? Int == 2)
        let checks = try #require(json["target_checks"] as? [[String: Any]])
        let check = try #require(checks.first { $0["figure"] as? String == "publication_timeliness_rate" })
        if judged[1] == 1 {
            #expect(check["met"] as? Bool == false, "\(check)")
            #expect(json["targets_met"] as? Bool == false)
        }
        // What publication did: both penalties public at the month's end, added this month.
        let publication = try #require(json["publication"] as? [String: Any])
        let row = try #require((publication["rows"] as? [[String: Any]])?.first { $0["item"] as? String == "admin_penalty" })
        #expect(row["public_at_end"] as? Int == 2 && row["added"] as? Int == 2, "\(row)")
        let schema = try ReportSchemaTests.check([file])
        #expect(schema.status == 0, "\(schema.output)")
        let html = try String(contentsOfFile: workspace.directory.file("var/reports/period-\(month)/index.html"), encoding: .utf8)
        #expect(html.contains("<h2>公示及时率</h2>") && html.contains("<h2>公示情况</h2>"))
        #expect(html.contains("data-publication-department=\"nb-scjg\""))
        // The next run's own report counts the exports recorded since the run before it began;
        // the run after that, none.
        func runReport() throws -> [String: Any] {
            _ = try CLI.run(["run", workspace.pipeline])
            return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
                workspace.directory.file("var/reports/latest/report.json")))) as? [String: Any])
        }
        let next = try runReport()
        let nightly = try #require(next["publication_timeliness"] as? [String: Any])
        #expect((nightly["items"] as? [[String: Any]])?.first { $0["item"] as? String == "admin_penalty" }?["exported"] as? Int == 2)
        #expect((next["target_checks"] as? [[String: Any]])?.contains { $0["figure"] as? String == "publication_timeliness_rate" } == true)
        #expect(try ReportSchemaTests.check([workspace.directory.file("var/reports/latest/report.json")]).status == 0)
        #expect(try runReport()["publication_timeliness"] == nil, "no export since the last run began")
    }

    /// Objections by night (the platform registers them; a new version is a new state):
    /// 2025-02-01 1号 and 2号 open, 3号 upheld; 2025-03-01 2号 rejected.
    static func objections(_ night: Int, codes: [String]) -> String {
        let header = "决定书文号,异议主体名称,统一社会信用代码,异议状态,异议登记日期,处理结果日期"
        let rows = night == 1
            ? [("甬罚〔2025〕1号", 0, "处理中", ""), ("甬罚〔2025〕2号", 1, "处理中", ""), ("甬罚〔2025〕3号", 2, "成立", "2025/01/30")]
            : [("甬罚〔2025〕2号", 1, "不成立", "2025/02/28")]
        return ([header] + rows.map { number, subject, state, decided in
            "\(number),宁波公示\(subject + 1)有限公司,\(codes[subject]),\(state),2025/01/20,\(decided)"
        }).joined(separator: "\n") + "\n"
    }

    /// An open objection marks a record (or, by policy, withholds it), an upheld one takes it down,
    /// a rejected one leaves it as it was; the marks leave in the exports and the ledger.
    @Test(arguments: [("mark", Backend.sqlite), ("withhold", .sqlite)] + (Backend.available.contains(.postgres) ? [("mark", .postgres)] : []))
    func objectionsMarkOrWithholdAndAnUpheldOneTakesTheRecordDown(policy: String, backend: Backend) throws {
        let (workspace, cluster) = try Self.workspace(backend)
        defer { workspace.directory.remove() }
        defer { cluster?.stop() }
        if policy == "withhold" {
            try FileManager.default.copyItem(atPath: Repository.path("catalogs"), toPath: workspace.directory.file("catalogs"))
            let item = workspace.directory.file("catalogs/items/admin_penalty.yaml")
            let text = try String(contentsOfFile: item, encoding: .utf8)
            #expect(text.contains("while_open: mark"))
            try text.replacingOccurrences(of: "while_open: mark", with: "while_open: withhold")
                .write(toFile: item, atomically: true, encoding: .utf8)
            let pipeline = try String(contentsOfFile: workspace.pipeline, encoding: .utf8)
                .replacingOccurrences(of: Repository.path("catalogs"), with: workspace.directory.file("catalogs"))
            try pipeline.write(toFile: workspace.pipeline, atomically: true, encoding: .utf8)
        }
        var generator = CodeGenerator(seed: 9)
        let codes = (0..<7).map { _ in generator.uscc() }
        try Self.night(workspace, 1, backend: backend)
        _ = try CLI.run(["publish", "--pipeline", workspace.pipeline, "--as-of", "2025-01-10"])
        let worker = backend == .postgres ? ["--worker"] : []
        var steps: [(day: String, expected: [String: String])] = []
        let withhold = policy == "withhold"
        steps.append(("2025-02-02", ["甬罚〔2025〕1号": withhold ? "remove/objection_open" : "update+open",
                                     "甬罚〔2025〕2号": withhold ? "remove/objection_open" : "update+open",
                                     "甬罚〔2025〕3号": "remove/objection_upheld"]))
        steps.append(("2025-03-02", ["甬罚〔2025〕2号": withhold ? "add" : "update"]))
        for (index, step) in steps.enumerated() {
            try workspace.directory.write("inbox/nb-fgw/objection_2025020\(index + 1).csv", Self.objections(index + 1, codes: codes))
            let run = try CLI.run(["run"] + worker + [workspace.pipeline])
            #expect(run.stdout.contains(" 0 rejected"), "\(run.stdout) \(run.stderr)")
            let publish = try CLI.run(["publish", "--pipeline", workspace.pipeline, "--as-of", step.day])
            #expect(publish.status == 0, "\(publish.stderr)")
            let folder = workspace.directory.file("var/publication/export-00000\(index + 2)")
            var found: [String: String] = [:]
            for line in try String(contentsOfFile: folder + "/admin_penalty.jsonl", encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let record = try #require(object["record"] as? [String: String])
                found[record["cf_wsh"] ?? ""] = "\(object["action"] ?? "")" + ((object["reason"] as? String).map { "/" + $0 } ?? "")
                    + (object["objection_open"] as? Bool == true ? "+open" : "")
            }
            #expect(found == step.expected, "\(policy) on \(step.day)")
        }
        let again = try CLI.run(["publish", "--pipeline", workspace.pipeline, "--as-of", "2025-03-02"])
        #expect(again.stdout.contains("nothing changed"), "\(again.stdout)")
    }

    /// 严重失信主体名单: an entry is public from its listing to its 有效期至; an approved 移出名单
    /// repair naming it (认定文书号 and code) takes it off on its date, one naming no entry is
    /// refused; a person on the list is published without their ID number.
    @Test func aDelistingRepairTakesASubjectOffTheSeriousList() throws {
        let (workspace, _) = try Self.workspace()
        defer { workspace.directory.remove() }
        var generator = CodeGenerator(seed: 12)
        let (first, second, unknown, person) = (generator.uscc(), generator.uscc(), generator.uscc(), generator.residentID())
        let header = "主体名称,主体类别,统一社会信用代码,身份证号码,名单类型,列入事由,认定部门,认定部门统一社会信用代码,认定依据,认定文书号,列入日期,有效期至"
        let list = [header,
                    "宁波名单甲有限公司,法人及非法人组织,\(first),,拖欠农民工工资失信联合惩戒对象名单,拒不支付劳动报酬,宁波市人力资源和社会保障局,"
                        + "113302000028765169,《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》,甬人社失〔2025〕1号,2025/01/02,2027/12/31",
                    "宁波名单乙有限公司,法人及非法人组织,\(second),,拖欠农民工工资失信联合惩戒对象名单,拒不支付劳动报酬,宁波市人力资源和社会保障局,"
                        + "113302000028765169,《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》,甬人社失〔2025〕2号,2025/01/03,2025/06/30",
                    "张三丰,自然人,,\(person),拖欠农民工工资失信联合惩戒对象名单,拒不支付劳动报酬,宁波市人力资源和社会保障局,"
                        + "113302000028765169,《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》,甬人社失〔2025〕3号,2025/01/04,长期"]
        try workspace.directory.write("inbox/nb-fgw/serious_dishonest_20250110.csv", list.joined(separator: "\n") + "\n")
        var run = try CLI.run(["run", workspace.pipeline])
        #expect(run.stdout.contains(" 0 rejected"), "\(run.stdout) \(run.stderr)")
        _ = try CLI.run(["publish", "--pipeline", workspace.pipeline, "--as-of", "2025-01-10"])
        #expect(try Self.exported(workspace.directory.file("var/publication/export-000001")) ==
                ["甬人社失〔2025〕1号": "add", "甬人社失〔2025〕2号": "add", "甬人社失〔2025〕3号": "add"])
        let text = try String(contentsOfFile: workspace.directory.file("var/publication/export-000001/serious_dishonest.jsonl"),
                              encoding: .utf8)
        #expect(!text.contains(person) && !text.contains("张三丰"), "a person on the list is masked: \(text)")
        let repairs = ["行政处罚决定书文号,行政相对人名称,统一社会信用代码,修复类型,修复决定日期,修复决定机关,修复决定机关统一社会信用代码",
                       "甬人社失〔2025〕1号,宁波名单甲有限公司,\(first),移出严重失信主体名单,2025/03/01,宁波市发展和改革委员会,113302000028765169",
                       "甬人社失〔2025〕9号,宁波名单丙有限公司,\(unknown),移出严重失信主体名单,2025/03/01,宁波市发展和改革委员会,113302000028765169"]
        try workspace.directory.write("inbox/nb-fgw/credit_repair_20250302.csv", repairs.joined(separator: "\n") + "\n")
        run = try CLI.run(["run", workspace.pipeline])
        #expect(run.stdout.contains(" 0 rejected"), "\(run.stdout) \(run.stderr)")
        _ = try CLI.run(["publish", "--pipeline", workspace.pipeline, "--as-of", "2025-03-02"])
        #expect(try Self.exported(workspace.directory.file("var/publication/export-000002")) ==
                ["甬人社失〔2025〕1号": "remove/repaired", "甬人社失〔2025〕9号": "refuse/unknown_decision"])
        _ = try CLI.run(["publish", "--pipeline", workspace.pipeline, "--as-of", "2025-07-01"])
        #expect(try Self.exported(workspace.directory.file("var/publication/export-000003")) == ["甬人社失〔2025〕2号": "remove/expired"])
        let count = try CLI.run(["published", "--pipeline", workspace.pipeline, "--on", "2099-01-01", "--item", "serious_dishonest",
                                 "--count"])
        #expect(count.stdout == "serious_dishonest\t1\n", "the person listed 长期 stays: \(count.stdout)")
    }

    /// Exported records mask personal data as reports do, and lead back to their archive row.
    @Test func anExportLeadsBackToTheArchiveAndShowsNoIDNumber() throws {
        let (workspace, _) = try Self.workspace()
        defer { workspace.directory.remove() }
        try Self.night(workspace, 1)
        _ = try CLI.run(["publish", "--pipeline", workspace.pipeline, "--as-of", "2025-01-10"])
        let text = try String(contentsOfFile: workspace.directory.file("var/publication/export-000001/admin_penalty.jsonl"),
                              encoding: .utf8)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(text.split(separator: "\n")[0].utf8)) as? [String: Any])
        let row = try #require(first["archive_row"] as? Int)
        let record = try #require(first["record"] as? [String: String])
        #expect(try workspace.scalar("SELECT cf_wsh FROM item_admin_penalty WHERE _id = \(row)") == record["cf_wsh"])
        #expect(record["cf_frdb"] == "王*", "a legal representative is a person: masked")
    }

    /// Killed after the ledger recorded an export, or after its files were written beside their
    /// place, the next publish completes that export, the same as a clean one; nothing is
    /// exported twice.
    @Test(arguments: [KillPoint.publicationRecorded, .publicationWritten], Backend.available)
    func aKilledPublishIsCompletedByTheNextExactlyOnce(point: KillPoint, backend: Backend) throws {
        let (clean, _) = try Self.workspace()
        defer { clean.directory.remove() }
        let (killed, cluster) = try Self.workspace(backend)
        defer { killed.directory.remove() }
        defer { cluster?.stop() }
        try Self.night(clean, 1)
        try Self.night(killed, 1, backend: backend)
        _ = try CLI.run(["publish", "--pipeline", clean.pipeline, "--as-of", "2025-06-01"])
        let dead = try CLI.run(["publish", "--pipeline", killed.pipeline, "--as-of", "2025-06-01"],
                               environment: ["CREDIT_ETL_KILL_AT": point.rawValue])
        #expect(dead.status == 9 || dead.status == 137 || dead.status == -9 || dead.status == SIGKILL,
                "publish died at \(point.rawValue): exit \(dead.status) \(dead.stderr)")
        #expect(!FileManager.default.fileExists(atPath: killed.directory.file("var/publication/export-000001/manifest.json")))
        let resumed = try CLI.run(["publish", "--pipeline", killed.pipeline, "--as-of", "2025-06-01"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("completed export export-000001"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("nothing changed"), "\(resumed.stdout)")
        #expect(try Self.exported(killed.directory.file("var/publication/export-000001"))
                == Self.exported(clean.directory.file("var/publication/export-000001")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: killed.directory.file("var/publication")) == ["export-000001"])
        let again = try CLI.run(["publish", "--pipeline", killed.pipeline, "--as-of", "2025-06-01"])
        #expect(again.stdout.contains("nothing changed") && !again.stdout.contains("completed"), "\(again.stdout)")
    }
}
