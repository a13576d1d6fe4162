import CreditCore

extension IdentifierDefect {
    /// One line: what is wrong, in the words departments read.
    public var summary: LocalizedText { texts.summary }

    /// Why it matters and what to do about it.
    public var rationale: LocalizedText { texts.rationale }

    /// How a detail (``CodeCheck/detail(for:)``) is shown, `{}` standing for the value.
    public var detailTemplate: LocalizedText? {
        switch self {
        case .usccCheck, .usccCheckLegacy, .orgCheck, .idCheck, .regnoCheck:
            LocalizedText(zh: "校验码应为 {}", en: "the check character should be {}")
        case .usccOrgCodeCheck:
            LocalizedText(zh: "第 17 位应为 {}", en: "position 17 should be {}")
        case .usccCharset, .orgCharset, .idCharset, .regnoCharset:
            LocalizedText(zh: "第 {} 位", en: "position {}")
        case .usccLength, .orgLength, .idLength, .regnoLength:
            LocalizedText(zh: "实为 {} 位", en: "{} characters found")
        default:
            nil
        }
    }

    /// The summary completed with `detail` when there is one: `统一社会信用代码校验码错误（校验码应为 C）`.
    public func message(detail: String?, language: Language) -> String {
        summary.text(language, detail: detail, template: detailTemplate)
    }

