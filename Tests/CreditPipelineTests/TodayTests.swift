import CreditCore
import CreditPipeline
import Foundation
import Testing
import TestSupport

/// `CivilDate.today` is arithmetic on the clock (UTC+8); Foundation's calendar in the
/// Asia/Shanghai zone says the same day for instants spread over 1992–2100, and around midnight.
@Suite struct TodayTests {
    @Test func theDayIsBeijingsWhateverTheInstant() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        var generator = SeededGenerator(seed: 20_261_207)
        var instants = (0..<2_000).map { _ in Date(timeIntervalSince1970: Double.random(in: 694_224_000...4_102_444_800, using: &generator)) }
        // Either side of midnight in Beijing (16:00 UTC) and in UTC.
        let midnight = Date(timeIntervalSince1970: 1_796_572_800)   // 2026-12-07 00:00 UTC
        instants += [-1, 0, 1].flatMap { [midnight.addingTimeInterval($0), midnight.addingTimeInterval(16 * 3600 + $0)] }
        for instant in instants {
            let parts = calendar.dateComponents([.year, .month, .day], from: instant)
            #expect(CivilDate.today(now: instant) == CivilDate(year: parts.year!, month: parts.month!, day: parts.day!), "\(instant)")
        }
    }
}
