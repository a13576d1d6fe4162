import CreditCore
import Foundation

extension CivilDate {
    /// The date it is now in Beijing time, the platform's dates' time zone.
    ///
    /// China Standard Time has been UTC+8 without daylight saving since 1991, so the day is
    /// arithmetic on the clock: asking ICU for the Asia/Shanghai zone cost every command a few
    /// milliseconds of its start.
    public static func today(now: Date = Date()) -> CivilDate {
        let seconds = Int(now.timeIntervalSince1970.rounded(.down)) + beijingOffset
        return CivilDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// UTC+8, in seconds.
    static let beijingOffset = 8 * 3600
}
