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
    public static let requiredWhen: RuleID = "REQUIRED_WHEN"
    public static let forbiddenWhen: RuleID = "FORBIDDEN_WHEN"
    public static let enumValue: RuleID = "ENUM_VALUE"
    public static let enumLegacy: RuleID = "ENUM_LEGACY"
    public static let enumOtherUnstated: RuleID = "ENUM_OTHER_UNSTATED"
    public static let decimalFormat: RuleID = "DECIMAL_FORMAT"
    public static let amountNotPositive: RuleID = "AMOUNT_NOT_POSITIVE"
    public static let amountUnitSuspect: RuleID = "AMOUNT_UNIT_SUSPECT"
    public static let lengthExceeded: RuleID = "LENGTH_EXCEEDED"
    public static let pattern: RuleID = "PATTERN"
    public static let dateOrder: RuleID = "DATE_ORDER"
    public static let dateOrderUnusual: RuleID = "DATE_ORDER_UNUSUAL"
    public static let dateImplausible: RuleID = "DATE_IMPLAUSIBLE"
    public static let dateAfterSubmission: RuleID = "DATE_AFTER_SUBMISSION"
    public static let dateEarly: RuleID = "DATE_EARLY"
    public static let dateLongTermText: RuleID = "DATE_LONG_TERM_TEXT"
    public static let controlCharacter: RuleID = "CONTROL_CHARACTER"
    public static let invalidUTF8: RuleID = "INVALID_UTF8"
    public static let valueBeforeLaw: RuleID = "CFLB_BEFORE_LAW"
    public static let publicationPeriod: RuleID = "PUBLICATION_PERIOD"
    public static let nameLooksLikeOrganization: RuleID = "NAME_LOOKS_LIKE_ORG"
    public static let subjectKindCodeMismatch: RuleID = "LB_CODE_MISMATCH"
    public static let orgCodeMismatch: RuleID = "ORGCODE_MISMATCH"
    public static let authorityCodeUnusual: RuleID = "AUTHORITY_CODE_UNUSUAL"
    public static let placeholderAccepted: RuleID = "USCC_PLACEHOLDER_ACCEPTED"
    public static let placeholderRegistrationMissing: RuleID = "PLACEHOLDER_REGNO_MISSING"
    public static let duplicateRecord: RuleID = "DUP_RECORD"
    public static let usccNameConflict: RuleID = "USCC_NAME_CONFLICT"
    public static let usccNameMismatchRegistry: RuleID = "USCC_NAME_MISMATCH_REGISTRY"
    public static let timelinessLate: RuleID = "TIMELINESS_LATE"
    public static let bareQuote: RuleID = "CSV_BARE_QUOTE"
}

