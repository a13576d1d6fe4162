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
    /// Credit repairs (信用修复) that end a record's publication early, from another item.
    public var repair: Repair?
    /// Objections (异议) to records, from another item.
    public var objection: Objection?

    /// Where objections come from and what they do: while one is open the record is marked
    /// (异议处理中) or withheld, per the platform's policy (credit-data-standard.md §9a, [U]); an
    /// upheld one takes it down; a rejected one leaves it as it was.
    public struct Objection: Sendable, Hashable {
        public enum WhileOpen: String, Sendable, Hashable {
            /// Still public, marked as disputed.
            case mark
            /// Taken down until the objection is decided.
            case withhold
        }

        public var item: String
        public var match: [(field: String, objectionField: String)]
        /// The objection's status field, and which of its values mean open and upheld.
        public var status: String
        public var open: [String]
        public var upheld: [String]
        public var whileOpen: WhileOpen

        public init(item: String, match: [(field: String, objectionField: String)], status: String, open: [String],
                    upheld: [String], whileOpen: WhileOpen) {
            self.item = item
            self.match = match
            self.status = status
            self.open = open
            self.upheld = upheld
            self.whileOpen = whileOpen
        }

        public static func == (lhs: Objection, rhs: Objection) -> Bool {
            lhs.item == rhs.item && lhs.status == rhs.status && lhs.open == rhs.open && lhs.upheld == rhs.upheld
                && lhs.whileOpen == rhs.whileOpen && lhs.match.map(\.field) == rhs.match.map(\.field)
                && lhs.match.map(\.objectionField) == rhs.match.map(\.objectionField)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(item)
            hasher.combine(status)
            hasher.combine(match.map { $0.field + "=" + $0.objectionField })
        }
    }

    /// Where approved repairs come from (a department or 信用中国 sends them as an item of their
    /// own) and how one names the record it ends: an approved repair dated after the period's
    /// minimum ends the publication on its date (527号, NDRC Order No. 58); one that names no
    /// record, or comes before the minimum, is refused with its reason.
    public struct Repair: Sendable, Hashable {
        /// The repairs' item (`credit_repair`).
        public var item: String
        /// This item's field → the repair item's field that must equal it (文书号, the subject's code).
        public var match: [(field: String, repairField: String)]
        /// The repair's date field (修复决定日期).
        public var date: String
        /// Only repairs for which this holds end a publication (修复类型 = 终止公示行政处罚信息).
        public var when: Condition?

        public init(item: String, match: [(field: String, repairField: String)], date: String, when: Condition? = nil) {
            self.item = item
            self.match = match
            self.date = date
            self.when = when
        }

        public static func == (lhs: Repair, rhs: Repair) -> Bool {
            lhs.item == rhs.item && lhs.date == rhs.date && lhs.when == rhs.when
                && lhs.match.map(\.field) == rhs.match.map(\.field) && lhs.match.map(\.repairField) == rhs.match.map(\.repairField)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(item)
            hasher.combine(date)
            hasher.combine(match.map { $0.field + "=" + $0.repairField })
        }
    }

    public init(from: String, until: String? = nil, periods: [Period] = [], deadlineWorkingDays: Int? = nil,
                source: String? = nil) {
        self.from = from
        self.until = until
        self.periods = periods
        self.deadlineWorkingDays = deadlineWorkingDays
        self.source = source
    }
}
