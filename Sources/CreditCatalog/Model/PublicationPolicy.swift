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

    /// Where approved repairs come from (a department or 信用中国 sends them as an item of their
    /// own) and how one names the record it ends: an approved repair dated after the period's
    /// minimum ends the publication on its date (527号, NDRC Order No. 58); one that names no
    /// record, or comes before the minimum, is refused with its reason.
    public struct Repair: Sendable, Hashable {
        /// The repairs' item (`credit_repair`) and how a repair names the record.
        public var link: RecordLink
        /// The repair's date field (修复决定日期).
        public var date: String
        /// Only repairs for which this holds end a publication (修复类型 = 终止公示行政处罚信息).
        public var when: Condition?

        public init(link: RecordLink, date: String, when: Condition? = nil) {
            self.link = link
            self.date = date
            self.when = when
        }
    }

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

        /// The objections' item (`objection`) and how an objection names the record.
        public var link: RecordLink
        /// The objection's status field, and which of its values mean open and upheld.
        public var status: String
        public var open: [String]
        public var upheld: [String]
        public var whileOpen: WhileOpen

        public init(link: RecordLink, status: String, open: [String], upheld: [String], whileOpen: WhileOpen) {
            self.link = link
            self.status = status
            self.open = open
            self.upheld = upheld
            self.whileOpen = whileOpen
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

/// Another item whose records name this item's by equal values (a repair or an objection names a
/// penalty by its 文书号 and the subject's code): `match` pairs this item's fields with theirs.
public struct RecordLink: Sendable, Hashable {
    public var item: String
    /// This item's field → the linked item's field that holds the same value.
    public var match: [String: String]

    public init(item: String, match: [String: String]) {
        self.item = item
        self.match = match
    }

    /// This item's fields, in the order both sides join their values.
    public var fields: [String] { match.keys.sorted() }
    /// The linked item's fields, in the same order.
    public var linkedFields: [String] { fields.map { match[$0]! } }

    /// Values in ``fields`` (or ``linkedFields``) order joined into one key; nil when one is empty.
    public static func key(_ values: some Sequence<String?>) -> String? {
        var parts: [String] = []
        for value in values {
            guard let value else { return nil }
            parts.append(value)
        }
        return parts.joined(separator: "\u{1F}")
    }
}
