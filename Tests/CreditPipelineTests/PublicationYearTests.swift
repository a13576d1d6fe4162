import CreditIdentifiers
import Foundation
import Testing
import TestSupport

/// A year of nights (2025, one every two weeks) over synthetic decisions with the policy cases
/// planted among random ones: general and serious penalties, mixed categories, stated 公示截止期
/// inside and outside the period, corrections, withdrawals, repairs applied, too early and for
/// unknown decisions, objections open, upheld and rejected, licences that expire. Each night runs
/// and publishes; every export is compared with a model of the rules written here independently
/// of the product (Foundation's calendar, no product type), and `published --on` with the set the
/// model says the exports left public.
@Suite(.serialized) struct PublicationYearTests {
    static let serious: Set<String> = ["吊销许可证件", "责令关闭", "限制从业", "责令停产停业"]

    /// Days as the model counts them: Gregorian, in UTC, months as the law counts them.
    struct Day: Comparable, Hashable, CustomStringConvertible {
        static let calendar: Calendar = {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            return calendar
        }()
        let date: Date

        init(_ text: String) {
            let parts = text.split(separator: "-").map { Int($0)! }
            date = Self.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!
        }
        init(date: Date) { self.date = date }

        func plus(days: Int) -> Day { Day(date: Self.calendar.date(byAdding: .day, value: days, to: date)!) }
        func plus(months: Int) -> Day { Day(date: Self.calendar.date(byAdding: .month, value: months, to: date)!) }
        var description: String {
            let parts = Self.calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }
        var slashed: String { description.replacingOccurrences(of: "-", with: "/") }
        static func < (a: Day, b: Day) -> Bool { a.date < b.date }
    }

    struct Penalty {
        var number: String
        var subject: Int
        var decided: Day
        var categories: String
        var stated: Day?
        var version = 1
        var withdrawn = false
        /// The current 终止公示 repair's date, if any was sent.
        var repair: Day?
        var objection: String?

        var isSerious: Bool { categories.split(separator: ";").contains { PublicationYearTests.serious.contains(String($0)) } }
        var earliestEnd: Day { decided.plus(months: isSerious ? 6 : 3) }
        var until: Day {
            let latest = decided.plus(months: isSerious ? 36 : 12)
            guard let stated else { return latest }
            return min(max(stated.plus(days: 1), earliestEnd), latest)
        }
    }

    struct Licence {
        var number: String
        var subject: Int
        var decided: Day
        var validTo: Day
    }

    /// A record's standing in the model: public (marked or not, at a version) or not, and why.
    enum Standing: Equatable {
        case shown(version: Int, marked: Bool)
        case hidden(reason: String)
    }

    static func standing(_ penalty: Penalty, on day: Day) -> Standing {
        if penalty.withdrawn { return .hidden(reason: "withdrawn") }
        if day < penalty.decided { return .hidden(reason: "changed") }
        if let repair = penalty.repair, repair <= day, repair >= penalty.earliestEnd, repair < penalty.until {
            return .hidden(reason: "repaired")
        }
        if penalty.until <= day { return .hidden(reason: "expired") }
        switch penalty.objection {
        case "成立": return .hidden(reason: "objection_upheld")
        case "处理中": return .shown(version: penalty.version, marked: true)
        default: return .shown(version: penalty.version, marked: false)
        }
    }

    static func standing(_ licence: Licence, on day: Day) -> Standing {
        day < licence.validTo.plus(days: 1) ? .shown(version: 1, marked: false) : .hidden(reason: "expired")
    }

    /// The simulation: the model's records, what the last export left public, and the files of a night.
    struct Year {
        var random = SeededGenerator.forTest("PublicationYearTests")
        var codes: [String] = {
            var generator = CodeGenerator(seed: 2025)
            return (0..<400).map { _ in generator.uscc() }
        }()
        var penalties: [Penalty] = []
        var licences: [Licence] = []
        /// Repairs sent, by 文书号 and subject: their date and whether the refusal was said.
        var repairs: [String: (number: String, subject: Int, date: Day, said: Bool)] = [:]
        var shown: [String: Standing] = [:]
        /// 移出名单 repairs sent since the last export (the year has no list entries: each is refused).
        var delistings: [String] = []
        var nextSubject = 0
        /// How often each planted case happened (the test asserts each did).
        var cases: [String: Int] = [:]

