import CreditCore

/// The result of checking one code: the defects found (none when valid), with the details their
/// messages need (the expected check character, the offending position, the length found).
///
/// A fixed-size value: checking a code allocates nothing, whatever it finds.
public struct CodeCheck: Sendable, Hashable {
    /// Whether a code can be used, and whether someone should look at it.
    public enum Status: String, Sendable, Hashable {
        /// No defect at all.
        case valid
        /// Only warnings: the code is accepted and reported.
        case warning
        /// At least one error: the record carrying it is non-compliant.
        case invalid
    }

    public let kind: IdentifierKind
    private(set) var mask: UInt64 = 0
    /// The check character the code should end with (for `*_CHECK` and `USCC_CHECK_LEGACY`).
    public internal(set) var expectedCheck: UInt8 = 0
    /// The check character the embedded organization code (positions 9–17) should end with.
    public internal(set) var expectedEmbeddedCheck: UInt8 = 0
    /// The 1-based position of the first character outside the code's alphabet.
    public internal(set) var position: Int = 0
    /// The length of the canonical code.
    public internal(set) var length: Int = 0

    public init(kind: IdentifierKind, length: Int) {
        self.kind = kind
        self.length = length
    }

    /// Every defect found, in a stable order.
    public var defects: [IdentifierDefect] {
        var found: [IdentifierDefect] = []
        forEachDefect { found.append($0) }
        return found
    }

    /// Calls `body` with each defect found, in a stable order, without allocating.
    public func forEachDefect(_ body: (IdentifierDefect) -> Void) {
        var rest = mask
        while rest != 0 {
            let bit = rest.trailingZeroBitCount
            if let defect = IdentifierDefect(rawValue: bit) { body(defect) }
            rest &= rest - 1
        }
    }

    public func has(_ defect: IdentifierDefect) -> Bool { mask & defect.bit != 0 }

    public var status: Status {
        if mask & IdentifierDefect.errorMask != 0 { return .invalid }
        return mask == 0 ? .valid : .warning
    }

    mutating func add(_ defect: IdentifierDefect) { mask |= defect.bit }
    mutating func remove(_ defect: IdentifierDefect) { mask &= ~defect.bit }

    /// The language-neutral detail a defect's message is completed with, if it takes one.
    public func detail(for defect: IdentifierDefect) -> String? {
        switch defect {
        case .usccCheck, .usccCheckLegacy, .orgCheck, .idCheck, .regnoCheck:
            expectedCheck == 0 ? nil : String(UnicodeScalar(expectedCheck))
        case .usccOrgCodeCheck:
            expectedEmbeddedCheck == 0 ? nil : String(UnicodeScalar(expectedEmbeddedCheck))
        case .usccCharset, .orgCharset, .idCharset, .regnoCharset:
            position == 0 ? nil : String(position)
        case .usccLength, .orgLength, .idLength, .regnoLength:
            String(length)
        default:
            nil
        }
    }

    /// The message for one defect, completed with its detail.
    public func message(for defect: IdentifierDefect, language: Language) -> String {
        defect.message(detail: detail(for: defect), language: language)
    }
}

extension IdentifierDefect {
    /// The bits of every error-severity defect: `status` is one AND away.
    static let errorMask: UInt64 = allCases.reduce(0) { $1.severity == .error ? $0 | $1.bit : $0 }
}
