import CreditCore

/// What kind of subject a record is about (行政相对人类别), as the catalog maps department values.
public enum SubjectKind: String, Sendable, Hashable, CaseIterable {
    /// 法人及非法人组织: companies, public bodies, associations.
    case organization
    /// 个体工商户.
    case individualBusiness = "individual_business"
    /// 自然人: personal data.
    case naturalPerson = "natural_person"
}

/// When a conditional rule applies to a record. Conditions are compared on trimmed values;
/// enum values are compared after their code aliases are resolved (`01` → 自然人).
public enum Condition: Sendable, Hashable {
    /// The record's subject is one of these kinds.
    case subject([SubjectKind])
    /// The field (an enum list or text) contains one of these values.
    case contains(field: String, values: [String])
    /// The field equals one of these values.
    case equals(field: String, values: [String])
    /// The field has a value.
    case present(field: String)
    /// The file has no column for the field at all (an older layout).
    case columnAbsent(field: String)

    /// The field the condition reads, if any.
    public var field: String? {
        switch self {
        case .subject: nil
        case .contains(let field, _), .equals(let field, _), .present(let field), .columnAbsent(let field): field
        }
    }
}

/// A check across two date fields of one record (credit-data-standard §7.6).
public struct DateOrderRule: Sendable, Hashable {
    public var earlier: String
    public var later: String
    /// Error (`DATE_ORDER`) or warning (`DATE_ORDER_UNUSUAL`, for orders that are odd but possible).
    public var isError: Bool
    /// Only when this holds (for example 当前状态 = 有效).
    public var when: Condition?

    public init(earlier: String, later: String, isError: Bool = true, when: Condition? = nil) {
        self.earlier = earlier
        self.later = later
        self.isError = isError
        self.when = when
    }
}

/// How an item's timeliness (及时率) is counted: the working days allowed after the decision.
public struct TimelinessRule: Sendable, Hashable {
    /// The date field the deadline counts from.
    public var decisionDate: String
    /// Working days allowed, on the official calendar (7 for 双公示).
    public var workingDays: Int

    public init(decisionDate: String, workingDays: Int) {
        self.decisionDate = decisionDate
        self.workingDays = workingDays
    }
}

/// The fields that identify a record's subject: for 重码 and the subject registry.
public struct SubjectFields: Sendable, Hashable {
    /// The USCC field.
    public var code: String
    /// The subject's name.
    public var name: String
    /// The organization code field (代码_3): must agree with positions 9–17 of the USCC.
    public var orgCode: String?
    /// The registration number field (代码_2): required when an individual business gives the
    /// placeholder USCC.
    public var registration: String?

    public init(code: String, name: String, orgCode: String? = nil, registration: String? = nil) {
        self.code = code
        self.name = name
        self.orgCode = orgCode
        self.registration = registration
    }
}

/// Values of an enum field that a later law introduced: on a decision dated before `since` they
/// are suspicious (`CFLB_BEFORE_LAW`, spec §7.2: the 行政处罚法 revision effective 2021-07-15).
public struct IntroducedValues: Sendable, Hashable {
    public var field: String
    public var values: [String]
    public var since: CivilDate
    /// The date field the decision is dated by.
    public var date: String

    public init(field: String, values: [String], since: CivilDate, date: String) {
        self.field = field
        self.values = values
        self.since = since
        self.date = date
    }
}

/// The publication period (公示期) an end date must respect, counted from another date (spec
/// §7.6: 公示截止期 between 3 months and 3 years after the decision).
public struct PublicationPeriod: Sendable, Hashable {
    public var from: String
    public var until: String
    public var minimumMonths: Int
    public var maximumMonths: Int

    public init(from: String, until: String, minimumMonths: Int, maximumMonths: Int) {
        self.from = from
        self.until = until
        self.minimumMonths = minimumMonths
        self.maximumMonths = maximumMonths
    }
}

/// An amount written in a text field (`罚款人民币5000元`) that must agree with an amount field in
/// 万元 (spec §7.6, `AMOUNT_UNIT_SUSPECT`): the first amount after `keyword` is compared.
public struct AmountInText: Sendable, Hashable {
    public var text: String
    public var amount: String
    public var keyword: String

    public init(text: String, amount: String, keyword: String) {
        self.text = text
        self.amount = amount
        self.keyword = keyword
    }
}

/// The editions of an item's data standard, each in force from a date: a record is checked
/// against the edition in force on its decision date (`date`), so a 2016 decision is not rejected
/// for fields a later edition introduced. A record whose decision date is missing or unreadable
/// is checked against the latest edition.
public struct StandardEditions: Sendable, Hashable {
    /// One edition: the first in force from the beginning, each later one from `since`.
    public struct Edition: Sendable, Hashable {
        /// Plain id (`gb2016`), stored with each file's counts.
        public var id: String
        /// How reports name it (`2016 年版双公示数据标准`).
        public var name: String
        public var nameEnglish: String
        /// The first decision date it applies to; nil for the first edition.
        public var since: CivilDate?
        /// Where its content and date come from, for people maintaining the catalog.
        public var source: String?

        /// The name reports show in `language` (the Chinese one when there is no English one).
        public func name(in language: Language) -> String {
            language == .en && !nameEnglish.isEmpty ? nameEnglish : name
        }

        public init(id: String, name: String, nameEnglish: String = "", since: CivilDate? = nil, source: String? = nil) {
            self.id = id
            self.name = name
            self.nameEnglish = nameEnglish
            self.since = since
            self.source = source
        }
    }

    /// The date field that decides the edition (the decision date).
    public var date: String
    /// Oldest first; `since` strictly increasing.
    public var editions: [Edition]

    public init(date: String, editions: [Edition]) {
        self.date = date
        self.editions = editions
    }

    /// The index of the edition in force on `decided` (the latest for an unknown date).
    public func edition(decidedOn decided: CivilDate?) -> Int {
        guard let decided else { return editions.count - 1 }
        return editions.lastIndex { ($0.since ?? decided) <= decided } ?? 0
    }
}
