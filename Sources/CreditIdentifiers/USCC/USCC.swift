/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last
/// one a mod-31 check character over the first 17.
///
/// Checks take the canonical form (upper case, half-width, no spaces); callers fold department
/// input first. The alphabet is the ten digits and the capitals other than I, O, Z, S and V.
public enum USCC {
    /// The 31 characters in value order: `0`…`9` are 0…9, `A` is 10, … `Y` is 30.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    /// Weights of positions 1…17: 3^(i−1) mod 31.
    static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Value of each byte in the alphabet, or -1: a table so the hot loop has no branches on
    /// character ranges.
    static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(value) }
        return table
    }()

    public static let length = 18

    /// The check character for the first 17 characters, or nil when one is outside the alphabet.
    ///
    /// `C18 = (31 − S mod 31) mod 31`: the outer `mod 31` maps a sum divisible by 31 to `0`,
    /// the case several public validators get wrong.
    public static func checkCharacter(forPrefix prefix: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard prefix.count >= 17 else { return nil }
        var sum = 0
        for index in 0..<17 {
            let value = values[Int(prefix[index])]
            if value < 0 { return nil }
            sum += Int(value) * weights[index]
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// Checks a canonical code: length, alphabet, then the check character.
    public static func validate(_ code: UnsafeBufferPointer<UInt8>) -> USCCVerdict {
        if code.isEmpty { return .invalid(.empty) }
        guard code.count == length else { return .invalid(.length(code.count)) }
        for index in 0..<length where values[Int(code[index])] < 0 {
            return .invalid(.charset(position: index + 1))
        }
        // Positions 3–8 are a division code: digits only.
        for index in 2..<8 where code[index] > 0x39 {
            return .invalid(.charset(position: index + 1))
        }
        guard let expected = checkCharacter(forPrefix: code) else { return .invalid(.charset(position: 1)) }
        if expected != code[17] {
            return .invalid(.checkCharacter(expected: Character(Unicode.Scalar(expected))))
        }
        return .valid
    }

    public static func validate(_ code: String) -> USCCVerdict {
        var code = code
        return code.withUTF8 { validate($0) }
    }
}

/// The outcome of checking one code.
public enum USCCVerdict: Sendable, Hashable {
    case valid
    case invalid(USCCDefect)

    public var isValid: Bool { self == .valid }
}

/// What is wrong with a code. Each case has a stable ``code`` used as the rule id.
public enum USCCDefect: Sendable, Hashable {
    case empty
    /// Not 18 characters; carries the length found.
    case length(Int)
    /// A character outside the alphabet (I, O, Z, S, V, lower case, punctuation) at a 1-based position.
    case charset(position: Int)
    /// The 18th character is not the one the first 17 call for.
    case checkCharacter(expected: Character)

    /// The stable defect code (`USCC_CHECK`, …), shared with the national spec's result codes.
    public var code: String {
        switch self {
        case .empty: "USCC_EMPTY"
        case .length: "USCC_LENGTH"
        case .charset: "USCC_CHARSET"
        case .checkCharacter: "USCC_CHECK"
        }
    }
}
