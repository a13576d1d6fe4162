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
    /// The table as read: an ``Entry`` is made from its row when asked for, so loading the table
    /// (every command's start) makes no strings.
    private let table: ReferenceTable
    /// The rows' codes and their row numbers, ordered by code (then row): a code's rows are an
    /// equal range, found by a binary search instead of a dictionary of 7,000 arrays.
    private let sortedCodes: [Int32]
    private let sortedRows: [Int32]
    /// Every distinct code, ascending: what the generator draws from.
    public let codes: [Int]

    public static let columns = ["code", "name", "province", "prefecture", "level", "status", "since", "until",
                                 "successors", "origin"]

    /// Reads the table from the text of `catalogs/reference/gbt2260-divisions.csv`.
    public init(csv text: String, name: String = "gbt2260-divisions.csv") throws(ReferenceError) {
        let table = try ReferenceTable(name: name, text: text, columns: Self.columns)
        var known = [UInt64](repeating: 0, count: 1_000_000 / 64 + 1)
        var prefixes = [Bool](repeating: false, count: 100)
        var pairs: [(code: Int32, row: Int32)] = []
        pairs.reserveCapacity(table.count)
        for row in 0..<table.count {
            let field = table.field(row, 0)
            guard field.utf8.count == 6, let code = Int(field), code >= 100_000 else {
                throw ReferenceError(file: name, line: table.line(row), message: "code `\(field)` is not six digits")
            }
            known[code >> 6] |= 1 << UInt64(code & 63)
            prefixes[code / 10_000] = true
            pairs.append((Int32(code), Int32(row)))
        }
        // The file is kept in code order; sorted here only when it was not.
        if !zip(pairs, pairs.dropFirst()).allSatisfy({ ($0.code, $0.row) < ($1.code, $1.row) }) {
            pairs.sort { ($0.code, $0.row) < ($1.code, $1.row) }
        }
        var codes: [Int] = []
        for pair in pairs where codes.last != Int(pair.code) { codes.append(Int(pair.code)) }
        self.known = known
        self.prefixes = prefixes
        self.table = table
        sortedCodes = pairs.map(\.code)
        sortedRows = pairs.map(\.row)
        self.codes = codes
    }

    /// The number of distinct codes.
    public var count: Int { codes.count }

    /// True when `code` (six digits as a number) is or ever was a division code.
    public func contains(_ code: Int) -> Bool {
        code >= 0 && code < 1_000_000 && known[code >> 6] & (1 << UInt64(code & 63)) != 0
    }

    /// True when the first two digits of `code` open some division code (a province, or 10).
    public func hasValidPrefix(_ code: Int) -> Bool {
        code >= 0 && code < 1_000_000 && prefixes[code / 10_000]
    }

    /// Every period of `code`'s life, in the table's order (oldest first).
    public func entries(for code: Int) -> [Entry] {
        guard contains(code) else { return [] }
        var low = 0, high = sortedCodes.count
        while low < high {
            let middle = (low + high) / 2
            if Int(sortedCodes[middle]) < code { low = middle + 1 } else { high = middle }
        }
        var entries: [Entry] = []
        var index = low
        while index < sortedCodes.count, Int(sortedCodes[index]) == code {
            let row = Int(sortedRows[index])
            let field = { (column: Int) in table.field(row, column) }
            entries.append(Entry(code: code, name: String(field(1)), province: String(field(2)), prefecture: String(field(3)),
                                 level: String(field(4)), status: String(field(5)), since: Int(field(6)), until: Int(field(7)),
                                 successors: String(field(8))))
            index += 1
        }
        return entries
    }

    /// The entry to show for `code`: the one in use, else the latest.
    public func entry(for code: Int) -> Entry? {
        let all = entries(for: code)
        return all.first(where: \.isCurrent) ?? all.max { ($0.until ?? 0) < ($1.until ?? 0) }
    }
}
