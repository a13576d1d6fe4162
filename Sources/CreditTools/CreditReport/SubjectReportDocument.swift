import CreditArchive
import CreditCatalog
import CreditCore
import CreditReports
import Crypto

/// A 信用报告 as the printable HTML `credit-report` writes (A4 print styles), and what
/// `verify-report` reads back from one.
///
/// The report's content (registration and sections) sits between two markers; its SHA-256 is
/// printed in the report with the archive state it was built from, and the report number is
/// derived from it. What it was built from (code, period, language, masking) is written in
/// `<meta>` tags, so the same report can be built again from the archive and compared: the same
/// digest means the archive still gives the same report.
public struct SubjectReportDocument: Sendable {
    public var html: String
    public var digest: String
    public var number: String

    static let contentBegin = "<!-- credit-report:content -->"
    static let contentEnd = "<!-- /credit-report:content -->"

    public init(_ report: SubjectReport) {
        let p = report.parameters
        let zh = p.language == .zh
        func t(_ chinese: String, _ english: String) -> String { zh ? chinese : english }
        let escape = HTMLReport.escape
        var content = "<section class=\"registration\">\n<h2>\(t("登记信息", "Registration"))</h2>\n"
        if let registration = report.registration {
            content += "<table class=\"fields\">\n"
            for (label, value) in registration {
                content += "<tr><th>\(escape(label))</th><td>\(escape(value))</td></tr>\n"
            }
            content += "</table>\n"
        } else {
            content += "<p class=\"none\">\(t("企业登记注册信息中未找到该主体。", "The registry does not hold this subject."))</p>\n"
        }
        content += "</section>\n"
        for (index, section) in report.sections.enumerated() {
            content += "<section class=\"item\" data-item=\"\(escape(section.item))\">\n<h2>\(index + 1). \(escape(section.name))</h2>\n"
            if section.entries.isEmpty {
                content += "<p class=\"none\">\(escape(section.emptyStatement))</p>\n"
            } else {
                content += "<table>\n<thead><tr><th>\(t("文书号/编号", "Decision"))</th><th>\(t("日期", "Date"))</th>"
                    + "<th>\(t("部门", "Department"))</th><th>\(t("类别", "Category"))</th><th>\(t("状态", "Status"))</th>"
                    + "<th>\(t("来源", "Source"))</th></tr></thead>\n<tbody>\n"
                for entry in section.entries {
                    content += "<tr><td>\(escape(entry.decision))</td><td>\(escape(entry.date))</td><td>\(escape(entry.department))</td>"
                        + "<td>\(escape(entry.detail))</td><td>\(escape(entry.status))</td><td class=\"source\">\(escape(entry.source))</td></tr>\n"
                }
                content += "</tbody>\n</table>\n"
            }
            content += "</section>\n"
        }
        let subject = "<div class=\"subject\"><span>\(t("主体名称", "Subject"))：\(escape(report.name ?? "—"))</span>"
            + "<span>\(t("统一社会信用代码", "USCC"))：<code>\(escape(p.code))</code></span></div>\n"
        // The subject and the period are content too: a digest names whom and when it is about.
        let digested = subject + "<p class=\"period\">\(t("报告期间", "Period covered"))：\(p.from) \(t("至", "to")) \(p.to)</p>\n" + content
        digest = Self.sha256(digested)
        number = "XYBG-" + p.to.description.replacingOccurrences(of: "-", with: "") + "-" + String(digest.prefix(12)).uppercased()
        let state = t("批次 ", "run ") + (report.lastRun.map(String.init) ?? "—") + t(" · 公示导出 ", " · publication export ")
            + (report.lastExport.map(String.init) ?? "—")
        html = """
            <!DOCTYPE html>
            <html lang="\(zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <meta name="credit-report:code" content="\(escape(p.code))">
            <meta name="credit-report:from" content="\(p.from)">
            <meta name="credit-report:to" content="\(p.to)">
            <meta name="credit-report:language" content="\(p.language.rawValue)">
            <meta name="credit-report:unmasked" content="\(p.unmasked ? "true" : "false")">
            <meta name="credit-report:digest" content="\(digest)">
            <title>\(t("信用报告", "Credit report")) \(escape(number))</title>
            <style>\(Self.style)</style></head><body>
            <header><h1>\(t("信用报告", "Credit report"))</h1>
            <p class="meta">\(t("报告编号", "Report number"))：<code>\(escape(number))</code> · \(t("报告日期", "Report date"))：\(p.to)</p>
            </header>
            \(Self.contentBegin)
            \(digested)\(Self.contentEnd)
            <footer>
            <p>\(t("本报告依据公共信用信息平台归档数据生成，所列信息为报告期间内在档及公示的信用信息；某一事项“未发现”即报告期间内平台未归集到该类记录。",
                   "Built from the public credit information platform's archive: what was on record and public in the period covered; \"none found\" means the platform holds no such record for the period."))</p>
            <p>\(t("内容摘要（SHA-256）", "Content digest (SHA-256)"))：<code class="digest">\(digest)</code></p>
            <p>\(t("数据状态", "Archive state"))：\(escape(state))\(p.unmasked ? t(" · 含未脱敏个人信息", " · personal data shown unmasked") : "")</p>
            <p>\(t("核验", "Verify"))：<code>credit-etl verify-report &lt;\(t("本文件", "this file"))&gt;</code></p>
            </footer>
            </body></html>

            """
    }

