/// Makes valid codes of each kind, and codes carrying exactly one chosen defect: for tests,
/// samples and synthetic data. Seeded, so the same seed always gives the same codes.
///
/// ```swift
/// var generator = CodeGenerator(seed: 42)
/// let good = generator.uscc()                       // passes USCC.check with no defect
/// let bad = generator.code(with: .usccOrgCodeCheck) // fails with that defect and no other
/// ```
public struct CodeGenerator {
    public var random: SplitMix64
    let reference: IdentifierReference
    private let divisions: [Int]
    private let pairsByVerdict: [USCCCategoryTable.Verdict: [(UInt8, UInt8)]]

    public init(seed: UInt64, reference: IdentifierReference = .standard) {
        random = SplitMix64(seed: seed)
        self.reference = reference
        divisions = reference.divisions.codes
        pairsByVerdict = Dictionary(grouping: reference.categories.pairs, by: \.verdict)
            .mapValues { $0.map { ($0.authority, $0.category) } }
    }

    // MARK: Valid codes

    /// A valid USCC: a listed authority/category pair, a division code from the table, a random
    /// organization code with its check character, and the USCC check character.
    public mutating func uscc() -> String {
        String(decoding: usccBytes(pair: pick(.listed), division: divisionCode()), as: UTF8.self)
    }

    /// A valid organization code (9 characters, no hyphen).
    public mutating func org() -> String {
        String(decoding: orgBytes(), as: UTF8.self)
    }

    /// A valid 18-digit identity number born between 1930 and 2010.
    public mutating func residentID() -> String {
        String(decoding: residentIDBytes(), as: UTF8.self)
    }

    /// A valid 15-digit registration number.
    public mutating func regno() -> String {
        String(decoding: regnoBytes(division: divisionCode()), as: UTF8.self)
    }

    /// A valid code of `kind`.
    public mutating func code(of kind: IdentifierKind) -> String {
        switch kind {
        case .uscc: uscc()
        case .org: org()
        case .id: residentID()
        case .regno: regno()
        }
    }

    // MARK: Codes with one defect

