import CreditCore

/// The identifier standards credit records use for their subjects and authorities.
public enum IdentifierKind: String, CaseIterable, Sendable, Hashable {
    /// 统一社会信用代码 (GB 32100-2015), 18 characters.
    case uscc
    /// 组织机构代码 (GB 11714-1997), 9 characters, shown as `XXXXXXXX-X`.
    case org
    /// 公民身份号码 (GB 11643-1999), 18 digits (or the legacy 15).
    case id
    /// 工商注册号 (GS 15-2006), 15 digits.
    case regno

    /// The kind a canonical code most plausibly is, judged by its shape and then by which check it
    /// passes: used by `check-code` when no `--kind` is given.
    ///
    /// 18 characters with a letter before the last are USCCs; 18 digits are an ID when the ID
    /// check passes or the USCC check does not; 15 digits are a registration number unless only
    /// the legacy-ID reading is valid; 8–9 characters are organization codes.
    public static func detect(_ code: UnsafeBufferPointer<UInt8>, reference: IdentifierReference,
                              today: CivilDate) -> IdentifierKind {
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        switch code.count {
        case 18:
            guard code[0..<17].allSatisfy(isDigit) else { return .uscc }
            if ResidentID.check(code, reference: reference, today: today).status != .invalid { return .id }
            if USCC.check(code, reference: reference).status != .invalid { return .uscc }
            return .id
        case 15:
            if RegistrationNumber.check(code, reference: reference).status != .invalid { return .regno }
            if ResidentID.check(code, reference: reference, today: today).status != .invalid { return .id }
            return .regno
        case 8, 9: return .org
        default: return code.count > 15 || code.isEmpty ? .uscc : .org
        }
    }
}

extension IdentifierKind {
    /// Checks a canonical code with the validator of this kind.
    public func check(_ code: UnsafeBufferPointer<UInt8>, reference: IdentifierReference = .standard,
                      today: CivilDate) -> CodeCheck {
        switch self {
        case .uscc: USCC.check(code, reference: reference)
        case .org: OrganizationCode.check(code)
        case .id: ResidentID.check(code, reference: reference, today: today)
        case .regno: RegistrationNumber.check(code, reference: reference)
        }
    }

    /// The standard's name, for messages: `统一社会信用代码`.
    public var title: LocalizedText {
        switch self {
        case .uscc: LocalizedText(zh: "统一社会信用代码", en: "unified social credit code")
        case .org: LocalizedText(zh: "组织机构代码", en: "organization code")
        case .id: LocalizedText(zh: "公民身份号码", en: "citizen identity number")
        case .regno: LocalizedText(zh: "工商注册号", en: "registration number")
        }
    }
}