        mutating func subject() -> Int {
            defer { nextSubject += 1 }
            return nextSubject
        }

        func row(_ penalty: Penalty) -> String {
            let fine = penalty.categories.contains("罚款") ? "0.5" : ""
            let licence = penalty.categories.contains("吊销") ? "食品经营许可证 JY001" : ""
            let content = penalty.version == 1 ? "依法处罚" : "依法处罚（更正\(penalty.version)）"
            return "宁波年度\(penalty.subject)有限公司,法人及非法人组织,\(codes[penalty.subject]),王五,\(penalty.number),食品安全,"
                + "销售过期食品,《中华人民共和国食品安全法》第一百二十四条,\(penalty.categories),\(content),\(fine),\(licence),"
                + "\(penalty.decided.slashed),2027/01/01,\(penalty.stated?.slashed ?? ""),宁波市市场监督管理局,113302000028765169,"
                + "宁波市市场监督管理局,11330200MB19578404,\(penalty.withdrawn ? "撤销" : "有效")"
        }

        /// Night `index` on `day`: new decisions, and events on earlier ones; returns the files.
        mutating func night(_ index: Int, on day: Day) -> [String: String] {
            var penaltyRows: [String] = [], licenceRows: [String] = [], repairRows: [String] = [], objectionRows: [String] = []
            let categories = ["警告", "通报批评", "罚款", "吊销许可证件", "罚款;责令关闭"]
            for _ in 0..<3 {
                let decided = day.plus(days: -Int.random(in: 1...13, using: &random))
                var stated: Day?
                if Int.random(in: 0..<3, using: &random) == 0 {
                    stated = decided.plus(days: Int.random(in: 95...1060, using: &random))
                    cases["stated", default: 0] += 1
                }
                let penalty = Penalty(number: "甬罚〔2025〕\(penalties.count + 1)号", subject: subject(), decided: decided,
                                      categories: categories.randomElement(using: &random)!, stated: stated)
                cases[penalty.categories.contains(";") ? "mixed" : penalty.isSerious ? "serious" : "general", default: 0] += 1
                penalties.append(penalty)
                penaltyRows.append(row(penalty))
            }
            let decided = day.plus(days: -Int.random(in: 1...13, using: &random))
            let licence = Licence(number: "甬市监许〔2025〕\(licences.count + 1)号", subject: subject(), decided: decided,
                                  validTo: decided.plus(days: Int.random(in: 20...400, using: &random)))
            licences.append(licence)
            licenceRows.append("宁波年度\(licence.subject)有限公司,法人及非法人组织,\(codes[licence.subject]),郑华,食品经营许可证,"
                + "\(licence.number),普通,准予食品经营,\(licence.decided.slashed),\(licence.decided.slashed),"
                + "\(licence.validTo.slashed),宁波市市场监督管理局,113302000028765169,有效,宁波市市场监督管理局,11330200MB19578404")
            // Events on earlier decisions (never on the night's own, never on a withdrawn one).
            let earlier = Array(penalties.indices.dropLast(3)).filter { !penalties[$0].withdrawn }
            var used = Set<Int>()
            // A decision no other event of the night touches: one file holds one row per record.
            // A planted case needs the right kind of decision (old enough, public): `where` says which.
            func pick(where condition: (Penalty) -> Bool = { _ in true }) -> Int? {
                guard let target = earlier.filter({ !used.contains($0) && condition(penalties[$0]) })
                    .randomElement(using: &random) else { return nil }
                used.insert(target)
                return target
            }
            func isPublic(_ penalty: Penalty) -> Bool {
                if case .shown = PublicationYearTests.standing(penalty, on: day) { true } else { false }
            }
            if index % 3 == 1, let target = pick() {
                penalties[target].version += 1
                penaltyRows.append(row(penalties[target]))
                cases["correction", default: 0] += 1
            }
            if index % 4 == 2, let target = pick() {
                penalties[target].withdrawn = true
                penaltyRows.append(row(penalties[target]))
                cases["withdrawal", default: 0] += 1
            }
            let repairHeader = "行政处罚决定书文号,行政相对人名称,统一社会信用代码,修复类型,修复决定日期,修复决定机关,修复决定机关统一社会信用代码"
            func repair(_ number: String, _ subject: Int, kind: String = "终止公示行政处罚信息") {
                repairRows.append("\(number),宁波年度\(subject)有限公司,\(codes[subject]),\(kind),\(day.plus(days: -1).slashed),"
                    + "宁波市市场监督管理局,113302000028765169")
            }
            // A repair: on even nights of a public decision past 200 days (applied, unless its
            // period is serious and not yet past 6 months), on odd nights of one within 60 days (too early).
            let old = pick { isPublic($0) && $0.decided.plus(days: 200) < day }
            let recent = old == nil || index % 2 == 1 ? pick { $0.decided.plus(days: 60) > day } : nil
            if index >= 2, let target = index % 2 == 0 ? old ?? recent : recent ?? old {
                let penalty = penalties[target]
                repair(penalty.number, penalty.subject)
                penalties[target].repair = day.plus(days: -1)
                repairs[penalty.number] = (penalty.number, penalty.subject, day.plus(days: -1), false)
            }
            if index % 5 == 3 {
                // A repair naming no decision here.
                let subject = subject()
                let number = "甬罚〔2024〕\(900 + index)号"
                repair(number, subject)
                repairs[number] = (number, subject, day.plus(days: -1), false)
                cases["unknown repair", default: 0] += 1
            }
            if index % 6 == 4, let target = pick() {
                // Another kind of repair ends no penalty's publication; naming no entry of the
                // 严重失信主体名单, it is refused.
                repair(penalties[target].number, penalties[target].subject, kind: "移出严重失信主体名单")
                delistings.append(penalties[target].number)
            }
            // Objections: one opened every other night; those open for two nights are decided.
            for target in penalties.indices where penalties[target].objection == "处理中" && Int.random(in: 0..<2, using: &random) == 0 {
                // Upheld and rejected in turn: both outcomes happen whatever the seed.
                let upheld = cases["objection upheld", default: 0] <= cases["objection rejected", default: 0]
                penalties[target].objection = upheld ? "成立" : "不成立"
                objectionRows.append(objection(penalties[target], state: upheld ? "成立" : "不成立", on: day))
                cases[upheld ? "objection upheld" : "objection rejected", default: 0] += 1
            }
            if index % 2 == 0, let target = pick(where: { isPublic($0) && $0.objection == nil }) {
                penalties[target].objection = "处理中"
                objectionRows.append(objection(penalties[target], state: "处理中", on: day))
                cases["objection open", default: 0] += 1
            }
            let stamp = day.description.replacingOccurrences(of: "-", with: "")
            var files = ["nb-scjg/admin_penalty_\(stamp).csv": ([PublicationTests.penaltyHeader] + penaltyRows),
                         "nb-scjg/admin_license_\(stamp).csv": ([PublicationTests.licenceHeader] + licenceRows)]
            if !repairRows.isEmpty { files["nb-fgw/credit_repair_\(stamp).csv"] = [repairHeader] + repairRows }
            if !objectionRows.isEmpty {
                files["nb-fgw/objection_\(stamp).csv"] = ["决定书文号,异议主体名称,统一社会信用代码,异议状态,异议登记日期,处理结果日期"] + objectionRows
            }
            return files.mapValues { $0.joined(separator: "\n") + "\n" }
        }