    private var texts: (summary: LocalizedText, rationale: LocalizedText) {
        switch self {
        case .usccEmpty:
            (LocalizedText(zh: "统一社会信用代码为空", en: "The unified social credit code is empty"),
             LocalizedText(zh: "该字段要求填写统一社会信用代码。", en: "This field requires a unified social credit code."))
        case .usccLength:
            (LocalizedText(zh: "统一社会信用代码长度不是 18 位", en: "The unified social credit code is not 18 characters long"),
             LocalizedText(zh: "GB 32100 规定统一社会信用代码为 18 位。请核对是否多填、漏填，或误填了注册号、组织机构代码等其他代码。",
                           en: "GB 32100 codes have 18 characters. Check for missing or extra characters, or another kind of code (registration number, organization code)."))
        case .usccCharset:
            (LocalizedText(zh: "统一社会信用代码含有非法字符", en: "The unified social credit code has a character it cannot contain"),
             LocalizedText(zh: "代码只能由数字和除 I、O、Z、S、V 以外的大写字母组成，第 3–8 位为行政区划码，只能是数字。",
                           en: "Codes use digits and capital letters other than I, O, Z, S and V; positions 3–8 are a division code (digits only)."))
        case .usccPlaceholder:
            (LocalizedText(zh: "统一社会信用代码为占位码 00000000000000000X", en: "The unified social credit code is the placeholder 00000000000000000X"),
             LocalizedText(zh: "占位码不是真实代码。仅无代码的个体工商户可以使用（此时须填写工商注册号），其他情况请填写主体的真实代码。",
                           en: "The placeholder is not a real code. Only an individual business without a code may use it (and must then give its registration number); otherwise give the subject's real code."))
        case .usccAuthority:
            (LocalizedText(zh: "统一社会信用代码第 1 位（登记管理部门代码）不存在", en: "Position 1 of the code (registration authority) does not exist"),
             LocalizedText(zh: "第 1 位只能是 1–9、A、N、Y 等已分配的登记管理部门代码。常见原因是误录或填写了其他代码。",
                           en: "Position 1 must be an allocated registration authority (1–9, A, N, Y…). The usual cause is a typing error or another kind of code."))
        case .usccCategory:
            (LocalizedText(zh: "统一社会信用代码第 2 位（机构类别代码）与登记管理部门不匹配", en: "Position 2 of the code (category) does not exist for its registration authority"),
             LocalizedText(zh: "GB 32100 为机构编制（1）、民政（5）、工商（9）和其他（Y）规定了机构类别，该组合不在其中。请向主体核实代码。",
                           en: "GB 32100 lists the categories of authorities 1, 5, 9 and Y; this pair is not among them. Confirm the code with the subject."))
        case .usccCategoryUnlisted:
            (LocalizedText(zh: "统一社会信用代码的机构类别未在常用类别表中", en: "The category of the code is not in the usual table"),
             LocalizedText(zh: "该登记管理部门的类别表来自公开实现而非国家标准（或为“其他-其他”组合 99），代码可能真实存在，仅作提示。",
                           en: "This authority's categories come from public implementations rather than the standard (or the pair is 99, 其他-其他); the code may be real, so this is a warning."))
        case .usccRareCategory:
            (LocalizedText(zh: "统一社会信用代码属于较少见的新增机构类别", en: "The code has a rarely used, later-allocated category"),
             LocalizedText(zh: "该类别（如村民委员会、境外非政府组织代表机构）为后续新增，未经核实，仅作提示。类别表可在 catalogs/reference/uscc-categories.csv 中维护。",
                           en: "The category (village committees, foreign NGO offices…) was allocated later and is unverified, so this is a warning. The table lives in catalogs/reference/uscc-categories.csv."))
        case .usccDivision:
            (LocalizedText(zh: "统一社会信用代码第 3–8 位不是有效的行政区划码", en: "Positions 3–8 of the code are not a possible division code"),
             LocalizedText(zh: "第 3–8 位为登记管理机关的行政区划码，前两位必须是省级代码（或 10 表示国家级）。",
                           en: "Positions 3–8 are the registration authority's division code; the first two digits must be a province (or 10, national)."))
        case .usccDivisionUnknown:
            (LocalizedText(zh: "统一社会信用代码第 3–8 位不在任何一版行政区划代码中", en: "Positions 3–8 of the code are in no edition of GB/T 2260"),
             LocalizedText(zh: "行政区划码终身不变，已撤销的区划码仍然有效；本代码不在 1981 年以来的任何一版 GB/T 2260 中，请核实。",
                           en: "Division codes are for life, so retired ones stay valid; this one is in no GB/T 2260 list since 1981. Please confirm it."))
        case .usccOrgCodeCheck:
            (LocalizedText(zh: "统一社会信用代码中的组织机构代码（第 9–17 位）校验位错误", en: "The organization code inside the USCC (positions 9–17) has a wrong check character"),
             LocalizedText(zh: "第 9–17 位是 GB 11714 组织机构代码，其第 9 位自带校验位，不符说明代码有误录。请向主体核实代码。",
                           en: "Positions 9–17 are a GB 11714 organization code with its own check character; a mismatch means a typing error. Confirm the code with the subject."))
        case .usccCheck:
            (LocalizedText(zh: "统一社会信用代码校验码错误", en: "The check character of the unified social credit code is wrong"),
             LocalizedText(zh: "第 18 位校验码按 GB 32100 由前 17 位计算得出，不符说明代码有误录。请向主体核实代码。",
                           en: "The 18th character is computed from the first 17 (GB 32100); a mismatch means a typing error. Confirm the code with the subject."))
        case .usccCheckLegacy:
            (LocalizedText(zh: "统一社会信用代码校验码不符，但属于已知的试点历史代码", en: "The check character is wrong, but the code is a known legacy pilot code"),
             LocalizedText(zh: "2015 年试点期间发放的少数代码校验码不符合 GB 32100 但真实有效，已列入 catalogs/reference/uscc-legacy-allowlist.csv，仅作提示。",
                           en: "A few codes issued in the 2015 pilots do not follow GB 32100's check character yet are real; this one is in catalogs/reference/uscc-legacy-allowlist.csv, so it is a warning."))
        case .orgEmpty:
            (LocalizedText(zh: "组织机构代码为空", en: "The organization code is empty"),
             LocalizedText(zh: "该字段要求填写组织机构代码。", en: "This field requires an organization code."))
        case .orgLength:
            (LocalizedText(zh: "组织机构代码长度不是 9 位", en: "The organization code is not 9 characters long"),
             LocalizedText(zh: "GB 11714 组织机构代码为 8 位本体加 1 位校验码，可写作 XXXXXXXX-X。",
                           en: "GB 11714 codes are an 8-character body and a check character, written XXXXXXXX-X."))
        case .orgCharset:
            (LocalizedText(zh: "组织机构代码含有非法字符", en: "The organization code has a character it cannot contain"),
             LocalizedText(zh: "本体只能是数字和大写字母，校验位只能是数字或 X。", en: "The body is digits and capital letters; the check character is a digit or X."))
        case .orgCheck:
            (LocalizedText(zh: "组织机构代码校验码错误", en: "The check character of the organization code is wrong"),
             LocalizedText(zh: "第 9 位按 GB 11714 由前 8 位计算得出，不符说明代码有误录。", en: "The 9th character is computed from the first 8 (GB 11714); a mismatch means a typing error."))
        case .idEmpty:
            (LocalizedText(zh: "身份证号码为空", en: "The citizen identity number is empty"),
             LocalizedText(zh: "该字段要求填写公民身份号码。", en: "This field requires a citizen identity number."))
        case .idLength:
            (LocalizedText(zh: "身份证号码长度不是 18 位（或旧式 15 位）", en: "The identity number is not 18 (or the legacy 15) characters long"),
             LocalizedText(zh: "GB 11643 公民身份号码为 18 位；1999 年以前的 15 位号码可识别并升位。", en: "GB 11643 numbers have 18 characters; the legacy 15-digit form is recognised and upgraded."))
        case .idCharset:
            (LocalizedText(zh: "身份证号码含有非法字符", en: "The identity number has a character it cannot contain"),
             LocalizedText(zh: "前 17 位只能是数字，第 18 位为数字或 X。", en: "The first 17 characters are digits; the 18th is a digit or X."))
        case .idDivision:
            (LocalizedText(zh: "身份证号码前 6 位不是有效的行政区划码", en: "The first six digits of the identity number are not a possible division code"),
             LocalizedText(zh: "前 6 位为首次申领时的户籍地行政区划码，前两位必须是省级代码（港澳台居住证为 81/82/83）。",
                           en: "The first six digits are the division where the number was issued; the first two must be a province (81/82/83 for residence permits)."))
        case .idDivisionUnknown:
            (LocalizedText(zh: "身份证号码前 6 位不在任何一版行政区划代码中", en: "The first six digits of the identity number are in no edition of GB/T 2260"),
             LocalizedText(zh: "号码发放后不随区划调整而变，已撤销的区划码仍然有效；本代码不在 1981 年以来的任何一版 GB/T 2260 中，请核实。",
                           en: "Numbers never change with re-districting, so retired codes stay valid; this one is in no GB/T 2260 list since 1981. Please confirm it."))
        case .idBirthDate:
            (LocalizedText(zh: "身份证号码中的出生日期不存在或晚于今天", en: "The birth date in the identity number does not exist or is in the future"),
             LocalizedText(zh: "第 7–14 位为出生日期 YYYYMMDD，必须是真实存在且不晚于今天的日期。", en: "Characters 7–14 are the birth date YYYYMMDD: a real day, not after today."))
        case .idBirthDateEarly:
            (LocalizedText(zh: "身份证号码中的出生日期早于 1900 年", en: "The birth date in the identity number is before 1900"),
             LocalizedText(zh: "早于 1900 年的出生日期极不可能，请核实。", en: "A birth before 1900 is implausible; please confirm the number."))
        case .idCheck:
            (LocalizedText(zh: "身份证号码校验码错误", en: "The check character of the identity number is wrong"),
             LocalizedText(zh: "第 18 位按 GB 11643（ISO 7064 MOD 11-2）由前 17 位计算得出，不符说明号码有误录。",
                           en: "The 18th character is computed from the first 17 (GB 11643, ISO 7064 MOD 11-2); a mismatch means a typing error."))
        case .idLegacy15:
            (LocalizedText(zh: "身份证号码为旧式 15 位号码", en: "The identity number is in the legacy 15-digit form"),
             LocalizedText(zh: "15 位号码已按规则升为 18 位（插入“19”并计算校验码），原值与升位值均保留。请今后报送 18 位号码。",
                           en: "It was upgraded to 18 digits (19 inserted, check character computed); both forms are kept. Please send 18-digit numbers."))
        case .regnoEmpty:
            (LocalizedText(zh: "工商注册号为空", en: "The registration number is empty"),
             LocalizedText(zh: "该字段要求填写工商注册号。", en: "This field requires a registration number."))
        case .regnoLength:
            (LocalizedText(zh: "工商注册号长度不是 15 位", en: "The registration number is not 15 characters long"),
             LocalizedText(zh: "GS 15 工商注册号为 15 位数字。若主体已换发营业执照，请填写统一社会信用代码。",
                           en: "GS 15 registration numbers have 15 digits. If the subject has a new licence, give its unified social credit code."))
        case .regnoCharset:
            (LocalizedText(zh: "工商注册号含有非法字符", en: "The registration number has a character it cannot contain"),
             LocalizedText(zh: "工商注册号只能由数字组成。", en: "Registration numbers are digits only."))
        case .regnoNonstandard:
            (LocalizedText(zh: "工商注册号含有字母，属非标准号码", en: "The registration number contains a letter (non-standard)"),
             LocalizedText(zh: "个别地区发放过含字母的注册号，无法按 GS 15 校验，仅作提示。", en: "A few regions issued numbers with a letter; they cannot be checked against GS 15, so this is a warning."))
        case .regnoDivision:
            (LocalizedText(zh: "工商注册号前 6 位不是有效的登记机关代码", en: "The first six digits of the registration number are not a possible authority code"),
             LocalizedText(zh: "前 6 位为首次登记机关的行政区划码（100000 为国家级），前两位必须是省级代码。",
                           en: "The first six digits are the first registering authority's division (100000 national); the first two must be a province."))
        case .regnoDivisionUnknown:
            (LocalizedText(zh: "工商注册号前 6 位不在任何一版行政区划代码中", en: "The first six digits of the registration number are in no edition of GB/T 2260"),
             LocalizedText(zh: "该登记机关代码不在 1981 年以来的任何一版 GB/T 2260 中，请核实。", en: "The authority code is in no GB/T 2260 list since 1981. Please confirm it."))
        case .regnoCheck:
            (LocalizedText(zh: "工商注册号校验位错误", en: "The check digit of the registration number is wrong"),
             LocalizedText(zh: "第 15 位按 GS 15（ISO 7064 MOD 11,10）由前 14 位计算得出，不符说明号码有误录。",
                           en: "The 15th digit is computed from the first 14 (GS 15, ISO 7064 MOD 11,10); a mismatch means a typing error."))
        }
    }
}
