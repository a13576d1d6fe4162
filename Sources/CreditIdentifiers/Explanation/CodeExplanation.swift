import CreditCore

/// A code taken apart for a person: each part with its value and what it means, plus the
/// check's verdict. What `credit-etl check-code` prints.
public struct CodeExplanation: Sendable {
    public struct Part: Sendable, Hashable {
        public var label: String
        public var value: String
        public var meaning: String
    }

    public let kind: IdentifierKind
    public let canonical: String
    public let check: CodeCheck
    public let parts: [Part]

    /// Explains a canonical `code` as a `kind`, in `language`.
    public init(_ code: [UInt8], kind: IdentifierKind, reference: IdentifierReference = .standard,
                today: CivilDate, language: Language) {
        self.kind = kind
        canonical = String(decoding: code, as: UTF8.self)
        check = code.withUnsafeBufferPointer { kind.check($0, reference: reference, today: today) }
        var writer = PartWriter(language: language, reference: reference, check: check)
        let structural: Set<IdentifierDefect> = [.usccEmpty, .usccLength, .usccCharset, .usccPlaceholder,
                                                 .orgEmpty, .orgLength, .orgCharset, .idEmpty, .idLength,
                                                 .idCharset, .regnoEmpty, .regnoLength, .regnoCharset,
                                                 .regnoNonstandard]
        if check.defects.allSatisfy({ !structural.contains($0) }) {
            switch kind {
            case .uscc: writer.uscc(code)
            case .org: writer.org(code)
            case .id: writer.residentID(code)
            case .regno: writer.regno(code)
            }
        }
        parts = writer.parts
    }
}

/// Builds the parts of an explanation in one language.
private struct PartWriter {
    let language: Language
    let reference: IdentifierReference
    let check: CodeCheck
    var parts: [CodeExplanation.Part] = []

    func text(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    mutating func add(_ zh: String, _ en: String, _ value: some Collection<UInt8>, _ meaning: String) {
        parts.append(.init(label: text(zh, en), value: String(decoding: value, as: UTF8.self), meaning: meaning))
    }

    func verdict(_ defect: IdentifierDefect) -> String {
        check.has(defect) ? check.message(for: defect, language: language) : text("正确", "correct")
    }

    func division(_ digits: ArraySlice<UInt8>) -> String {
        let code = digits.reduce(0) { $0 * 10 + Int($1 &- 0x30) }
        guard let entry = reference.divisions.entry(for: code) else {
            return reference.divisions.hasValidPrefix(code)
                ? text("不在任何一版 GB/T 2260 中", "in no edition of GB/T 2260")
                : text("不是有效的行政区划码", "not a possible division code")
        }
        if entry.level == "national" { return text("国家级", "national level") }
        let years = "\(entry.since.map(String.init) ?? "")–\(entry.until.map(String.init) ?? "")"
        if entry.isCurrent { return text("\(entry.fullName)（现行）", "\(entry.fullName) (current)") }
        let successor = entry.successors.isEmpty ? "" : text("，现为 \(entry.successors)", "; now \(entry.successors)")
        return text("\(entry.fullName)（历史区划，\(years)\(successor)）",
                    "\(entry.fullName) (historical, \(years)\(successor))")
    }

    mutating func uscc(_ code: [UInt8]) {
        let authority = Character(UnicodeScalar(code[0])), category = Character(UnicodeScalar(code[1]))
        let entry = reference.categories.entry(authority: authority, category: category)
        let authorityName = reference.categories.authorityName(authority) ?? text("未分配", "not allocated")
        add("登记管理部门", "Registration authority", code[0..<1], authorityName)
        var categoryMeaning = entry?.categoryName ?? text("未列入类别表", "not in the category table")
        for defect in [IdentifierDefect.usccCategory, .usccCategoryUnlisted, .usccRareCategory] where check.has(defect) {
            categoryMeaning += text("；", "; ") + check.message(for: defect, language: language)
        }
        add("机构类别", "Category", code[1..<2], categoryMeaning)
        add("登记管理机关行政区划", "Authority's division", code[2..<8], division(code[2..<8]))
        parts.append(.init(label: text("组织机构代码", "Organization code"),
                           value: OrganizationCode.display(code[8..<17]),
                           meaning: check.has(.usccOrgCodeCheck)
                               ? check.message(for: .usccOrgCodeCheck, language: language)
                               : text("校验位正确", "check character correct")))
        let checkDefect: IdentifierDefect = check.has(.usccCheckLegacy) ? .usccCheckLegacy : .usccCheck
        add("校验码", "Check character", code[17..<18], verdict(checkDefect))
    }

    mutating func org(_ code: [UInt8]) {
        add("本体代码", "Body", code[0..<8], text("8 位本体", "8-character body"))
        add("校验码", "Check character", code[8..<9], verdict(.orgCheck))
    }

    mutating func residentID(_ code: [UInt8]) {
        let long = code.count == 18
        add("户籍地行政区划", "Division at issue", code[0..<6], division(code[0..<6]))
        let birth = long ? Array(code[6..<14]) : Array("19".utf8) + code[6..<12]
        add("出生日期", "Birth date", birth,
            check.has(.idBirthDate) ? check.message(for: .idBirthDate, language: language)
                : check.has(.idBirthDateEarly) ? check.message(for: .idBirthDateEarly, language: language)
                : text("日期有效", "a real date"))
        let sequence = long ? code[14..<17] : code[12..<15]
        let odd = ((sequence.last ?? 0x30) - 0x30) % 2 == 1
        add("顺序码", "Sequence", sequence, odd ? text("奇数（男）", "odd (male)") : text("偶数（女）", "even (female)"))
        if long {
            add("校验码", "Check character", code[17..<18], verdict(.idCheck))
        } else if let upgraded = ResidentID.upgrade(code) {
            add("升位后号码", "Upgraded to 18 digits", upgraded, check.message(for: .idLegacy15, language: language))
        }
    }

    mutating func regno(_ code: [UInt8]) {
        add("首次登记机关", "First registering authority", code[0..<6], division(code[0..<6]))
        let type: String =
            switch code[6] {
            case UInt8(ascii: "0")...UInt8(ascii: "3"): text("内资企业", "domestic enterprise")
            case UInt8(ascii: "4")...UInt8(ascii: "5"): text("外资企业", "foreign-invested enterprise")
            default: text("个体工商户", "individual business")
            }
        add("顺序码", "Sequence", code[6..<14], type)
        add("校验位", "Check digit", code[14..<15], verdict(.regnoCheck))
    }
}