        func objection(_ penalty: Penalty, state: String, on day: Day) -> String {
            "\(penalty.number),宁波年度\(penalty.subject)有限公司,\(codes[penalty.subject]),\(state),\(day.plus(days: -20).slashed),"
                + (state == "处理中" ? "" : day.plus(days: -1).slashed)
        }

        /// What an export as of `day` must carry, by item and 文书号, and the model's new public set.
        mutating func expectedExport(on day: Day) -> [String: String] {
            var changes: [String: String] = [:]
            var now: [String: Standing] = [:]
            for penalty in penalties { now["admin_penalty/" + penalty.number] = PublicationYearTests.standing(penalty, on: day) }
            for licence in licences { now["admin_license/" + licence.number] = PublicationYearTests.standing(licence, on: day) }
            for (key, standing) in now {
                let before = shown[key]
                switch (before, standing) {
                case (nil, .shown(_, let marked)), (.hidden?, .shown(_, let marked)):
                    changes[key] = "add" + (marked ? "+open" : "")
                case (.shown(let version, let wasMarked)?, .shown(let now, let marked)) where version != now || wasMarked != marked:
                    changes[key] = "update" + (marked ? "+open" : "")
                case (.shown?, .hidden(let reason)):
                    changes[key] = "remove/" + reason
                    cases["removed " + reason, default: 0] += 1
                default:
                    break
                }
            }
            shown = now.filter { if case .shown = $0.value { true } else { false } }
            // A repair in force is refused once when it names no decision or comes before the minimum.
            for (number, repair) in repairs where !repair.said && repair.date <= day {
                let penalty = penalties.first { $0.number == number && $0.subject == repair.subject }
                let reason = penalty == nil ? "unknown_decision" : repair.date < penalty!.earliestEnd ? "too_early" : nil
                if let reason {
                    changes["credit_repair/" + number] = "refuse/" + reason
                    cases["refused " + reason, default: 0] += 1
                } else {
                    cases["repair applied", default: 0] += 1
                }
                repairs[number]?.said = true
            }
            for number in delistings { changes["credit_repair/" + number] = "refuse/unknown_decision" }
            delistings = []
            return changes
        }

