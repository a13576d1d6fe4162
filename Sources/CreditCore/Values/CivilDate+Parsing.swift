/// What a date field held, as far as its format goes (ranges and cross-field rules come later).
public enum DateParseResult: Sendable, Hashable {
    /// A real date. `unpadded` is true when month or day was written with one digit.
    case date(CivilDate, unpadded: Bool)
    /// `长期` or `永久`: no end date; archived as ``CivilDate/longTerm``.
    case longTerm
    /// Not a date in any accepted format, or not a real day.
    case invalid(DateFormatDefect)
}

/// Why a value is not an accepted date.
public enum DateFormatDefect: String, Sendable, Hashable {
    /// Not one of the accepted layouts (`YYYY/MM/DD`, `YYYY-MM-DD`, `YYYYMMDD`, `YYYY.MM.DD`,
    /// `YYYY年M月D日`, optionally followed by a time).
    case layout
    /// The layout is right but the day does not exist (`2026-02-30`, month 13).
    case nonexistentDay
}

extension CivilDate {
    /// Parses the accepted date layouts of the national 双公示 standard from UTF-8 bytes.
    ///
    /// Full-width digits and separators are folded first; a trailing time (`HH:mm[:ss]`) is
    /// dropped; two-digit years are refused because the century cannot be known.
    ///
    /// ```swift
    /// CivilDate.parse("2025/9/26")   // .date(2025-09-26, unpadded: true)
    /// CivilDate.parse("2025年9月26日") // .date(2025-09-26, unpadded: true)
    /// CivilDate.parse("长期")         // .longTerm
    /// ```
    public static func parse(_ value: UnsafeBufferPointer<UInt8>) -> DateParseResult {
        let trimmed = ByteText.trimmed(value)
        if matches(trimmed, at: 0, changqi, whole: true) || matches(trimmed, at: 0, yongjiu, whole: true) {
            return .longTerm
        }
        guard trimmed.count <= 48 else { return .invalid(.layout) }
        // Fold full-width digits and separators into a stack buffer: no allocation per value.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { scratch in
            let length = ByteText.foldFullWidth(trimmed, into: scratch)
            return parseFolded(UnsafeBufferPointer(rebasing: scratch[0..<length]))
        }
    }

    public static func parse(_ text: String) -> DateParseResult {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    private static let changqi: [UInt8] = Array("长期".utf8)
    private static let yongjiu: [UInt8] = Array("永久".utf8)

    private static func parseFolded(_ s: UnsafeBufferPointer<UInt8>) -> DateParseResult {
        var cursor = 0
        func digits(max: Int) -> (value: Int, count: Int) {
            var value = 0, count = 0
            while cursor < s.count, count < max, s[cursor] >= 0x30, s[cursor] <= 0x39 {
                value = value * 10 + Int(s[cursor] - 0x30)
                cursor += 1
                count += 1
            }
            return (value, count)
        }
        let year = digits(max: 8)
        var month: (value: Int, count: Int), day: (value: Int, count: Int)
        if year.count == 8 {
            // YYYYMMDD
            let all = year.value
            month = (all / 100 % 100, 2)
            day = (all % 100, 2)
            let y = all / 10_000
            return finish(year: y, month: month, day: day, rest: cursor, in: s)
        }
        guard year.count == 4, cursor < s.count else { return .invalid(.layout) }
        if s[cursor] == 0xE5, matches(s, at: cursor, nian) {
            cursor += 3
            month = digits(max: 2)
            guard month.count > 0, matches(s, at: cursor, yue) else { return .invalid(.layout) }
            cursor += 3
            day = digits(max: 2)
            guard day.count > 0, matches(s, at: cursor, ri) else { return .invalid(.layout) }
            cursor += 3
            return finish(year: year.value, month: month, day: day, rest: cursor, in: s)
        }
        let separator = s[cursor]
        guard separator == 0x2F || separator == 0x2D || separator == 0x2E else { return .invalid(.layout) }
        cursor += 1
        month = digits(max: 2)
        guard month.count > 0, cursor < s.count, s[cursor] == separator else { return .invalid(.layout) }
        cursor += 1
        day = digits(max: 2)
        guard day.count > 0 else { return .invalid(.layout) }
        return finish(year: year.value, month: month, day: day, rest: cursor, in: s)
    }

    private static func finish(year: Int, month: (value: Int, count: Int), day: (value: Int, count: Int),
                               rest: Int, in s: UnsafeBufferPointer<UInt8>) -> DateParseResult {
        guard rest == s.count || isTimeSuffix(s, from: rest) else { return .invalid(.layout) }
        guard let date = CivilDate(year: year, month: month.value, day: day.value) else {
            return .invalid(.nonexistentDay)
        }
        return .date(date, unpadded: month.count == 1 || day.count == 1)
    }

    /// ` HH:mm`, ` HH:mm:ss`, `THH:mm:ss.fff` and the like: a time we drop.
    private static func isTimeSuffix(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard s[start] == 0x20 || s[start] == 0x54 else { return false }
        var index = start + 1
        while index < s.count, s[index] == 0x20 { index += 1 }
        var groups = 0, groupDigits = 0
        while index < s.count {
            let byte = s[index]
            if byte >= 0x30, byte <= 0x39 {
                groupDigits += 1
                guard groupDigits <= 2 || groups >= 2 else { return false }
            } else if byte == 0x3A, groupDigits > 0, groups < 2 {
                groups += 1
                groupDigits = 0
            } else if byte == 0x2E, groups == 2, groupDigits == 2 {
                groupDigits = 0
            } else {
                return false
            }
            index += 1
        }
        return groups >= 1 && groupDigits > 0
    }

    private static let nian: [UInt8] = Array("年".utf8)
    private static let yue: [UInt8] = Array("月".utf8)
    private static let ri: [UInt8] = Array("日".utf8)

    private static func matches(_ s: UnsafeBufferPointer<UInt8>, at index: Int, _ word: [UInt8],
                                whole: Bool = false) -> Bool {
        guard index + word.count <= s.count, !whole || s.count == word.count else { return false }
        for offset in 0..<word.count where s[index + offset] != word[offset] { return false }
        return true
    }
}
