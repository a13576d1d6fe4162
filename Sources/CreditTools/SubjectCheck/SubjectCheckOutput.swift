import CreditCatalog
import CreditCore
import CreditPublication
import CreditReports
import Foundation

/// What `check-subjects` writes: `check-subjects.csv`, one row per list row in its order (UTF-8
/// with a byte-order mark, so Excel shows the Chinese), and `check-subjects.html`, a Chinese
/// summary with the rows that need attention. ID numbers and natural persons' names are masked
/// unless `unmasked`; other values with the ID numbers they carry masked by their shape.
public struct SubjectCheckOutput {
    public let list: SubjectList
    public let results: [SubjectCheck.Result]
    public let catalog: Catalog
    public let day: CivilDate
    public let language: Language
    public let unmasked: Bool

    public init(list: SubjectList, results: [SubjectCheck.Result], catalog: Catalog, day: CivilDate, language: Language,
                unmasked: Bool) {
        self.list = list
        self.results = results
        self.catalog = catalog
        self.day = day
        self.language = language
        self.unmasked = unmasked
    }

    /// The items whose standings get a column: adverse first, then favourable, then on record.
    var standingItems: [CatalogItem] {
        catalog.items.values.compactMap { item in item.standing.map { (item, $0.kind.rank) } }
            .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }.map(\.0)
    }

    private func text(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    /// The row's code as shown: an ID number masked; a code that failed its check masked where it
    /// has an ID number's shape.
    func shownCode(_ result: SubjectCheck.Result) -> String {
        let code = result.code ?? result.entry.code
        if unmasked { return code }
        if result.codeKind == .idNumber { return PersonalData.maskIdentifier(code) }
        return PersonalData.maskingIdentifiers(in: code)
    }

    /// The row's name as shown: an organization's as written (one the archive ties to an
    /// organization's code, or one that reads as an organization's name); a person's, or any other
    /// name nothing vouches for, masked.
    func shownName(_ result: SubjectCheck.Result) -> String {
        let name = result.entry.name
        if unmasked || name.isEmpty { return name }
        let organization = result.naturalPerson ? false
            : (result.codeKind == .uscc || PersonalData.looksLikeOrganizationName(name))
        return organization ? PersonalData.maskingIdentifiers(in: name) : PersonalData.maskName(name)
    }

    /// One standing's basis: department, decision, dates, category.
    func basis(_ standing: SubjectStanding) -> String {
        var parts = [catalog.departments[standing.department]?.name ?? standing.department]
        if let decision = standing.decision { parts.append(PersonalData.shown(decision, isPersonal: false)) }
        var dates = standing.date.map { text("\($0)起", "from \($0)") } ?? ""
        if let until = standing.until { dates += text("至\(until)", " until \(until)") }
        if !dates.isEmpty { parts.append(dates) }
        if let category = standing.category { parts.append(category) }
        if standing.disputed { parts.append(text("异议处理中", "objection pending")) }
        return parts.joined(separator: " ")
    }

    /// The header and one row of text per result, as the CSV has them.
    public func table() -> [[String]] {
        var header = [text("序号", "No."), text("行号", "Line"), text("统一社会信用代码/身份证号码", "Code / ID number"),
                      text("名称", "Name"), text("核查结果", "Result"), text("登记名称", "Registered name")]
        for item in standingItems {
            let name = language == .zh ? item.standing!.name : item.standing!.nameEnglish ?? item.standing!.name
            header += [name, name + text("依据", " basis")]
        }
        header += [text("档案记录数", "Records on file"), text("说明", "Notes")]
        var rows = [header]
        for result in results {
            var row = [String(result.entry.position), String(result.entry.line), shownCode(result), shownName(result),
                       result.verdict.text(language), result.registryName ?? ""]
            for item in standingItems {
                let standings = result.standings.filter { $0.item == item.id }
                guard result.verdict == .found else {
                    row += ["", ""]
                    continue
                }
                row.append(standings.isEmpty ? text("否", "no") : text("是（\(standings.count)条）", "yes (\(standings.count))"))
                row.append(standings.map(basis).joined(separator: "；"))
            }
            var notes = result.notes.map { $0.text(language) }
            if !result.candidates.isEmpty { notes.append(result.candidates.joined(separator: " ")) }
            row += [result.verdict == .found ? String(result.records) : "", notes.joined(separator: "；")]
            rows.append(row)
        }
        return rows
    }

    /// Writes both files into `directory` (made if missing), each beside its name and renamed
    /// into place; returns their paths.
    public func write(into directory: String) throws -> (csv: String, html: String) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let csvPath = (directory as NSString).appendingPathComponent("check-subjects.csv")
        let htmlPath = (directory as NSString).appendingPathComponent("check-subjects.html")
        let rows = table()
        let csv = "\u{FEFF}" + rows.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        try OutputFile.replace(csvPath, with: Data(csv.utf8))
        try OutputFile.replace(htmlPath, with: Data(html(rows).utf8))
        return (csvPath, htmlPath)
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Counts by verdict and by standing, then the rows that need attention (an adverse standing,
    /// or a row the check could not answer), at most ``htmlRows``; the CSV has every row.
    func html(_ rows: [[String]]) -> String {
        let escape = HTMLReport.escape
        var counts: [SubjectCheck.Verdict: Int] = [:]
        for result in results { counts[result.verdict, default: 0] += 1 }
        var body = "<h1>\(escape(text("信用核查结果", "Credit check results")))</h1>\n"
        body += "<p>\(escape(text("名单", "List"))): \(escape(list.file)) · \(escape(text("核查日", "As of"))) \(day) · "
        body += "\(escape(text("共", "rows:"))) \(results.count) \(escape(text("行", "")))</p>\n"
        let columns = [(text("代码列", "code column"), list.codeColumn), (text("身份证号码列", "ID column"), list.idColumn),
                       (text("名称列", "name column"), list.nameColumn)]
        body += "<p>" + columns.map { "\(escape($0.0)): \(escape($0.1 ?? text("未找到", "none")))" }.joined(separator: " · ") + "</p>\n"
        if list.codeColumn == nil, list.idColumn == nil, list.nameColumn == nil {
            body += "<p class=\"fail\">\(escape(text("名单中找不到代码列或名称列：请在首行写明“统一社会信用代码”或“名称”。", "The list has no code or name column: name them in its first row (统一社会信用代码, 名称).")))</p>\n"
        }
        body += "<h2>\(escape(text("核查结果", "Results")))</h2>\n<table><tr><th>\(escape(text("结果", "Result")))</th><th>\(escape(text("行数", "Rows")))</th></tr>\n"
        for verdict in SubjectCheck.Verdict.allCases where counts[verdict] != nil {
            body += "<tr><td>\(escape(verdict.text(language)))</td><td class=\"num\">\(counts[verdict]!)</td></tr>\n"
        }
        body += "</table>\n<h2>\(escape(text("信用状况", "Standings")))</h2>\n<table><tr><th>\(escape(text("事项", "Standing")))</th><th>\(escape(text("主体数", "Subjects")))</th></tr>\n"
        for item in standingItems {
            let subjects = results.filter { result in result.entry.repeats == nil && result.standings.contains { $0.item == item.id } }.count
            let name = language == .zh ? item.standing!.name : item.standing!.nameEnglish ?? item.standing!.name
            body += "<tr><td>\(escape(name))</td><td class=\"num\">\(subjects)</td></tr>\n"
        }
        body += "</table>\n"
        let attention = results.indices.filter { index in
            let result = results[index]
            return result.verdict != .found || result.standings.contains { $0.kind == .adverse }
        }
        body += "<h2>\(escape(text("需关注的行", "Rows that need attention"))) (\(attention.count))</h2>\n<table>\n"
        body += "<tr>" + rows[0].map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for index in attention.prefix(Self.htmlRows) {
            body += "<tr>" + rows[index + 1].map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        body += "</table>\n"
        if attention.count > Self.htmlRows {
            body += "<p>\(escape(text("其余 \(attention.count - Self.htmlRows) 行见 check-subjects.csv。", "\(attention.count - Self.htmlRows) more rows are in check-subjects.csv.")))</p>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <title>\(escape(text("信用核查结果", "Credit check results")))</title>
            <style>\(HTMLReport.style)</style></head><body>
            \(body)</body></html>

            """
    }

    static let htmlRows = 2000
}
