/// The stable identifier of a validation rule, such as `USCC_CHECK`.
///
/// Ids are part of the contract with departments and reviewers: they appear in reports,
/// feedback files and `credit-etl explain`, so they never change meaning once published.
public struct RuleID: RawRepresentable, Sendable, Hashable, Codable, Comparable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }
}
