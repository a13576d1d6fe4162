import CreditCore
import CreditIdentifiers

/// What a rule checks, in the words reviewers and departments read.
public struct RuleDescription: Sendable, Hashable {
    public var id: RuleID
    public var severity: Severity
    /// One line: what the rule checks.
    public var summary: LocalizedText
    /// Why the rule exists, and what the department should do when it fires.
    public var rationale: LocalizedText
    /// How a finding's detail completes the summary, `{}` standing for it (`校验码应为 {}`).
    public var detailTemplate: LocalizedText?

    public init(id: RuleID, severity: Severity, summary: LocalizedText, rationale: LocalizedText,
                detailTemplate: LocalizedText? = nil) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.detailTemplate = detailTemplate
    }

    /// The message for one finding: the summary, with the rule's detail when it has one.
    public func message(for finding: Finding, language: Language) -> String {
        summary.text(language, detail: finding.detail, template: detailTemplate)
    }
}

/// The ids of the rules this module implements.
public enum RuleIDs {
    public static let fieldCount: RuleID = "ROW_FIELD_COUNT"
    public static let required: RuleID = "REQUIRED"
    public static let dateFormat: RuleID = "DATE_FORMAT"
    public static let dateUnpadded: RuleID = "DATE_UNPADDED"
}

extension RuleDescription {
    /// Every rule, by id: the source for reports, feedback and `credit-etl explain`.
    public static let all: [RuleID: RuleDescription] = Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })

    public static func describing(_ id: RuleID) -> RuleDescription? { all[id] }

    static let list: [RuleDescription] = recordRules + IdentifierDefect.allCases.map(RuleDescription.init)

    /// The rules identifier checks report under, one per defect, described by the identifiers module.
    init(_ defect: IdentifierDefect) {
        self.init(id: RuleID(defect.code), severity: defect.severity, summary: defect.summary,
                  rationale: defect.rationale, detailTemplate: defect.detailTemplate)
    }

    static let recordRules: [RuleDescription] = [
        RuleDescription(
            id: HeaderRules.unknownColumn, severity: .warning,
            summary: LocalizedText(zh: "表头含有信息目录中没有的列", en: "The header has a column the catalog does not know"),
            rationale: LocalizedText(
                zh: "该列的值随记录原样保存，但不做校验。如是字段别名，请在信息目录中补充 aliases。",
                en: "Its values are kept with each record, unvalidated. If it is another name for a field, add it to the field's aliases.")),
        RuleDescription(
            id: HeaderRules.repeatedColumn, severity: .warning,
            summary: LocalizedText(zh: "表头中同一字段出现多次", en: "The header names the same field twice"),
            rationale: LocalizedText(
                zh: "只使用第一次出现的列，其余列的值随记录原样保存。",
                en: "The first such column is used; the values of the others are kept with each record.")),
        RuleDescription(
            id: HeaderRules.missingField, severity: .warning,
            summary: LocalizedText(zh: "文件缺少信息目录中的字段", en: "The file lacks a column for a catalog field"),
            rationale: LocalizedText(
                zh: "缺少的字段按空值处理；若为必填项，每条记录都会被判为不合规。",
                en: "Missing fields are treated as empty; when required, every record fails REQUIRED.")),
        RuleDescription(
            id: RuleIDs.fieldCount, severity: .error,
            summary: LocalizedText(zh: "本行字段数与表头不一致", en: "The row has a different number of fields than the header"),
            rationale: LocalizedText(
                zh: "字段错位时无法确定每个值属于哪一列，整行不予入库。请检查分隔符、引号和换行是否正确。",
                en: "When fields are shifted no value can be trusted to belong to its column, so the row is rejected. "
                    + "Check delimiters, quotes and line breaks.")),
        RuleDescription(
            id: RuleIDs.required, severity: .error,
            summary: LocalizedText(zh: "必填项为空", en: "A required field is empty"),
            rationale: LocalizedText(
                zh: "信息目录规定该字段必须填写；\"/\"、\"无\"、\"空\"、\"null\" 等视为空值。请补全后重新报送。",
                en: "The catalog requires this field; \"/\", \"无\", \"空\", \"null\" and the like count as empty. "
                    + "Fill it in and resubmit.")),
        RuleDescription(
            id: RuleIDs.dateFormat, severity: .error,
            summary: LocalizedText(zh: "日期格式错误或日期不存在", en: "The date is not in an accepted format or does not exist"),
            rationale: LocalizedText(
                zh: "接受 YYYY/MM/DD、YYYY-MM-DD、YYYYMMDD、YYYY.MM.DD、YYYY年M月D日，结束日期可填“长期”。两位年份和不存在的日期（如 2 月 30 日）不予接受。",
                en: "Accepted: YYYY/MM/DD, YYYY-MM-DD, YYYYMMDD, YYYY.MM.DD and YYYY年M月D日; end dates may say 长期. "
                    + "Two-digit years and days that do not exist (30 February) are refused.")),
        RuleDescription(
            id: RuleIDs.dateUnpadded, severity: .warning,
            summary: LocalizedText(zh: "日期的月或日未补零", en: "The month or day of the date is not zero-padded"),
            rationale: LocalizedText(
                zh: "国家标准格式为 YYYY/MM/DD。该值已按日期入库，请今后补足两位。",
                en: "The national standard writes YYYY/MM/DD. The value was archived as a date; please pad it in future.")),
    ]
}
