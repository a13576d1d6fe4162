/// The registration number (工商注册号, GS 15-2006) of market entities before the USCC: the
/// first registering authority's division code, an 8-digit sequence (its first digit tells
/// domestic, foreign or individual business) and an ISO 7064 MOD 11,10 check digit.
public enum RegistrationNumber {
    public static let length = 15

    /// The check digit for the first 14 digits, or nil when one is not a digit.
    ///
    /// MOD 11,10 (GB/T 17710): `P = 10`; per digit `S = (P + a) mod 10` (0 counts as 10),
    /// `P = 2S mod 11`; the check digit is `(11 − P) mod 10`.
    public static func checkDigit(forPrefix prefix: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard prefix.count >= 14 else { return nil }
        var product = 10
        for index in 0..<14 {
            let digit = Int(prefix[index]) - 0x30
            guard digit >= 0, digit <= 9 else { return nil }
            var sum = (product + digit) % 10
            if sum == 0 { sum = 10 }
            product = (2 * sum) % 11
        }
        return UInt8(0x30 + (11 - product) % 10)
    }

    /// Checks a canonical number: 15 digits, the authority's division code, the check digit. A
    /// number with a letter is a known non-standard form, reported as a warning and not checked further.
    public static func check(_ code: UnsafeBufferPointer<UInt8>, reference: IdentifierReference = .standard) -> CodeCheck {
        var result = CodeCheck(kind: .regno, length: code.count)
        if code.isEmpty {
            result.add(.regnoEmpty)
            return result
        }
        guard code.count == length else {
            result.add(.regnoLength)
            return result
        }
        var hasLetter = false
        for index in 0..<length {
            let byte = code[index]
            if ResidentID.isDigit(byte) { continue }
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                hasLetter = true
                continue
            }
            result.position = index + 1
            result.add(.regnoCharset)
            return result
        }
        if hasLetter {
            result.add(.regnoNonstandard)
            return result
        }
        let division = ResidentID.number(code, 0..<6)
        if !reference.divisions.hasValidPrefix(division) {
            result.add(.regnoDivision)
        } else if !reference.divisions.contains(division) {
            result.add(.regnoDivisionUnknown)
        }
        if let expected = checkDigit(forPrefix: code), expected != code[14] {
            result.expectedCheck = expected
            result.add(.regnoCheck)
        }
        return result
    }

    public static func check(_ code: String, reference: IdentifierReference = .standard) -> CodeCheck {
        IdentifierText.canonical(code).withUnsafeBufferPointer { check($0, reference: reference) }
    }
}
