/// Timeliness verdicts (及时率): a record is timely when it was submitted by its deadline, counted
/// in working days on the official calendar; unknown when that cannot be told (no valid decision
/// date, or a year the calendar does not cover). Unknowns are kept apart, never guessed.
public struct TimelinessCounts: Sendable, Hashable, Codable {
    public var timely = 0
    public var late = 0
    public var unknown = 0

    public init(timely: Int = 0, late: Int = 0, unknown: Int = 0) {
        self.timely = timely
        self.late = late
        self.unknown = unknown
    }

    /// 及时率: timely ÷ records with a known verdict.
    public var rate: Ratio { Ratio(timely, of: timely + late) }

    public static func += (lhs: inout TimelinessCounts, rhs: TimelinessCounts) {
        lhs.timely += rhs.timely
        lhs.late += rhs.late
        lhs.unknown += rhs.unknown
    }
}

/// One subject code seen with one name in a file: the raw material of 错码 and 重码 figures.
public struct SubjectSighting: Sendable, Hashable {
    /// The canonical code (half-width, upper case).
    public var code: String
    /// The name folded for comparison (full-width, spaces, letter case and bracket forms ignored).
    public var nameKey: String
    /// The name as submitted (trimmed), for people reviewing conflicts.
    public var name: String
    /// False when the code fails the identifier checks (错码).
    public var isValid: Bool
    /// True when the name is a natural person's (lists for review mask it).
    public var isPersonal: Bool

    public init(code: String, nameKey: String, name: String, isValid: Bool, isPersonal: Bool = false) {
        self.code = code
        self.nameKey = nameKey
        self.name = name
        self.isValid = isValid
        self.isPersonal = isPersonal
    }
}
