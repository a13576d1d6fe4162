
/// A period of days a report covers: a month (`2026-11`) or a day (`2026-11-20`). A run belongs
/// to the day its report recorded (its civil date), or for a run never reported, the day it
/// started in China's time (UTC+8, no daylight saving).
public struct ReportPeriod: Sendable, Hashable, CustomStringConvertible {
    public let label: String
    package let first: String
    package let last: String

    /// `2026-11` or `2026-11-20`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        if parts.count == 3 {
            guard let day = Int(parts[2]), (1...31).contains(day) else { return nil }
            first = text
            last = text
        } else {
            first = text + "-01"
            last = text + "-31"
        }
        label = text
    }

    public var description: String { label }
}