        var publicPenalties: Set<String> {
            Set(shown.keys.filter { $0.hasPrefix("admin_penalty/") }.map { String($0.dropFirst("admin_penalty/".count)) })
        }
    }

    /// An export folder's changes by item and 文书号: `add`, `update`, `remove/<reason>`,
    /// `refuse/<reason>`, with `+open` when it went out marked 异议处理中.
    static func exported(_ folder: String) throws -> [String: String] {
        var changes: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".jsonl") {
            let item = String(file.dropLast(".jsonl".count))
            for line in try String(contentsOfFile: folder + "/" + file, encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let record = try #require(object["record"] as? [String: String])
                let number = try #require(record["cf_wsh"] ?? record["xk_wsh"] ?? record["xf_wsh"])
                changes[item + "/" + number] = "\(object["action"] ?? "")" + ((object["reason"] as? String).map { "/" + $0 } ?? "")
                    + (object["objection_open"] as? Bool == true ? "+open" : "")
            }
        }
        return changes
    }

    @Test(arguments: Backend.available)
    func aYearOfNightsPublishesWhatAnIndependentModelOfTheRulesSays(backend: Backend) throws {
        let (workspace, cluster) = try PublicationTests.workspace(backend)
        defer { workspace.directory.remove() }
        defer { cluster?.stop() }
        var year = Year()
        var export = 0
        var published: [(day: Day, penalties: Set<String>)] = []
        let nights = (0..<26).map { Day("2025-01-08").plus(days: 14 * $0) }
        // After the year, publishes with no run: what expires in 2026 to 2028, and the last day of
        // this month (the month of the test's runs, which a period report can cover).
        let today = Day(String(ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!,
                                                           formatOptions: [.withFullDate])))
        let monthEnd = Day(date: Day.calendar.date(from: Day.calendar.dateComponents([.year, .month], from: today.date))!)
            .plus(months: 1).plus(days: -1)
        let later = Set(["2026-03-31", "2027-09-30", "2028-06-30"].map(Day.init) + [monthEnd]).sorted()
        let month = String(monthEnd.description.prefix(7))
        var inMonth: [String: [String: Int]] = [:]
        for (index, day) in (nights + later).enumerated() {
            if index < nights.count {
                for (file, text) in year.night(index, on: day) { try workspace.directory.write("inbox/" + file, text) }
                let run = try CLI.run(["run"] + (backend == .postgres ? ["--worker"] : []) + [workspace.pipeline])
                #expect(run.stdout.contains(" 0 rejected"), "night \(day): \(run.stdout) \(run.stderr)")
            }
            let expected = year.expectedExport(on: day)
            if day.description.hasPrefix(month) {
                for (key, change) in expected {
                    inMonth[String(key.prefix { $0 != "/" }), default: [:]][String(change.prefix { $0 != "+" }), default: 0] += 1
                }
            }
            let publish = try CLI.run(["publish", "--pipeline", workspace.pipeline, "--as-of", day.description])
            #expect(publish.status == 0, "\(day): \(publish.stdout) \(publish.stderr)")
            if expected.isEmpty {
                #expect(publish.stdout.contains("nothing changed"), "\(day): \(publish.stdout)")
            } else {
                export += 1
                let folder = workspace.directory.file("var/publication/" + String(format: "export-%06d", export))
                let found = try Self.exported(folder)
                #expect(found == expected, "export \(export) as of \(day): \(Self.difference(found, expected))")
            }
            published.append((day, year.publicPenalties))
        }
        // What was public on a day is a query on the ledger: the day of an export, and the days
        // between two exports (the earlier export's set).
        for (index, entry) in published.enumerated() where index % 5 == 0 || index == published.count - 1 {
            for day in [entry.day, entry.day.plus(days: 3)] {
                let query = try CLI.run(["published", "--pipeline", workspace.pipeline, "--on", day.description,
                                         "--item", "admin_penalty"])
                #expect(query.status == 0, "\(query.stderr)")
                let numbers = try Set(query.stdout.split(separator: "\n").map { line in
                    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    return try #require((object["record"] as? [String: String])?["cf_wsh"])
                })
                #expect(numbers == entry.penalties, "public on \(day)")
            }
        }
        let count = try CLI.run(["published", "--pipeline", workspace.pipeline, "--on", "2025-07-01", "--count"])
        let july = published.last { $0.day <= Day("2025-07-01") }!.penalties.count
        #expect(count.stdout.contains("admin_penalty\t\(july)\n"), "\(count.stdout)")
        let before = try CLI.run(["published", "--pipeline", workspace.pipeline, "--on", "2024-12-31", "--count"])
        #expect(before.stdout.contains("admin_penalty\t0\n"), "nothing was public before the first export: \(before.stdout)")
        // The month's report counts what its exports did, per item and department, as the model says.
        let report = try CLI.run(["report", "--pipeline", workspace.pipeline, "--period", month])
        #expect(report.status == 0 || report.status == 3, "\(report.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            workspace.directory.file("var/reports/period-\(month)/report.json")))) as? [String: Any])
        let figures = try #require(json["publication"] as? [String: Any])
        #expect(figures["as_of"] as? String == monthEnd.description)
        let rows = try #require(figures["rows"] as? [[String: Any]])
        let atEnd = published.last { $0.day <= monthEnd }!.penalties.count
        for item in ["admin_penalty", "admin_license"] {
            let row = try #require(rows.first { $0["item"] as? String == item && $0["department"] as? String == "nb-scjg" })
            let expected = inMonth[item] ?? [:]
            #expect(row["added"] as? Int == expected["add"] ?? 0, "\(item) added in \(month)")
            #expect(row["updated"] as? Int == expected["update"] ?? 0, "\(item) updated in \(month)")
            var removedBy: [String: Int] = [:]
            for (change, count) in expected where change.hasPrefix("remove/") { removedBy[String(change.dropFirst(7))] = count }
            #expect(row["removed_by"] as? [String: Int] == removedBy, "\(item) taken down in \(month): \(row)")
            if item == "admin_penalty" { #expect(row["public_at_end"] as? Int == atEnd, "\(row)") }
        }
        // Every planted case happened at least once.
        for planted in ["general", "serious", "mixed", "stated", "correction", "withdrawal", "repair applied",
                        "refused too_early", "refused unknown_decision", "objection open", "objection upheld",
                        "objection rejected", "removed expired", "removed repaired", "removed withdrawn",
                        "removed objection_upheld"] {
            #expect(year.cases[planted, default: 0] > 0, "the year never had: \(planted) (\(year.cases))")
        }
    }

    static func difference(_ found: [String: String], _ expected: [String: String]) -> String {
        Set(found.keys).union(expected.keys).sorted().compactMap { key in
            found[key] == expected[key] ? nil : "\(key): exported \(found[key] ?? "nothing"), expected \(expected[key] ?? "nothing")"
        }.joined(separator: "; ")
    }
}
