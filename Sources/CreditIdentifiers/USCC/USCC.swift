import CreditCore

/// The unified social credit code (统一社会信用代码, GB 32100-2015): registration authority,
/// category, the authority's division code, a GB 11714 organization code, and a mod-31 check
/// character over the first 17 characters.
///
/// Checks take the canonical form (``IdentifierText/canonical(_:)``: upper case, half-width, no
/// spaces or hyphens). The alphabet is the ten digits and the capitals other than I, O, Z, S, V.
///
/// ```swift
/// USCC.check("91330200MA2EL6266C").status            // .valid
/// USCC.check("91330200MA2EL6266D").detail(for: .usccCheck)  // "C"
/// ```
public enum USCC {
    /// The 31 characters in value order: `0`…`9` are 0…9, `A` is 10, … `Y` is 30.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    public static let length = 18

    /// `00000000000000000X`: filled in for individual businesses that have no code (§7.6).
    public static let placeholder: [UInt8] = Array("00000000000000000X".utf8)

    /// Weights of positions 1…17: 3^(i−1) mod 31.
    static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The capitals in the alphabet, one bit per letter from `A` (bit 0) to `Z`: all but I, O, S, V, Z.
    static let letterMask: UInt32 = 0x01DB_BEFF

    /// The value of `byte` in the alphabet, or -1.
    ///
    /// Computed rather than looked up: a letter's value is 10 plus the number of alphabet letters
    /// before it, one population count. A lazily built table cost a `swift_once` on every access.
    @inline(__always)
    static func rawValue(_ byte: UInt8) -> Int {
        let digit = Int(byte) &- 0x30
        if UInt(bitPattern: digit) < 10 { return digit }
        let letter = Int(byte) &- 0x41
        guard UInt(bitPattern: letter) < 26, letterMask & (1 << UInt32(letter)) != 0 else { return -1 }
        return 10 + (letterMask & ((1 << UInt32(letter)) &- 1)).nonzeroBitCount
    }

    /// The value of `byte` in the alphabet, if it is in it.
    public static func value(of byte: UInt8) -> Int? {
        let value = rawValue(byte)
        return value < 0 ? nil : value
    }

    /// The check character for the first 17 characters, or nil when one is outside the alphabet.
    ///
    /// `C18 = (31 − S mod 31) mod 31`: the outer `mod 31` maps a sum divisible by 31 to `0`,
    /// the case several public validators get wrong.
    public static func checkCharacter(forPrefix prefix: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard prefix.count >= 17 else { return nil }
        var sum = 0
        for index in 0..<17 {
            let value = rawValue(prefix[index])
            if value < 0 { return nil }
            sum += value * weights[index]
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// Checks a canonical code against every rule of credit-data-standard §2.
    ///
    /// Structural defects (length, charset, the placeholder) stop the check, since the parts
    /// cannot be read; otherwise every part is judged and all defects are reported together.
    public static func check(_ code: UnsafeBufferPointer<UInt8>,
                             reference: IdentifierReference = .standard) -> CodeCheck {
        var result = CodeCheck(kind: .uscc, length: code.count)
        if code.isEmpty {
            result.add(.usccEmpty)
            return result
        }
        guard code.count == length else {
            result.add(.usccLength)
            return result
        }
        // One pass in three stretches: positions 1–2 and 9–17 take the alphabet, 3–8 digits only
        // (read as the division code on the way). The weighted sum is kept throughout.
        let authority = rawValue(code[0]), category = rawValue(code[1])
        var sum = 0, division = 0
        var bad = authority < 0 ? 1 : category < 0 ? 2 : 0
        weights.withUnsafeBufferPointer { weights in
            sum = authority + category * 3
            for index in 2..<8 where bad == 0 {
                let digit = Int(code[index]) &- 0x30
                if UInt(bitPattern: digit) >= 10 { bad = index + 1 }
                division = division &* 10 &+ digit
                sum &+= digit &* weights[index]
            }
            for index in 8..<17 where bad == 0 {
                let value = rawValue(code[index])
                if value < 0 { bad = index + 1 }
                sum &+= value &* weights[index]
            }
        }
        if bad == 0, rawValue(code[17]) < 0 { bad = 18 }
        if bad != 0 {
            result.position = bad
            result.add(.usccCharset)
            return result
        }
        if authority == 0, code.elementsEqual(placeholder) {
            result.add(.usccPlaceholder)
            return result
        }

        switch reference.categories.verdict(authority: authority, category: category) {
        case .listed: break
        case .rare: result.add(.usccRareCategory)
        case .unlisted: result.add(.usccCategoryUnlisted)
        case .unknownAuthority: result.add(.usccAuthority)
        case .unknownCategory: result.add(.usccCategory)
        }

        if !reference.divisions.hasValidPrefix(division) {
            result.add(.usccDivision)
        } else if !reference.divisions.contains(division) {
            result.add(.usccDivisionUnknown)
        }

        let embedded = UnsafeBufferPointer(rebasing: code[8..<16])
        if let expected = OrganizationCode.checkCharacter(forBody: embedded), expected != code[16] {
            result.expectedEmbeddedCheck = expected
            result.add(.usccOrgCodeCheck)
        }

        let expected = alphabet[(31 - sum % 31) % 31]
        if expected != code[17] {
            result.expectedCheck = expected
            let isLegacy = !reference.legacyUSCC.isEmpty
                && reference.legacyUSCC.contains(String(decoding: code, as: UTF8.self))
            result.add(isLegacy ? .usccCheckLegacy : .usccCheck)
        }
        return result
    }

    /// Checks `code` after folding it to its canonical form.
    public static func check(_ code: String, reference: IdentifierReference = .standard) -> CodeCheck {
        IdentifierText.canonical(code).withUnsafeBufferPointer { check($0, reference: reference) }
    }
}
