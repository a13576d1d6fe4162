import CreditCore

/// The registration authorities (position 1 of a USCC) and their categories (position 2), with
/// the severity policy of credit-data-standard §2.4.
///
/// GB 32100 itself defines only authorities 1, 5, 9 and Y; the rest were allocated later and
/// come from public implementations, so the table is data (`catalogs/reference/uscc-categories.csv`)
/// rather than code, and later additions are only warnings.
public struct USCCCategoryTable: Sendable {
    /// How a pair of positions 1–2 is judged.
    public enum Verdict: UInt8, Sendable {
        /// A pair in the main table.
        case listed
        /// A pair in the extended list (allocated later, unverified): a warning.
        case rare
        /// `99`, or an unlisted category of an authority GB 32100 does not define: a warning.
        case unlisted
        /// An authority that does not exist: an error.
        case unknownAuthority
        /// An unlisted category of an authority GB 32100 defines: an error.
        case unknownCategory
    }

    public struct Entry: Sendable, Hashable {
        public var authority: Character
        public var authorityName: String
        public var category: Character
        public var categoryName: String
        /// `main` or `extended`.
        public var list: String
    }

    public static let columns = ["authority", "authority_name", "category", "category_name", "list", "gb32100"]

    /// `verdicts[a * 31 + c]` for the alphabet values of positions 1 and 2.
    private let verdicts: [Verdict]
    private let entries: [String: Entry]
    private let authorityNames: [Character: String]

    public init(csv text: String, name: String = "uscc-categories.csv") throws(ReferenceError) {
        let table = try ReferenceTable(name: name, text: text, columns: Self.columns)
        var main = Set<Int>(), extended = Set<Int>(), mainAuthorities = Set<Int>(), strict = Set<Int>()
        var entries: [String: Entry] = [:]
        var authorityNames: [Character: String] = [:]
        for (line, fields) in table.rows {
            guard fields[0].count == 1, fields[2].count == 1,
                  let authority = fields[0].utf8.first.flatMap(USCC.value(of:)),
                  let category = fields[2].utf8.first.flatMap(USCC.value(of:))
            else {
                throw ReferenceError(file: name, line: line,
                                     message: "authority and category must each be one character of the USCC alphabet")
            }
            let pair = authority * 31 + category
            switch fields[4] {
            case "main":
                main.insert(pair)
                mainAuthorities.insert(authority)
            case "extended": extended.insert(pair)
            default: throw ReferenceError(file: name, line: line, message: "list must be `main` or `extended`")
            }
            switch fields[5] {
            case "yes": strict.insert(authority)
            case "no": break
            default: throw ReferenceError(file: name, line: line, message: "gb32100 must be `yes` or `no`")
            }
            let key = String(fields[0]) + String(fields[2])
            guard entries[key] == nil else {
                throw ReferenceError(file: name, line: line, message: "the pair \(key) is listed twice")
            }
            entries[key] = Entry(authority: Character(String(fields[0])), authorityName: String(fields[1]),
                                 category: Character(String(fields[2])), categoryName: String(fields[3]),
                                 list: String(fields[4]))
            if fields[4] == "main" || authorityNames[Character(String(fields[0]))] == nil {
                authorityNames[Character(String(fields[0]))] = String(fields[1])
            }
        }
        var verdicts = [Verdict](repeating: .unknownAuthority, count: 31 * 31)
        for authority in 0..<31 {
            for category in 0..<31 {
                let pair = authority * 31 + category
                verdicts[pair] =
                    if extended.contains(pair) { .rare }
                    else if main.contains(pair) { .listed }
                    else if authority == 9, category == 9 { .unlisted }
                    else if !mainAuthorities.contains(authority) { .unknownAuthority }
                    else if strict.contains(authority) { .unknownCategory }
                    else { .unlisted }
            }
        }
        self.verdicts = verdicts
        self.entries = entries
        self.authorityNames = authorityNames
    }

    /// Every pair (`91`, `G1`, …) with the verdict it gets: what the generator draws from.
    public var pairs: [(authority: UInt8, category: UInt8, verdict: Verdict)] {
        (0..<verdicts.count).map { (USCC.alphabet[$0 / 31], USCC.alphabet[$0 % 31], verdicts[$0]) }
    }

    /// The verdict for the alphabet values of positions 1 and 2.
    func verdict(authority: Int, category: Int) -> Verdict {
        verdicts[authority * 31 + category]
    }

    /// The names of a pair, when listed: for explaining a code.
    public func entry(authority: Character, category: Character) -> Entry? {
        entries[String(authority) + String(category)]
    }

    /// The name of an authority listed in either table.
    public func authorityName(_ authority: Character) -> String? { authorityNames[authority] }
}
