/// How a catalog field's value is read, checked and normalized.
public enum FieldType: Sendable, Hashable {
    /// Free text, trimmed.
    case text
    /// A date in one of the accepted layouts, archived as `YYYY-MM-DD`.
    case date
    /// A decimal number with at most `scale` digits after the point (万元 amounts use 6).
    case decimal(scale: Int)
    /// An identifier code: folded to half-width upper case without spaces before checking.
    case code(CodeKind)
    /// One value from a fixed list.
    case enumeration([String])
    /// Several values from a fixed list, separated by `;`, `；`, `、` or `,`.
    case enumerationList([String])

    /// The spelling used in catalog YAML (`decimal(6)`, `code(uscc)`, …).
    public var spelling: String {
        switch self {
        case .text: "text"
        case .date: "date"
        case .decimal(let scale): "decimal(\(scale))"
        case .code(let kind): "code(\(kind.rawValue))"
        case .enumeration: "enum"
        case .enumerationList: "enum_list"
        }
    }

    /// The spellings catalog authors may use, for error messages.
    public static let spellings = "text, date, decimal(N), code(uscc|org|id|regno|other), enum, enum_list"
}

/// Which identifier standard a code field follows.
public enum CodeKind: String, Sendable, Hashable, CaseIterable {
    /// 统一社会信用代码 (GB 32100).
    case uscc
    /// 组织机构代码 (GB 11714).
    case org
    /// 公民身份号码 (GB 11643).
    case id
    /// 工商注册号 (GS 15).
    case regno
    /// Any other code (tax registration, certificate numbers): folded, not checked.
    case other
}

/// Whether a field holds personal data, which reports and logs must mask.
public enum PersonalDataKind: String, Sendable, Hashable {
    /// Always personal (ID numbers, a legal representative's name).
    case always
    /// Personal when the record's subject is a natural person (the 行政相对人名称 of a 自然人).
    case naturalPerson = "natural_person"
}
