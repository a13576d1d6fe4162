import CreditCore

/// How long an item's records are public (公示) and what ends it, as catalog data
/// (`publication:` in an item file; docs/publication.md cites the rules).
///
/// A record is public from its `from` date (the decision). With `periods`, its publication lasts
/// the longest maximum among the periods that apply to it (a decision mixing categories takes the
/// longest), and a stated end (`until`, 公示截止期) is honoured within that period's bounds; without
/// periods it lasts until the `until` date (有效期至: a licence is public while valid), or for good.
public struct PublicationPolicy: Sendable, Hashable {
    /// One kind of decision and its publication period (527号: 一般失信行为 3 months to 1 year).
    public struct Period: Sendable, Hashable {
        public var name: String
        public var minimumMonths: Int
        public var maximumMonths: Int
        /// Applies when this holds; nil: to every record.
        public var when: Condition?

        public init(name: String, minimumMonths: Int, maximumMonths: Int, when: Condition? = nil) {
            self.name = name
            self.minimumMonths = minimumMonths
            self.maximumMonths = maximumMonths
            self.when = when
        }
    }

    /// The date field the publication counts from (the decision date).
    public var from: String
    /// The last day of publication a record states (公示截止期, 有效期至), inclusive.
    public var until: String?
    public var periods: [Period]
    /// 公示及时率: a record is published on time when its first export is within this many working
    /// days of `from` (7 for 双公示).
    public var deadlineWorkingDays: Int?
    /// Where the numbers come from, for people maintaining the catalog.
    public var source: String?

    public init(from: String, until: String? = nil, periods: [Period] = [], deadlineWorkingDays: Int? = nil,
                source: String? = nil) {
        self.from = from
        self.until = until
        self.periods = periods
        self.deadlineWorkingDays = deadlineWorkingDays
        self.source = source
    }
}
