import CreditCore

/// One thing wrong with an identifier code, with a stable ``code`` used as the validation rule id.
///
/// Every defect has one severity, so per-rule counts never mix errors and warnings: where the
/// national spec downgrades a check to a warning (an unlisted category of a non-GB 32100
/// authority, a division code missing from every GB/T 2260 list, a legacy pilot code) the
/// downgraded case is its own defect.
public enum IdentifierDefect: Int, CaseIterable, Sendable, Hashable, Comparable {
    // GB 32100 unified social credit code
    case usccEmpty, usccLength, usccCharset, usccPlaceholder
    case usccAuthority, usccCategory, usccCategoryUnlisted, usccRareCategory
    case usccDivision, usccDivisionUnknown
    case usccOrgCodeCheck, usccCheck, usccCheckLegacy
    // GB 11714 organization code
    case orgEmpty, orgLength, orgCharset, orgCheck
    // GB 11643 citizen identity number
    case idEmpty, idLength, idCharset, idDivision, idDivisionUnknown, idBirthDate, idBirthDateEarly, idCheck, idLegacy15
    // GS 15 registration number
    case regnoEmpty, regnoLength, regnoCharset, regnoNonstandard, regnoDivision, regnoDivisionUnknown, regnoCheck

    public static func < (lhs: IdentifierDefect, rhs: IdentifierDefect) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The stable id (`USCC_CHECK`, …) shared with the national spec's result codes where it has one.
    public var code: String {
        switch self {
        case .usccEmpty: "USCC_EMPTY"
        case .usccLength: "USCC_LENGTH"
        case .usccCharset: "USCC_CHARSET"
        case .usccPlaceholder: "USCC_PLACEHOLDER"
        case .usccAuthority: "USCC_DEPT"
        case .usccCategory: "USCC_CATEGORY"
        case .usccCategoryUnlisted: "USCC_CATEGORY_UNLISTED"
        case .usccRareCategory: "USCC_RARE_CATEGORY"
        case .usccDivision: "USCC_DIVISION"
        case .usccDivisionUnknown: "USCC_DIVISION_UNKNOWN"
        case .usccOrgCodeCheck: "USCC_ORGCODE_CHECK"
        case .usccCheck: "USCC_CHECK"
        case .usccCheckLegacy: "USCC_CHECK_LEGACY"
        case .orgEmpty: "ORG_EMPTY"
        case .orgLength: "ORG_LENGTH"
        case .orgCharset: "ORG_CHARSET"
        case .orgCheck: "ORG_CHECK"
        case .idEmpty: "ID_EMPTY"
        case .idLength: "ID_LENGTH"
        case .idCharset: "ID_CHARSET"
        case .idDivision: "ID_DIVISION"
        case .idDivisionUnknown: "ID_DIVISION_UNKNOWN"
        case .idBirthDate: "ID_BIRTHDATE"
        case .idBirthDateEarly: "ID_BIRTHDATE_EARLY"
        case .idCheck: "ID_CHECK"
        case .idLegacy15: "ID_LEGACY15"
        case .regnoEmpty: "REGNO_EMPTY"
        case .regnoLength: "REGNO_LENGTH"
        case .regnoCharset: "REGNO_CHARSET"
        case .regnoNonstandard: "REGNO_NONSTANDARD"
        case .regnoDivision: "REGNO_DIVISION"
        case .regnoDivisionUnknown: "REGNO_DIVISION_UNKNOWN"
        case .regnoCheck: "REGNO_CHECK"
        }
    }

    public var severity: Severity {
        switch self {
        case .usccCategoryUnlisted, .usccRareCategory, .usccDivisionUnknown, .usccCheckLegacy,
             .idDivisionUnknown, .idBirthDateEarly, .idLegacy15,
             .regnoNonstandard, .regnoDivisionUnknown:
            .warning
        default:
            .error
        }
    }

    /// Which kind of code the defect belongs to.
    public var kind: IdentifierKind {
        switch self {
        case .usccEmpty, .usccLength, .usccCharset, .usccPlaceholder, .usccAuthority, .usccCategory,
             .usccCategoryUnlisted, .usccRareCategory, .usccDivision, .usccDivisionUnknown, .usccOrgCodeCheck,
             .usccCheck, .usccCheckLegacy:
            .uscc
        case .orgEmpty, .orgLength, .orgCharset, .orgCheck: .org
        case .idEmpty, .idLength, .idCharset, .idDivision, .idDivisionUnknown, .idBirthDate, .idBirthDateEarly,
             .idCheck, .idLegacy15:
            .id
        case .regnoEmpty, .regnoLength, .regnoCharset, .regnoNonstandard, .regnoDivision, .regnoDivisionUnknown,
             .regnoCheck:
            .regno
        }
    }

    /// The defect whose ``code`` is `code`, if any.
    public init?(code: String) {
        guard let found = IdentifierDefect.allCases.first(where: { $0.code == code }) else { return nil }
        self = found
    }

    var bit: UInt64 { 1 << UInt64(rawValue) }
}
