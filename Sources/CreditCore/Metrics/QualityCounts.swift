/// The quality figures of one slice of data (a file, or a department × item in a run).
///
/// Counts are accumulated per batch on the side of the data flow and stored in the archive, so
/// that reports are rendered from the archive and any slice can be re-aggregated by adding.
public struct QualityCounts: Sendable, Hashable, Codable {
    /// Records read.
    public var records: Int = 0
    /// Records with no error-severity finding.
    public var compliant: Int = 0
    /// Findings per (rule, severity, field).
    public var findings: [FindingKey: Int] = [:]
    /// Timeliness verdicts (for items with a deadline).
    public var timeliness = TimelinessCounts()
    /// What the records did to the archive's history (new, new versions, unchanged, corrected).
    public var history = HistoryCounts()
    /// Records held to each edition of the item's standard (``ValidationOutcome/editions``),
    /// by edition id; empty for an item with one standard.
    public var editions: [String: Int] = [:]

    public init() {}

    /// Records with at least one error: they go to the rejected records, not the item table.
    public var rejected: Int { records - compliant }

    /// 合规率: records without an error ÷ records.
    public var complianceRate: Ratio { Ratio(compliant, of: records) }

    /// Adds one batch's outcome: its record count, how many were rejected, and its findings.
    public mutating func add(records count: Int, rejected: Int, findings batchFindings: [Finding]) {
        records += count
        compliant += count - rejected
        for finding in batchFindings {
            findings[FindingKey(rule: finding.rule, severity: finding.severity, field: finding.field), default: 0] += 1
        }
    }

    public static func += (lhs: inout QualityCounts, rhs: QualityCounts) {
        lhs.records += rhs.records
        lhs.compliant += rhs.compliant
        lhs.findings.merge(rhs.findings, uniquingKeysWith: +)
        lhs.timeliness += rhs.timeliness
        lhs.history += rhs.history
        lhs.editions.merge(rhs.editions, uniquingKeysWith: +)
    }
}

/// What a finding count is counted by.
public struct FindingKey: Sendable, Hashable, Codable, Comparable {
    public var rule: RuleID
    public var severity: Severity
    public var field: String?

    public init(rule: RuleID, severity: Severity, field: String?) {
        self.rule = rule
        self.severity = severity
        self.field = field
    }

    public static func < (lhs: FindingKey, rhs: FindingKey) -> Bool {
        (lhs.rule, lhs.field ?? "") < (rhs.rule, rhs.field ?? "")
    }
}
