/// How much a finding weighs: an error makes the record non-compliant and sends it to the
/// rejected records; a warning is reported while the record is still archived as compliant.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case warning
    case error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .warning && rhs == .error
    }
}