extension RuleDescription {
    /// Every rule, by id: the source for reports, feedback and `credit-etl explain`.
    public static let all: [RuleID: RuleDescription] = Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })

    public static func describing(_ id: RuleID) -> RuleDescription? { all[id] }

    static let list: [RuleDescription] = recordRules + catalogRules + IdentifierDefect.allCases.map(RuleDescription.init)

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
            id: RuleIDs.bareQuote, severity: .warning,
            summary: LocalizedText(zh: "未加引号的值中含有引号，已按原样读取",
                                   en: "A quote inside an unquoted value was read as it is"),
            rationale: LocalizedText(
                zh: "如 12\"、37°36'37.8\"N：电子表格按原样读取这类引号，本平台也按原样读取，但严格的 CSV（RFC 4180）要求给含引号的值加引号并把引号写成两个（\"\"）。请核对该行的值是否完整；如需严格校验，可在报送配置中设置 strict_quotes: true。",
                en: "Such as 12\" or 37°36'37.8\"N: spreadsheets read these quotes as they are, and so does the platform, but strict CSV (RFC 4180) wants such a value quoted and its quotes doubled (\"\"). Check that the line's values are whole; a feed can ask for strict CSV with strict_quotes: true.")),
        RuleDescription(
            id: HeaderRules.fileDateAfterRun, severity: .warning,
            summary: LocalizedText(zh: "文件名中的报送日期晚于本批次日期（按批次日期计）",
                                   en: "The file name's submission date is after the run's (the run's date is used)"),
            rationale: LocalizedText(
                zh: "文件名日期用作报送日期，决定日期晚于它的记录判为错误，及时性也以它为准；晚于实际接收日期的文件名日期会让未来的决定日期通过校验，故按批次日期计算。请核对文件名。",
                en: "The date in a file's name is its submission date: decisions after it are errors and timeliness counts up to it. A date after the file was received would let future decisions pass, so the run's date is used. Check the file's name."),
            detailTemplate: LocalizedText(zh: "按 {detail} 计", en: "taken as {detail}")),
        RuleDescription(
            id: HeaderRules.missingField, severity: .warning,
            summary: LocalizedText(zh: "文件缺少必填或条件必填字段", en: "The file lacks a column for a required field"),
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

    static let catalogRules: [RuleDescription] = [
        RuleDescription(
            id: RuleIDs.requiredWhen, severity: .error,
            summary: LocalizedText(zh: "条件必填项为空", en: "A field required in this case is empty"),
            rationale: LocalizedText(
                zh: "信息目录规定在所示条件下该字段必须填写（如自然人须填证件号码，处罚类别含罚款须填罚款金额）。",
                en: "The catalog requires the field under the condition shown (a natural person's ID number; the fine when 处罚类别 includes 罚款)."),
            detailTemplate: LocalizedText(zh: "条件：{}", en: "when {}")),
        RuleDescription(
            id: RuleIDs.forbiddenWhen, severity: .error,
            summary: LocalizedText(zh: "该类主体不应填写此项", en: "The field must be empty for this kind of subject"),
            rationale: LocalizedText(
                zh: "自然人记录不得填写统一社会信用代码、组织机构代码、法定代表人等法人信息，法人记录不得填写个人证件信息（国家标准主体类别矩阵）；误填会把个人信息公示在法人名下。",
                en: "A natural person's record carries no organization codes or legal representative, and an organization's record no personal ID (the standard's subject matrix); mixing them publishes personal data."),
            detailTemplate: LocalizedText(zh: "条件：{}", en: "when {}")),
        RuleDescription(
            id: RuleIDs.enumValue, severity: .error,
            summary: LocalizedText(zh: "取值不在规定的代码表中", en: "The value is not one of the field's allowed values"),
            rationale: LocalizedText(
                zh: "请使用信息目录列出的取值（或其代码，如 01）；多个取值以分号分隔。“其他”须注明具体内容，如“其他-责令改正”。",
                en: "Use a value the catalog lists (or its code, such as 01); separate several with semicolons. 其他 takes its explanation, as in 其他-责令改正.")),
        RuleDescription(
            id: RuleIDs.enumLegacy, severity: .warning,
            summary: LocalizedText(zh: "使用了旧标准的取值", en: "The value belongs to the old standard"),
            rationale: LocalizedText(
                zh: "该取值来自 2021 年行政处罚法修订前的标准（如“暂扣或者吊销许可证”），仍予接收，请今后按新类别报送。",
                en: "The value comes from the standard before the 2021 revision of the Administrative Penalty Law; it is accepted, please use the new categories.")),
        RuleDescription(
            id: RuleIDs.enumOtherUnstated, severity: .warning,
            summary: LocalizedText(zh: "填写“其他”但未注明具体内容", en: "其他 without saying what it is"),
            rationale: LocalizedText(zh: "国家标准要求“其他”注明具体类别，如“其他-责令改正”。", en: "The standard asks 其他 to name the category, as in 其他-责令改正.")),
        RuleDescription(
            id: RuleIDs.decimalFormat, severity: .error,
            summary: LocalizedText(zh: "金额格式错误", en: "The amount is not a valid number"),
            rationale: LocalizedText(
                zh: "金额以万元为单位，为不小于 0 的数字，小数位数不超过规定位数（万元精确到分为 6 位）。不要带单位或千分位逗号。",
                en: "Amounts are in 万元: a number ≥ 0 with at most the allowed decimals (6, exact to the fen). No units or thousands separators."),
            detailTemplate: LocalizedText(zh: "小数位数应 {}", en: "decimals {}")),
        RuleDescription(
            id: RuleIDs.amountNotPositive, severity: .error,
            summary: LocalizedText(zh: "金额应大于 0", en: "The amount must be greater than 0"),
            rationale: LocalizedText(zh: "处罚类别含罚款等情形时，金额必须大于 0。", en: "When the penalty includes a fine, its amount must be greater than 0.")),
        RuleDescription(
            id: RuleIDs.amountUnitSuspect, severity: .warning,
            summary: LocalizedText(zh: "金额疑似以元为单位填报", en: "The amount looks like it was given in 元, not 万元"),
            rationale: LocalizedText(zh: "罚款金额以万元为单位：该值过大（≥1 亿元），或与处罚内容中写明的金额不一致，请核实单位。",
                                     en: "Fines are in 万元: this value is implausible (≥ 100 million 元) or disagrees with the amount 处罚内容 states; check the unit."),
            detailTemplate: LocalizedText(zh: "处罚内容写明 {}", en: "处罚内容 states {}")),
        RuleDescription(
            id: RuleIDs.lengthExceeded, severity: .warning,
            summary: LocalizedText(zh: "内容超过建议长度", en: "The value is longer than recommended"),
            rationale: LocalizedText(zh: "超长内容可能在上报信用中国时被截断，请精简。", en: "Overlong values may be cut when passed on to 信用中国; please shorten."),
            detailTemplate: LocalizedText(zh: "{} 字", en: "{} characters")),
        RuleDescription(
            id: RuleIDs.pattern, severity: .error,
            summary: LocalizedText(zh: "内容不符合规定格式", en: "The value does not have the required form"),
            rationale: LocalizedText(zh: "信息目录为该字段规定了格式（正则表达式）。", en: "The catalog gives this field a form (a regular expression)."),
            detailTemplate: LocalizedText(zh: "格式 {}", en: "form {}")),
        RuleDescription(
            id: RuleIDs.dateOrder, severity: .error,
            summary: LocalizedText(zh: "日期先后顺序错误", en: "Two dates are in the wrong order"),
            rationale: LocalizedText(zh: "如有效期至不得早于有效期自，处罚有效期不得早于处罚决定日期。", en: "An end date cannot precede its start, nor a validity end its decision."),
            detailTemplate: LocalizedText(zh: "应 {}", en: "expected {}")),
        RuleDescription(
            id: RuleIDs.dateOrderUnusual, severity: .warning,
            summary: LocalizedText(zh: "日期先后顺序异常", en: "Two dates are in an unusual order"),
            rationale: LocalizedText(zh: "如有效期自早于许可决定日期，或有效的许可已过有效期，可能存在，请核实。", en: "Validity starting before the decision, or an expired licence marked valid, is possible but unusual; please check."),
            detailTemplate: LocalizedText(zh: "通常 {}", en: "usually {}")),
        RuleDescription(
            id: RuleIDs.dateImplausible, severity: .error,
            summary: LocalizedText(zh: "日期早于 1949 年 10 月 1 日", en: "The date is before 1 October 1949"),
            rationale: LocalizedText(zh: "该日期不可能出现在本类信息中，多为录入错误。", en: "Such a date cannot occur in this data; it is usually a typing error.")),
        RuleDescription(
            id: RuleIDs.dateAfterSubmission, severity: .error,
            summary: LocalizedText(zh: "决定日期晚于报送日期", en: "The decision date is after the submission date"),
            rationale: LocalizedText(zh: "决定不可能在报送之后作出，请核实日期。", en: "A decision cannot postdate its submission; check the date."),
            detailTemplate: LocalizedText(zh: "报送日期 {}", en: "submitted {}")),
        RuleDescription(
            id: RuleIDs.dateEarly, severity: .warning,
            summary: LocalizedText(zh: "日期早于合理起始日期", en: "The date is earlier than plausible"),
            rationale: LocalizedText(zh: "1990 年以前的决定、有效期等极少进入信用数据（企业成立日期等字段另有规定），请核实。",
                                     en: "Dates before 1990 rarely belong in credit data (fields such as a company's founding date set their own limit); please check."),
            detailTemplate: LocalizedText(zh: "不早于 {}", en: "not before {}")),
        RuleDescription(
            id: RuleIDs.controlCharacter, severity: .error,
            summary: LocalizedText(zh: "内容含控制字符（如 NUL）", en: "The value holds a control character (such as NUL)"),
            rationale: LocalizedText(zh: "控制字符会截断或破坏入库的文本，请检查导出程序；制表符和换行符除外。",
                                     en: "Control characters cut or corrupt stored text; check the export tool. Tabs and line breaks are allowed."),
            detailTemplate: LocalizedText(zh: "第 {} 字节处", en: "at byte {}")),
        RuleDescription(
            id: RuleIDs.invalidUTF8, severity: .error,
            summary: LocalizedText(zh: "内容不是有效的 UTF-8 文本", en: "The value is not valid UTF-8 text"),
            rationale: LocalizedText(zh: "文件中途改变了编码或含有损坏的字节，请以统一的编码（UTF-8 或 GB18030）重新导出。",
                                     en: "The file changes encoding part-way or holds damaged bytes; export it again in one encoding (UTF-8 or GB18030)."),
            detailTemplate: LocalizedText(zh: "第 {} 字节处", en: "at byte {}")),
        RuleDescription(
            id: RuleIDs.dateLongTermText, severity: .warning,
            summary: LocalizedText(zh: "日期以文字“长期”“永久”填报", en: "The date was sent as text (长期/永久)"),
            rationale: LocalizedText(zh: "已按 2099-12-31 入库；标准要求日期字段填写日期，长期有效请填 2099/12/31。",
                                     en: "Archived as 2099-12-31; the standard asks for a date, 2099/12/31 for no end.")),
        RuleDescription(
            id: RuleIDs.valueBeforeLaw, severity: .warning,
            summary: LocalizedText(zh: "处罚类别在决定日期时尚未施行", en: "The category did not exist yet on the decision date"),
            rationale: LocalizedText(zh: "通报批评、降低资质等级、限制开展生产经营活动、责令关闭、限制从业等类别自 2021 年 7 月 15 日修订后的《行政处罚法》施行起才有，请核实类别或决定日期。",
                                     en: "通报批评, 降低资质等级, 限制开展生产经营活动, 责令关闭 and 限制从业 exist since the revised 行政处罚法 took effect on 2021-07-15; check the category or the date."),
            detailTemplate: LocalizedText(zh: "施行日期 {}", en: "in force from {}")),
        RuleDescription(
            id: RuleIDs.publicationPeriod, severity: .warning,
            summary: LocalizedText(zh: "公示截止期不在规定的公示期内", en: "The end of publication is outside the allowed period"),
            rationale: LocalizedText(zh: "信用修复规定的公示期为自决定之日起 3 个月至 3 年，请核实公示截止期。",
                                     en: "Credit-repair rules set 3 months to 3 years of publication from the decision; check the end date."),
            detailTemplate: LocalizedText(zh: "应在 {} 之间", en: "expected within {}")),
        RuleDescription(
            id: RuleIDs.nameLooksLikeOrganization, severity: .warning,
            summary: LocalizedText(zh: "自然人名称疑似为单位名称", en: "A natural person's name looks like an organization's"),
            rationale: LocalizedText(zh: "名称含“公司”“有限”“厂”“店”，请核实行政相对人类别。", en: "The name contains 公司, 有限, 厂 or 店; check the subject kind.")),
        RuleDescription(
            id: RuleIDs.subjectKindCodeMismatch, severity: .warning,
            summary: LocalizedText(zh: "主体类别与统一社会信用代码不一致", en: "The subject kind does not match the code"),
            rationale: LocalizedText(zh: "以 92 开头的代码属于个体工商户；法人记录使用 92 代码、或个体工商户使用非 92 代码，请核实类别。", en: "Codes starting 92 belong to individual businesses; check the kind when they disagree.")),
        RuleDescription(
            id: RuleIDs.orgCodeMismatch, severity: .error,
            summary: LocalizedText(zh: "组织机构代码与统一社会信用代码第 9–17 位不一致", en: "The organization code differs from positions 9–17 of the USCC"),
            rationale: LocalizedText(zh: "统一社会信用代码第 9–17 位即组织机构代码，两者必须一致。", en: "Positions 9–17 of a USCC are the organization code; the two must agree."),
            detailTemplate: LocalizedText(zh: "应为 {}", en: "expected {}")),
        RuleDescription(
            id: RuleIDs.authorityCodeUnusual, severity: .warning,
            summary: LocalizedText(zh: "机关代码不是机构编制部门登记的代码", en: "The authority's code was not issued to a public body"),
            rationale: LocalizedText(zh: "行政机关的代码通常以 1 开头；法律法规授权的组织可能例外，请核实。", en: "Public bodies' codes usually start with 1; organizations authorized by law are the exception. Please check.")),
        RuleDescription(
            id: RuleIDs.placeholderAccepted, severity: .warning,
            summary: LocalizedText(zh: "个体工商户使用了占位代码", en: "An individual business gave the placeholder code"),
            rationale: LocalizedText(zh: "无统一社会信用代码的个体工商户可填 00000000000000000X，此时须填写工商注册号。", en: "An individual business without a code may give 00000000000000000X, and must then give its registration number.")),
        RuleDescription(
            id: RuleIDs.placeholderRegistrationMissing, severity: .error,
            summary: LocalizedText(zh: "使用占位代码时未填写工商注册号", en: "The placeholder code is given without a registration number"),
            rationale: LocalizedText(zh: "占位代码无法识别主体，须以工商注册号识别。", en: "The placeholder identifies nobody; the registration number must.")),
        RuleDescription(
            id: RuleIDs.duplicateRecord, severity: .error,
            summary: LocalizedText(zh: "重复记录", en: "Duplicate record"),
            rationale: LocalizedText(zh: "本批次中已有决定文书号、主体代码和决定日期相同的记录。如为更正，请在更正报送中说明。", en: "This run already has a record with the same decision number, subject code and decision date. Corrections must say so.")),
        RuleDescription(
            id: RuleIDs.usccNameConflict, severity: .warning,
            summary: LocalizedText(zh: "同一统一社会信用代码对应不同名称（重码）", en: "One code with two names (重码)"),
            rationale: LocalizedText(zh: "可能是代码填错，也可能是主体更名；请人工核对。计入重错码率。", en: "Either a wrong code or a renamed subject; please review. Counts in 重错码率."),
            detailTemplate: LocalizedText(zh: "此前名称：{}", en: "earlier named {}")),
        RuleDescription(
            id: RuleIDs.usccNameMismatchRegistry, severity: .warning,
            summary: LocalizedText(zh: "代码与登记名称不一致", en: "The name differs from the registered name of the code"),
            rationale: LocalizedText(zh: "企业登记注册信息中该代码对应的名称与本记录不同，请核对代码或名称。计入重码。", en: "The enterprise registry knows the code under another name; check the code or the name. Counts as 重码."),
            detailTemplate: LocalizedText(zh: "登记名称：{}", en: "registered as {}")),
        RuleDescription(
            id: RuleIDs.timelinessLate, severity: .warning,
            summary: LocalizedText(zh: "报送超过时限", en: "Submitted after the deadline"),
            rationale: LocalizedText(zh: "双公示信息应在决定作出之日起 7 个工作日内报送（按国务院公布的节假日及调休安排计算）。不影响合规率，计入及时率。", en: "双公示 decisions are due within 7 working days (official holidays and 调休 counted). Not a compliance error; counts in 及时率."),
            detailTemplate: LocalizedText(zh: "截止日期 {}", en: "due {}")),
    ]
}
