/// Masks personal data (ID numbers, natural persons' names) before it leaves the archive.
///
/// Reports, feedback files and logs are read by many people; only the restricted archive keeps
/// the full value. The pattern keeps enough to let a department find its own record.
public enum PersonalData {
    /// `330203199001011234` → `3302**********1234`; short values keep one character each end.
    public static func maskIdentifier(_ value: String) -> String {
        let characters = Array(value)
        let keep = characters.count >= 12 ? 4 : (characters.count >= 4 ? 1 : 0)
        guard characters.count > keep * 2 else { return String(repeating: "*", count: characters.count) }
        let hidden = characters.count - keep * 2
        return String(characters.prefix(keep)) + String(repeating: "*", count: hidden) + String(characters.suffix(keep))
    }

    /// `张三` → `张*`, `欧阳娜娜` → `欧***`; free text masked as a name shows at most 8 stars.
    public static func maskName(_ value: String) -> String {
        guard let first = value.first else { return value }
        return String(first) + String(repeating: "*", count: min(max(value.count - 1, 1), 8))
    }
}

extension PersonalData {
    /// How many characters of a value that is not personal a report, a log or a query shows: a
    /// free-text value (违法事实) can begin with a person's name, which no shape gives away.
    public static let shownCharacters = 40

    /// Masks every run of characters shaped like a resident ID number (GB 11643: 18 characters,
    /// 17 digits and a digit or X, or the old 15 digits, with a plausible birth date in its
    /// place), valid or not, wherever it stands in `text`: an ID number sent in a 统一社会信用代码
    /// column or inside a free-text value is masked by what it looks like, not by its column.
    /// All-digit USCCs and registration numbers fail the birth-date shape and stay readable.
    public static func maskingIdentifiers(in text: String) -> String {
        // Most shown values hold no run of 15 digits: they are returned as they are, unscanned.
        var digits = 0, longest = 0
        for byte in text.utf8 {
            digits = byte >= 0x30 && byte <= 0x39 ? digits + 1 : 0
            longest = max(longest, digits)
        }
        guard longest >= 15 else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        var changed = false
        while index < scalars.count {
            guard isDigit(scalars[index]) else {
                output.append(scalars[index])
                index += 1
                continue
            }
            var end = index
            while end < scalars.count, isDigit(scalars[end]) { end += 1 }
            if end - index == 17, end < scalars.count, scalars[end] == "X" || scalars[end] == "x" { end += 1 }
            let run = String(String.UnicodeScalarView(scalars[index..<end]))
            if looksLikeResidentID(Array(run.utf8)) {
                output.append(contentsOf: maskIdentifier(run).unicodeScalars)
                changed = true
            } else {
                output.append(contentsOf: run.unicodeScalars)
            }
            index = end
        }
        return changed ? String(output) : text
    }

    /// A value as reports, logs and query output show it: a personal value masked whole (an ID
    /// number keeps its ends, a name its first character); any other value with the ID numbers it
    /// carries masked and cut to ``shownCharacters``.
    public static func shown(_ value: String, isPersonal: Bool) -> String {
        if isPersonal {
            return value.unicodeScalars.allSatisfy(\.isASCII) ? maskIdentifier(value) : maskName(value)
        }
        let masked = maskingIdentifiers(in: value)
        return masked.count > shownCharacters ? String(masked.prefix(shownCharacters)) + "…" : masked
    }

    /// Whether a name reads as an organization's (宁波某某贸易有限公司, 某某县人民医院, 某某专业合作社):
    /// it ends with a word only organizations are named with. A name that does not (a person's,
    /// or a shop named after one) is masked where the archive cannot say whose it is.
    public static func looksLikeOrganizationName(_ name: String) -> Bool {
        guard name.count >= 4 else { return false }
        return organizationEndings.contains { name.hasSuffix($0) }
    }

    static let organizationEndings = ["公司", "有限公司", "集团", "厂", "合作社", "事务所", "医院", "学校", "大学", "学院",
                                      "中心", "协会", "商会", "银行", "研究院", "研究所", "委员会", "基金会", "分行",
                                      "支行", "分公司", "门市部", "经营部", "商行", "工作室", "俱乐部", "酒店", "宾馆"]

    /// 18 characters (17 digits and a check character) or 15 digits whose birth date is a
    /// plausible calendar date (year 1900–2099, or the 15-digit form's two-digit year).
    public static func looksLikeResidentID(_ bytes: [UInt8]) -> Bool {
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + (Int($1) - 0x30) } }
        let month: Int, day: Int
        switch bytes.count {
        case 18:
            let year = number(6..<10)
            guard (1900...2099).contains(year) else { return false }
            month = number(10..<12)
            day = number(12..<14)
        case 15:
            month = number(8..<10)
            day = number(10..<12)
        default:
            return false
        }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 0x30 && scalar.value <= 0x39 }
}
