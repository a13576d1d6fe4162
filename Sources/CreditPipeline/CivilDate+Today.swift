import CreditCore
import Foundation

extension CivilDate {
    /// The date it is now in `timeZone` (Asia/Shanghai: the platform's dates are Beijing time).
    public static func today(now: Date = Date(), timeZone: String = "Asia/Shanghai") -> CivilDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CivilDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? .longTerm
    }
}
