/// A calendar date without time or zone, as written in decisions and licences.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Creates a date when `year-month-day` exists on the Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2099-12-31`: the date the national standard uses for 长期 (no end).
    public static let longTerm = CivilDate(uncheckedYear: 2099, month: 12, day: 31)

    init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// ISO 8601 `YYYY-MM-DD`, the form the archive stores.
    public var description: String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(10)
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the ISO form without creating a `String`.
    @inlinable
    public func appendISO(to output: inout [UInt8]) {
        output.append(UInt8(0x30 + year / 1000 % 10))
        output.append(UInt8(0x30 + year / 100 % 10))
        output.append(UInt8(0x30 + year / 10 % 10))
        output.append(UInt8(0x30 + year % 10))
        output.append(0x2D)
        output.append(UInt8(0x30 + month / 10))
        output.append(UInt8(0x30 + month % 10))
        output.append(0x2D)
        output.append(UInt8(0x30 + day / 10))
        output.append(UInt8(0x30 + day % 10))
    }
}