    /// A code of `defect.kind` whose check finds `defect` and nothing else; nil only for
    /// ``IdentifierDefect/usccCheckLegacy`` when the allow-list is empty.
    public mutating func code(with defect: IdentifierDefect) -> String? {
        let bytes: [UInt8]
        switch defect {
        case .usccEmpty, .orgEmpty, .idEmpty, .regnoEmpty:
            return ""
        case .usccLength:
            bytes = wrongLength(Array(uscc().utf8), droppingUpTo: 8)
        case .usccCharset:
            let position = int(below: 18)
            bytes = replacing(Array(uscc().utf8), at: position,
                              from: Array(((2..<8).contains(position) ? "ABCXY" : "IOZSV").utf8))
        case .usccPlaceholder:
            bytes = USCC.placeholder
        case .usccAuthority: bytes = usccBytes(pair: pick(.unknownAuthority), division: divisionCode())
        case .usccCategory: bytes = usccBytes(pair: pick(.unknownCategory), division: divisionCode())
        case .usccCategoryUnlisted: bytes = usccBytes(pair: pick(.unlisted), division: divisionCode())
        case .usccRareCategory: bytes = usccBytes(pair: pick(.rare), division: divisionCode())
        case .usccDivision: bytes = usccBytes(pair: pick(.listed), division: impossibleDivision())
        case .usccDivisionUnknown: bytes = usccBytes(pair: pick(.listed), division: unknownDivision())
        case .usccOrgCodeCheck:
            var code = usccBytes(pair: pick(.listed), division: divisionCode())
            code[16] = otherThan(code[16], from: Array("0123456789X".utf8))
            code[17] = code.withUnsafeBufferPointer { USCC.checkCharacter(forPrefix: $0) } ?? 0x30
            bytes = code
        case .usccCheck:
            bytes = replacing(Array(uscc().utf8), at: 17, from: USCC.alphabet)
        case .usccCheckLegacy:
            guard let legacy = reference.legacyUSCC.sorted().first else { return nil }
            bytes = Array(legacy.utf8)
        case .orgLength:
            bytes = wrongLength(orgBytes(), droppingUpTo: 3)
        case .orgCharset:
            bytes = replacing(orgBytes(), at: int(below: 8), from: Array("#*?".utf8))
        case .orgCheck:
            bytes = replacing(orgBytes(), at: 8, from: Array("0123456789X".utf8))
        case .idLength:
            bytes = wrongLength(residentIDBytes(), droppingUpTo: 2)
        case .idCharset:
            bytes = replacing(residentIDBytes(), at: int(below: 17), from: Array("XAB".utf8))
        case .idDivision:
            bytes = residentIDBytes(division: impossibleDivision())
        case .idDivisionUnknown:
            bytes = residentIDBytes(division: unknownDivision())
        case .idBirthDate:
            bytes = residentIDBytes(birth: coin() ? (1985, 2, 30) : (2999, 1, 1))
        case .idBirthDateEarly:
            bytes = residentIDBytes(birth: (1890 + int(below: 10), 1 + int(below: 12), 1 + int(below: 28)))
        case .idCheck:
            bytes = replacing(residentIDBytes(), at: 17, from: Array("0123456789X".utf8))
        case .idLegacy15:
            var code = digits(of: divisionCode(excludingNational: true), count: 6)
            code += digits(of: 30 + int(below: 69), count: 2)
            code += digits(of: 1 + int(below: 12), count: 2)
            code += digits(of: 1 + int(below: 28), count: 2)
            for _ in 0..<3 { code.append(digit()) }
            bytes = code
        case .regnoLength:
            bytes = wrongLength(Array(regno().utf8), droppingUpTo: 5)
        case .regnoCharset:
            bytes = replacing(Array(regno().utf8), at: int(below: 15), from: Array("#/*".utf8))
        case .regnoNonstandard:
            bytes = replacing(Array(regno().utf8), at: 6 + int(below: 8), from: [UInt8(ascii: "A")])
        case .regnoDivision:
            bytes = regnoBytes(division: impossibleDivision())
        case .regnoDivisionUnknown:
            bytes = regnoBytes(division: unknownDivision())
        case .regnoCheck:
            bytes = replacing(Array(regno().utf8), at: 14, from: Array("0123456789".utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Parts

    mutating func usccBytes(pair: (UInt8, UInt8), division: Int) -> [UInt8] {
        var code = [pair.0, pair.1] + digits(of: division, count: 6)
        for _ in 0..<8 { code.append(character(from: USCC.alphabet)) }
        let body = Array(code[8..<16])
        code.append(body.withUnsafeBufferPointer { OrganizationCode.checkCharacter(forBody: $0) } ?? 0x30)
        code.append(code.withUnsafeBufferPointer { USCC.checkCharacter(forPrefix: $0) } ?? 0x30)
        return code
    }

    /// `code` with the character at `position` replaced by a different one from `pool`.
    mutating func replacing(_ code: [UInt8], at position: Int, from pool: [UInt8]) -> [UInt8] {
        var code = code
        code[position] = otherThan(code[position], from: pool)
        return code
    }

    /// `valid` shortened by 1…`droppingUpTo` characters, or lengthened by a digit.
    mutating func wrongLength(_ valid: [UInt8], droppingUpTo limit: Int) -> [UInt8] {
        coin() ? Array(valid.dropLast(1 + int(below: limit))) : valid + [digit()]
    }

    mutating func regnoBytes(division: Int) -> [UInt8] {
        var code = digits(of: division, count: 6)
        for _ in 0..<8 { code.append(digit()) }
        code.append(code.withUnsafeBufferPointer { RegistrationNumber.checkDigit(forPrefix: $0) } ?? 0x30)
        return code
    }

    mutating func orgBytes() -> [UInt8] {
        var code: [UInt8] = []
        let letters = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for _ in 0..<8 { code.append(coin() ? digit() : character(from: letters)) }
        code.append(code.withUnsafeBufferPointer { OrganizationCode.checkCharacter(forBody: $0) } ?? 0x30)
        return code
    }

    mutating func residentIDBytes(division: Int? = nil, birth: (Int, Int, Int)? = nil) -> [UInt8] {
        let date = birth ?? (1930 + int(below: 81), 1 + int(below: 12), 1 + int(below: 28))
        var code = digits(of: division ?? divisionCode(excludingNational: true), count: 6)
        code += digits(of: date.0, count: 4) + digits(of: date.1, count: 2) + digits(of: date.2, count: 2)
        for _ in 0..<3 { code.append(digit()) }
        code.append(code.withUnsafeBufferPointer { ResidentID.checkCharacter(forPrefix: $0) } ?? 0x30)
        return code
    }

    /// A division code from the table (not 100000 when `excludingNational`, for identity numbers).
    mutating func divisionCode(excludingNational: Bool = false) -> Int {
        while true {
            let code = divisions[int(below: divisions.count)]
            if !(excludingNational && code / 10_000 == 10) { return code }
        }
    }

    /// A six-digit code whose first two digits are no province: 00…, 20…, 90…, 99….
    mutating func impossibleDivision() -> Int {
        let prefixes = [0, 20, 30, 40, 90, 99]
        return prefixes[int(below: prefixes.count)] * 10_000 + int(below: 10_000)
    }

    /// A code under a real province that is in no GB/T 2260 list.
    mutating func unknownDivision() -> Int {
        while true {
            let province = divisionCode(excludingNational: true) / 10_000
            let code = province * 10_000 + 9_900 + int(below: 100)
            if !reference.divisions.contains(code) { return code }
        }
    }

    mutating func pick(_ verdict: USCCCategoryTable.Verdict) -> (UInt8, UInt8) {
        let pairs = pairsByVerdict[verdict] ?? []
        return pairs.isEmpty ? (0x39, 0x31) : pairs[int(below: pairs.count)]
    }

    mutating func int(below bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
    mutating func coin() -> Bool { random.next() & 1 == 0 }
    mutating func digit() -> UInt8 { UInt8(0x30 + int(below: 10)) }
    mutating func character(from pool: [UInt8]) -> UInt8 { pool[int(below: pool.count)] }

    mutating func otherThan(_ byte: UInt8, from pool: [UInt8]) -> UInt8 {
        while true {
            let candidate = character(from: pool)
            if candidate != byte { return candidate }
        }
    }

    func digits(of value: Int, count: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0x30, count: count)
        var rest = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            output[index] = UInt8(0x30 + rest % 10)
            rest /= 10
        }
        return output
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64): the same seed gives
/// the same sequence on every platform, which `SystemRandomNumberGenerator` cannot promise.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
