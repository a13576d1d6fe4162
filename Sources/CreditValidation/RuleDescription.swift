import CreditCore

/// What a rule checks, in the words reviewers and departments read.
public struct RuleDescription: Sendable, Hashable {
    public var id: RuleID
    public var severity: Severity
    /// One line: what the rule checks.
    public var summary: LocalizedText
    /// Why the rule exists, and what the department should do when it fires.
    public var rationale: LocalizedText

    /// The message for one finding: the summary, with the rule's detail when it has one.
    public func message(for finding: Finding, language: Language) -> String {
        let base = summary.text(language)
        guard let detail = finding.detail else { return base }
        switch id {
        case RuleIDs.usccCheck:
            return language == .zh ? "\(base)（校验码应为 \(detail)）" : "\(base) (the check character should be \(detail))"
        default:
            return language == .zh ? "\(base)（\(detail)）" : "\(base) (\(detail))"
        }
    }
}

/// The ids of the rules this module implements.
public enum RuleIDs {
    public static let fieldCount: RuleID = "ROW_FIELD_COUNT"
    public static let required: RuleID = "REQUIRED"
    public static let dateFormat: RuleID = "DATE_FORMAT"
    public static let dateUnpadded: RuleID = "DATE_UNPADDED"
    public static let usccEmpty: RuleID = "USCC_EMPTY"
    public static let usccLength: RuleID = "USCC_LENGTH"
    public static let usccCharset: RuleID = "USCC_CHARSET"
    public static let usccCheck: RuleID = "USCC_CHECK"
}

extension RuleDescription {
    /// Every rule, by id: the source for reports, feedback and `credit-etl explain`.
    public static let all: [RuleID: RuleDescription] = Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })

    public static func describing(_ id: RuleID) -> RuleDescription? { all[id] }

    static let list: [RuleDescription] = [
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
        RuleDescription(
            id: RuleIDs.usccEmpty, severity: .error,
            summary: LocalizedText(zh: "统一社会信用代码为空", en: "The unified social credit code is empty"),
            rationale: LocalizedText(zh: "该代码字段要求填写统一社会信用代码。", en: "This code field requires a unified social credit code.")),
        RuleDescription(
            id: RuleIDs.usccLength, severity: .error,
            summary: LocalizedText(zh: "统一社会信用代码长度不是 18 位", en: "The unified social credit code is not 18 characters long"),
            rationale: LocalizedText(
                zh: "GB 32100 规定统一社会信用代码为 18 位。请核对是否多填、漏填或误填了其他代码。",
                en: "GB 32100 codes have 18 characters. Check for missing or extra characters, or another kind of code.")),
        RuleDescription(
            id: RuleIDs.usccCharset, severity: .error,
            summary: LocalizedText(zh: "统一社会信用代码含有非法字符", en: "The unified social credit code has a character it cannot contain"),
            rationale: LocalizedText(
                zh: "代码只能由数字和除 I、O、Z、S、V 以外的大写字母组成，第 3–8 位为行政区划码（数字）。",
                en: "Codes use digits and capital letters other than I, O, Z, S and V; positions 3–8 are a division code (digits).")),
        RuleDescription(
            id: RuleIDs.usccCheck, severity: .error,
            summary: LocalizedText(zh: "统一社会信用代码校验码错误", en: "The check character of the unified social credit code is wrong"),
            rationale: LocalizedText(
                zh: "第 18 位校验码按 GB 32100 由前 17 位计算得出，不符说明代码有误录。请向主体核实代码。",
                en: "The 18th character is computed from the first 17 (GB 32100); a mismatch means a typing error. "
                    + "Confirm the code with the subject.")),
    ]
}
