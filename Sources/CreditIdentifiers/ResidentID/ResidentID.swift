import CreditCore

/// The citizen identity number (公民身份号码, GB 11643-1999): a division code, the birth date
/// `YYYYMMDD`, a sequence number (odd for men) and an ISO 7064 MOD 11-2 check character; and the
/// legacy 15-digit form (two-digit year, no check character), recognised and upgraded.
///
/// These numbers are personal data: callers mask them wherever they are shown.
public enum ResidentID {
    /// Weights of positions 1…17: 2^(18−i) mod 11.
    static let weights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// The check character for each weighted sum modulo 11.
    static let checkCharacters: [UInt8] = Array("10X98765432".utf8)
    /// Residence permits of Hong Kong, Macao and Taiwan residents open with 81, 82 and 83; 83 is
    /// no GB/T 2260 province, so it is allowed here explicitly.
    static let permitPrefix = 83

    /// The check character for the first 17 digits, or nil when one is not a digit.
    public static func checkCharacter(forPrefix prefix: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard prefix.count >= 17 else { return nil }
        var sum = 0
        for index in 0..<17 {
            let digit = Int(prefix[index]) - 0x30
            guard digit >= 0, digit <= 9 else { return nil }
            sum += digit * weights[index]
        }
        return checkCharacters[sum % 11]
    }

    /// Checks a canonical number. `today` bounds the birth date, and is passed in so that
    /// results never depend on when they are computed.
    public static func check(_ code: UnsafeBufferPointer<UInt8>, reference: IdentifierReference = .standard,
                             today: CivilDate) -> CodeCheck {
        var result = CodeCheck(kind: .id, length: code.count)
        let digits = code.count == 18 ? 17 : code.count
        switch code.count {
        case 0:
            result.add(.idEmpty)
            return result
        case 15, 18: break
        default:
            result.add(.idLength)
            return result
        }
        for index in 0..<digits where !isDigit(code[index]) {
            result.position = index + 1
            result.add(.idCharset)
            return result
        }
        if code.count == 18, !isDigit(code[17]), code[17] != UInt8(ascii: "X") {
            result.position = 18
            result.add(.idCharset)
            return result
        }

        let division = number(code, 0..<6)
        let prefix = division / 10_000
        if prefix == 10 || !(reference.divisions.hasValidPrefix(division) || prefix == permitPrefix) {
            result.add(.idDivision)
        } else if !reference.divisions.contains(division) {
            result.add(.idDivisionUnknown)
        }

        let birth: CivilDate?
        if code.count == 18 {
            birth = CivilDate(year: number(code, 6..<10), month: number(code, 10..<12), day: number(code, 12..<14))
        } else {
            birth = CivilDate(year: 1900 + number(code, 6..<8), month: number(code, 8..<10), day: number(code, 10..<12))
            result.add(.idLegacy15)
        }
        if let birth, birth <= today {
            if birth.year < 1900 { result.add(.idBirthDateEarly) }
        } else {
            result.add(.idBirthDate)
        }

        if code.count == 18, let expected = checkCharacter(forPrefix: code), expected != code[17] {
            result.expectedCheck = expected
            result.add(.idCheck)
        }
        return result
    }

    public static func check(_ code: String, reference: IdentifierReference = .standard, today: CivilDate) -> CodeCheck {
        IdentifierText.canonical(code).withUnsafeBufferPointer { check($0, reference: reference, today: today) }
    }

    /// The 18-digit form of a legacy 15-digit number: `19` inserted before the two-digit year,
    /// and the check character computed. Nil unless `code` is 15 digits.
    public static func upgrade(_ code: some Collection<UInt8>) -> [UInt8]? {
        guard code.count == 15, code.allSatisfy(isDigit) else { return nil }
        var upgraded = Array(code.prefix(6)) + Array("19".utf8) + Array(code.dropFirst(6))
        guard let check = upgraded.withUnsafeBufferPointer({ checkCharacter(forPrefix: $0) }) else { return nil }
        upgraded.append(check)
        return upgraded
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// The decimal number in `code[range]`, which holds digits only.
    static func number(_ code: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var value = 0
        for index in range { value = value * 10 + Int(code[index] &- 0x30) }
        return value
    }
}