    static func sha256(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in SHA256.hash(data: Array(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A4 pages with margins, the header repeated by tables across pages, no row cut in two.
    static let style = """
        @page { size: A4; margin: 18mm 16mm 20mm; }
        body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", sans-serif; font-size: 10.5pt; color: #111; max-width: 178mm; margin: 0 auto; }
        header { border-bottom: 2px solid #1a3d7c; margin-bottom: 6mm; }
        h1 { text-align: center; letter-spacing: 0.5em; font-size: 20pt; margin: 4mm 0 2mm; }
        h2 { font-size: 12.5pt; color: #1a3d7c; border-left: 4px solid #1a3d7c; padding-left: 2mm; margin: 5mm 0 2mm; }
        .meta, .period { color: #444; font-size: 9.5pt; }
        .subject { display: flex; justify-content: space-between; font-weight: bold; margin: 2mm 0; }
        table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
        th, td { border: 1px solid #999; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
        thead th { background: #e8edf6; }
        table.fields th { width: 32%; background: #f4f6fa; font-weight: normal; }
        thead { display: table-header-group; }
        tr, .none { page-break-inside: avoid; break-inside: avoid; }
        h2 { page-break-after: avoid; break-after: avoid; }
        td.source { font-size: 8pt; color: #555; word-break: break-all; }
        .none { padding: 2mm; background: #f4f6fa; }
        footer { margin-top: 8mm; border-top: 1px solid #999; font-size: 8.5pt; color: #333; }
        code.digest { word-break: break-all; }
        @media screen { body { margin: 8mm auto; } }
        """
}

/// What `verify-report` finds in a report file: what it was built from, its digest, and whether
/// the content between its markers still has that digest (a report edited by hand does not).
public struct ReportFileReading: Sendable {
    public var parameters: SubjectReport.Parameters
    public var digest: String
    /// The digest of the content as the file holds it now.
    public var contentDigest: String
    /// Each section's content by item, to say which changed.
    public var sections: [String: String]

    public enum Problem: Error, CustomStringConvertible {
        case notAReport(String)

        public var description: String {
            switch self {
            case .notAReport(let why): "not a credit report written by credit-etl credit-report: \(why)"
            }
        }
    }

    public init(html: String) throws(Problem) {
        func meta(_ name: String) -> String? {
            guard let start = html.range(of: "<meta name=\"credit-report:\(name)\" content=\""),
                  let end = html[start.upperBound...].firstIndex(of: "\"") else { return nil }
            return String(html[start.upperBound..<end])
        }
        guard let code = meta("code"), let fromText = meta("from"), let toText = meta("to"), let languageText = meta("language"),
              let digest = meta("digest") else { throw .notAReport("its credit-report:* meta tags are missing") }
        guard case .date(let from, _) = CivilDate.parse(fromText), case .date(let to, _) = CivilDate.parse(toText),
              let language = Language(rawValue: languageText) else { throw .notAReport("its period or language does not read") }
        guard let begin = html.range(of: SubjectReportDocument.contentBegin + "\n"),
              let end = html.range(of: SubjectReportDocument.contentEnd, range: begin.upperBound..<html.endIndex) else {
            throw .notAReport("its content markers are missing")
        }
        let content = String(html[begin.upperBound..<end.lowerBound])
        parameters = SubjectReport.Parameters(code: code.replacingOccurrences(of: "&amp;", with: "&"), from: from, to: to,
                                              language: language, unmasked: meta("unmasked") == "true")
        self.digest = digest
        contentDigest = SubjectReportDocument.sha256(content)
        sections = Self.sections(content)
    }

    /// `<section class="item" data-item="…">…</section>` blocks by item.
    static func sections(_ content: String) -> [String: String] {
        var found: [String: String] = [:]
        for block in content.components(separatedBy: "<section class=\"item\" data-item=\"").dropFirst() {
            guard let quote = block.firstIndex(of: "\"") else { continue }
            found[String(block[..<quote])] = block.components(separatedBy: "</section>").first ?? block
        }
        return found
    }
}

/// Whether the archive still gives the report a file holds (`credit-etl verify-report`).
public enum ReportVerification: Sendable {
    /// The archive builds the same content; its state now.
    case same(digest: String, lastRun: Int64?, lastExport: Int64?)
    /// The file's content is not what its digest says: it was changed after it was written.
    case altered(expected: String, found: String)
    /// The archive now builds another report: the sections that differ (item names), or the
    /// registration.
    case differs(sections: [String], digestNow: String)

    public static func verify(html: String, catalog: Catalog, archive: any QueryArchive) throws -> ReportVerification {
        let reading = try ReportFileReading(html: html)
        guard reading.contentDigest == reading.digest else { return .altered(expected: reading.digest, found: reading.contentDigest) }
        let report = try SubjectReport.build(reading.parameters, catalog: catalog, archive: archive)
        let document = SubjectReportDocument(report)
        guard document.digest != reading.digest else {
            return .same(digest: document.digest, lastRun: report.lastRun, lastExport: report.lastExport)
        }
        let now = try ReportFileReading(html: document.html)
        var changed: [String] = []
        let names = Dictionary(report.sections.map { ($0.item, $0.name) }, uniquingKeysWith: { first, _ in first })
        for item in Set(now.sections.keys).union(reading.sections.keys).sorted() where now.sections[item] != reading.sections[item] {
            changed.append(names[item] ?? item)
        }
        if changed.isEmpty { changed.append(reading.parameters.language == .zh ? "登记信息" : "registration") }
        return .differs(sections: changed, digestNow: document.digest)
    }
}
