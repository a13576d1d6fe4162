/// One thing a rule found wrong with one record (or with a file's header, `record == nil`).
///
/// Bad records are data, not exceptions: a finding keeps the rule, the field and the offending
/// value so that it can be archived, counted and shown to the department that sent it.
public struct Finding: Sendable, Hashable {
    /// Index of the record in its batch; nil for findings about the file as a whole.
    public var record: Int?
    public var rule: RuleID
    public var severity: Severity
    /// Catalog field id the finding is about, if any.
    public var field: String?
    /// The offending value as received, truncated to ``Finding/maxValueLength`` characters.
    public var value: String?
    /// A rule-specific parameter of the message, such as the expected check character.
    public var detail: String?
    /// True when the value is personal data (an ID number, a natural person's name): reports
    /// and logs mask it; only the restricted archive keeps it whole.
    public var isPersonal: Bool

    /// Values longer than this are cut: findings are for finding the record, not storing it.
    public static let maxValueLength = 64

    public init(record: Int?, rule: RuleID, severity: Severity, field: String? = nil,
                value: String? = nil, detail: String? = nil, isPersonal: Bool = false) {
        self.record = record
        self.rule = rule
        self.severity = severity
        self.field = field
        self.value = value.map { $0.count > Self.maxValueLength ? String($0.prefix(Self.maxValueLength)) + "…" : $0 }
        self.detail = detail
        self.isPersonal = isPersonal
    }
}
