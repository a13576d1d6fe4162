/// The organization code (组织机构代码, GB 11714-1997): an 8-character body of digits and
/// capitals, and a MOD 11 check character, written `XXXXXXXX-X`.
///
/// It is also positions 9–17 of every USCC, which is why ``checkCharacter(forBody:)`` is shared.
public enum OrganizationCode {
    /// Weights of the body's positions 1…8: 2^(9−i) mod 11.
    static let weights: [Int] = [3, 7, 9, 10, 5, 8, 4, 2]

    /// Digits are 0…9 and A…Z are 10…35 (the full Latin alphabet, unlike the USCC's); -1 otherwise.
    @inline(__always)
    static func rawValue(_ byte: UInt8) -> Int {
        let digit = Int(byte) &- 0x30
        if UInt(bitPattern: digit) < 10 { return digit }
        let letter = Int(byte) &- 0x41
        return UInt(bitPattern: letter) < 26 ? letter + 10 : -1
    }

    /// The check character for an 8-character body, or nil when a character is not a digit or a capital.
    ///
    /// `C9 = 11 − (S mod 11)`, written `X` for 10 and `0` for 11: the three branches public
    /// validators disagree on.
    public static func checkCharacter(forBody body: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard body.count >= 8 else { return nil }
        var sum = 0
        let valid = weights.withUnsafeBufferPointer { weights in
            for index in 0..<8 {
                let value = rawValue(body[index])
                if value < 0 { return false }
                sum &+= value &* weights[index]
            }
            return true
        }
        guard valid else { return nil }
        switch 11 - sum % 11 {
        case 10: return UInt8(ascii: "X")
        case 11: return UInt8(ascii: "0")
        case let digit: return UInt8(0x30 + digit)
        }
    }

    /// Checks a canonical code (hyphen already removed): 9 characters, body charset, check character.
    public static func check(_ code: UnsafeBufferPointer<UInt8>) -> CodeCheck {
        var result = CodeCheck(kind: .org, length: code.count)
        if code.isEmpty {
            result.add(.orgEmpty)
            return result
        }
        guard code.count == 9 else {
            result.add(.orgLength)
            return result
        }
        for index in 0..<8 where rawValue(code[index]) < 0 {
            result.position = index + 1
            result.add(.orgCharset)
            return result
        }
        let last = code[8]
        guard (last >= 0x30 && last <= 0x39) || last == UInt8(ascii: "X") else {
            result.position = 9
            result.add(.orgCharset)
            return result
        }
        if let expected = checkCharacter(forBody: code), expected != last {
            result.expectedCheck = expected
            result.add(.orgCheck)
        }
        return result
    }

    public static func check(_ code: String) -> CodeCheck {
        IdentifierText.canonical(code).withUnsafeBufferPointer { check($0) }
    }

    /// The display form `XXXXXXXX-X` of a canonical 9-character code.
    public static func display(_ code: some Collection<UInt8>) -> String {
        guard code.count == 9 else { return String(decoding: code, as: UTF8.self) }
        return String(decoding: code.prefix(8), as: UTF8.self) + "-" + String(decoding: code.suffix(1), as: UTF8.self)
    }
}
