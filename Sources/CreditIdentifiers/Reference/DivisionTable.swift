import CreditCore

/// Every administrative division code (GB/T 2260) in use at any time since 1981, plus `xx01`
/// 市辖区 of each prefecture and `100000` (national level).
///
/// Identifiers keep the division code they were issued under for life, so the check is against
/// the historical union, never the current list: Ningbo's 江东区 (330204, retired 2016) still
/// appears in valid codes.
public struct DivisionTable: Sendable {
    /// One period of a code's life; a code reused with another name has several.
    public struct Entry: Sendable, Hashable {
        public var code: Int
        public var name: String
        public var province: String
        public var prefecture: String
        public var level: String
        /// `current`, `retired` or `renamed`.
        public var status: String
        public var since: Int?
        public var until: Int?
        public var successors: String

        public var isCurrent: Bool { status == "current" }

        /// The name with its province and prefecture: `浙江省宁波市江东区`.
        public var fullName: String {
            var parts = [province]
            if prefecture != province, !prefecture.isEmpty, prefecture != "直辖" { parts.append(prefecture) }
            if name != prefecture, name != province { parts.append(name) }
            return parts.filter { !$0.isEmpty }.joined()
        }
    }

    /// One bit per six-digit code: the hot-path membership test is a shift and a mask.
    private let known: [UInt64]
    /// Two-digit prefixes that open a valid code: the provinces in the table, and 10.
    private let prefixes: [Bool]
    /// Each code's rows of the table, kept as read (substrings of its text): an ``Entry`` is
    /// made when asked for, so loading the table (every command's start) makes no strings.
    private let rows: [Int: [[Substring]]]
    /// Every distinct code, ascending: what the generator draws from.
    public let codes: [Int]

    public static let columns = ["code", "name", "province", "prefecture", "level", "status", "since", "until",
                                 "successors", "origin"]

    /// Reads the table from the text of `catalogs/reference/gbt2260-divisions.csv`.
    public init(csv text: String, name: String = "gbt2260-divisions.csv") throws(ReferenceError) {
        let table = try ReferenceTable(name: name, text: text, columns: Self.columns)
        var known = [UInt64](repeating: 0, count: 1_000_000 / 64 + 1)
        var prefixes = [Bool](repeating: false, count: 100)
        var rows: [Int: [[Substring]]] = [:]
        for (line, fields) in table.rows {
            guard fields[0].utf8.count == 6, let code = Int(fields[0]), code >= 100_000 else {
                throw ReferenceError(file: name, line: line, message: "code `\(fields[0])` is not six digits")
            }
            known[code >> 6] |= 1 << UInt64(code & 63)
            prefixes[code / 10_000] = true
            rows[code, default: []].append(fields)
        }
        self.known = known
        self.prefixes = prefixes
        self.rows = rows
        self.codes = rows.keys.sorted()
    }

    /// The number of distinct codes.
    public var count: Int { rows.count }

    /// True when `code` (six digits as a number) is or ever was a division code.
    public func contains(_ code: Int) -> Bool {
        code >= 0 && code < 1_000_000 && known[code >> 6] & (1 << UInt64(code & 63)) != 0
    }

    /// True when the first two digits of `code` open some division code (a province, or 10).
    public func hasValidPrefix(_ code: Int) -> Bool {
        code >= 0 && code < 1_000_000 && prefixes[code / 10_000]
    }

    /// Every period of `code`'s life, oldest first.
    public func entries(for code: Int) -> [Entry] {
        (rows[code] ?? []).map { fields in
            Entry(code: code, name: String(fields[1]), province: String(fields[2]), prefecture: String(fields[3]),
                  level: String(fields[4]), status: String(fields[5]), since: Int(fields[6]), until: Int(fields[7]),
                  successors: String(fields[8]))
        }
    }

    /// The entry to show for `code`: the one in use, else the latest.
    public func entry(for code: Int) -> Entry? {
        let all = entries(for: code)
        return all.first(where: \.isCurrent) ?? all.max { ($0.until ?? 0) < ($1.until ?? 0) }
    }
}
