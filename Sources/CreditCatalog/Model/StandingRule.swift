import CreditCore

/// What a current record of an item says about its subject's standing (信用状况) on a day, as
/// catalog data (`standing:` in an item file): on the 严重失信主体名单, a 失信被执行人, listed as
/// 经营异常, under a penalty still public, an A-grade taxpayer, a 信用承诺 on record.
///
/// Batch 信用核查 (`credit-etl check-subjects`) reports each standing with its basis (the
/// record's department, decision, date and end), so an office can act on it and a reviewer can
/// trace it; the rule says which fields those are and when the standing ends.
///
/// ```yaml
/// standing:
///   kind: adverse
///   name: 列入经营异常名录
///   name_en: On the abnormal operations list
///   decision: lryy
///   date: lrrq
///   ended_by: ycrq        # 移出日期: no longer listed from that day
/// ```
public struct StandingRule: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// Adverse information (不良信息): lists, penalties.
        case adverse
        /// Good standing (守信): an A-grade taxpayer.
        case favourable
        /// Neither: a commitment made (信用承诺), on record.
        case onRecord = "on_record"

        /// The order checks and reports list standings in: adverse first, then favourable, then
        /// what is only on record.
        public var rank: Int {
            switch self {
            case .adverse: 0
            case .favourable: 1
            case .onRecord: 2
            }
        }
    }

    public var kind: Kind
    /// What the check says in Chinese (列入严重失信主体名单) and in English.
    public var name: String
    public var nameEnglish: String?
    /// The field that names the decision (文书号, 案号, 评价年度).
    public var decision: String?
    /// The date the standing runs from (列入日期, 决定日期).
    public var date: String?
    /// The last day the standing holds, inclusive (有效期至).
    public var until: String?
    /// A date field whose value ends the standing on that day (移出日期).
    public var endedBy: String?
    /// How many months from `date` the standing lasts (an A grade: the year after it is published).
    public var months: Int?
    /// Only records whose values meet this count (评价结果 = A).
    public var when: Condition?
    /// The field that says what kind of decision it is (处罚类别), shown with the count.
    public var category: String?
    /// Whether the standing holds only while the record is public under the item's `publication:`
    /// policy (a penalty whose 公示期 ended, or was repaired, is no longer held against its
    /// subject), rather than from its own dates.
    public var whilePublic: Bool
    /// The city indicator the standing is counted in: `serious_dishonest_list` for the item whose
    /// subjects 严重失信主体占比 counts (every adverse standing counts against 无不良信息企业占比).
    public var indicator: Indicator?

    public enum Indicator: String, Sendable, Hashable, CaseIterable {
        case seriousDishonestList = "serious_dishonest_list"
    }

    public init(kind: Kind, name: String, nameEnglish: String? = nil, decision: String? = nil, date: String? = nil,
                until: String? = nil, endedBy: String? = nil, months: Int? = nil, when: Condition? = nil,
                category: String? = nil, whilePublic: Bool = false) {
        self.kind = kind
        self.name = name
        self.nameEnglish = nameEnglish
        self.decision = decision
        self.date = date
        self.until = until
        self.endedBy = endedBy
        self.months = months
        self.when = when
        self.category = category
        self.whilePublic = whilePublic
    }

    /// The fields the rule reads, named by their key in the item file, for the catalog's checks.
    public var fieldsByKey: [(key: String, field: String)] {
        [("decision", decision), ("date", date), ("until", until), ("ended_by", endedBy), ("category", category),
         ("when.field", when?.field)].compactMap { key, field in field.map { (key, $0) } }
    }
}
