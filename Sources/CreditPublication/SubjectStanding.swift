import CreditArchive
import CreditCatalog
import CreditCore

/// One standing a subject has on a day (on the 严重失信主体名单, under a penalty still public, an
/// A-grade taxpayer) and its basis: the record that says so, its department, decision and dates,
/// and where it was read from (file and line), so a check's answer can be traced and disputed.
public struct SubjectStanding: Sendable, Hashable, Encodable {
    public var item: String
    public var kind: StandingRule.Kind
    /// The standing as the catalog names it (列入严重失信主体名单).
    public var name: String
    public var department: String
    public var decision: String?
    /// The day it runs from and its last day (inclusive); nil: no end stated.
    public var date: String?
    public var until: String?
    public var category: String?
    /// Public, but an objection to it is open (异议处理中).
    public var disputed: Bool
    public var path: String
    public var line: Int
}

/// Which standings a subject's current records give it on a day, by the items' `standing:` rules.
///
/// A standing the catalog holds only while public (`while_public`: a penalty, the 严重失信 list)
/// is decided by the item's publication rules on the day: its window, withdrawals, credit repairs
/// and objections, as `publish` would decide them, so the answer does not wait for the next
/// export. Others run from their date to their end (`until`, `months`, `ended_by`).
public struct StandingEvaluator {
    public let day: CivilDate
    private var rules: [String: PublicationRule] = [:]
    private var repairs: [String: [String: PublicationPlan.RepairRecord]] = [:]
    private var objections: [String: [String: ObjectionState]] = [:]

    /// Reads the repairs and objections of every item held while public, once.
    public init(catalog: Catalog, archive: any PublicationArchive, on day: CivilDate) throws(ArchiveError) {
        self.day = day
        for item in catalog.items.values where item.standing?.whilePublic == true {
            guard let rule = PublicationRule(item: item) else { continue }
            rules[item.id] = rule
            repairs[item.id] = try PublicationPlan.repairs(for: rule, catalog: catalog, archive: archive, on: day)
            objections[item.id] = try PublicationPlan.objections(for: rule, catalog: catalog, archive: archive)
        }
    }

    /// The fields of `item` a standing is shown with: what ``spanFields(of:)`` judges it by, the
    /// subject's name and ID numbers, and the standing's decision and category.
    public static func fields(of item: CatalogItem) -> [String] {
        let shown = [item.standing?.decision, item.standing?.category].compactMap { $0 }
        var seen = Set<String>()
        return (SubjectLookup.columns(of: item) + spanFields(of: item) + shown).filter { seen.insert($0).inserted }
    }

    /// The fields a standing is judged by (``Judge/span(of:)``), with the subject's code and kind:
    /// what the city indicators select from millions of records (no names, no decisions).
    public static func spanFields(of item: CatalogItem) -> [String] {
        var fields = [item.subject?.code, item.subjectKindField].compactMap { $0 }
        if let standing = item.standing {
            fields += [standing.date, standing.until, standing.endedBy, standing.when?.field].compactMap { $0 }
            if standing.whilePublic, let rule = PublicationRule(item: item) { fields += rule.fields }
        }
        var seen = Set<String>()
        return fields.filter { seen.insert($0).inserted }
    }

    /// The date field and the earliest day a record of `item` must be dated to hold on `first` or
    /// any day after it, when its rule bounds how long a standing lasts: a penalty is public at
    /// most its longest period after its decision (repairs only shorten it), an A grade `months`
    /// after its date. Nil when a standing may last for good (a list entry until 长期).
    public static func earliestStart(of item: CatalogItem, holdingOn first: CivilDate) -> (field: String, day: CivilDate)? {
        guard let rule = item.standing else { return nil }
        if rule.whilePublic {
            guard let policy = item.publication, !policy.periods.isEmpty,
                  let longest = policy.periods.map(\.maximumMonths).max() else { return nil }
            return (policy.from, first.adding(months: -longest))
        }
        guard let months = rule.months, let date = rule.date, rule.until == nil else { return nil }
        return (date, first.adding(months: -months))
    }

    /// When `record`'s standing holds (``Judge/span(of:)``); nil when it holds on no day.
    public func span(of record: StoredRecord, item: CatalogItem) -> StandingSpan? {
        judge(for: item)?.span(of: record)
    }

    /// What judges `item`'s records on the day, its rules and the repairs and objections that name
    /// them looked up once: a check or the city indicators judge many records of one item.
    public func judge(for item: CatalogItem) -> Judge? {
        guard let rule = item.standing else { return nil }
        return Judge(item: item.id, day: day, rule: rule, publication: rule.whilePublic ? rules[item.id] : nil,
                     repairs: repairs[item.id] ?? [:], objections: objections[item.id] ?? [:])
    }

    public struct Judge {
        let item: String
        let day: CivilDate
        let rule: StandingRule
        let publication: PublicationRule?
        let repairs: [String: PublicationPlan.RepairRecord]
        let objections: [String: ObjectionState]

        /// The standing `record` gives its subject on the day, with its basis; nil when it gives none.
        public func standing(of record: StoredRecord) -> SubjectStanding? {
            guard let span = span(of: record), span.contains(day) else { return nil }
            var date = span.from?.description
            if date == nil, let text = rule.date.flatMap(record.value), case .date(let parsed, _) = CivilDate.parse(text) {
                date = parsed.description
            }
            return SubjectStanding(item: item, kind: rule.kind, name: rule.name, department: record.department,
                                   decision: rule.decision.flatMap(record.value), date: date,
                                   until: span.end?.adding(days: -1).description, category: rule.category.flatMap(record.value),
                                   disputed: span.disputed, path: record.path, line: record.line)
        }

        /// When `record`'s standing holds: from its first day to the day it ends (exclusive),
        /// judged once whatever the day asked about, so the city indicators' trend reads each
        /// record once. A repair ends it on its date, so a repair after an earlier day leaves that
        /// day as it was; objections are taken as they stand now.
        public func span(of record: StoredRecord) -> StandingSpan? {
            guard record.current, record.accepted, !record.withdrawn else { return nil }
            let value = record.value
            func date(_ field: String?) -> CivilDate? {
                guard let field, let text = value(field), case .date(let date, _) = CivilDate.parse(text) else { return nil }
                return date
            }
            if let condition = rule.when, !PublicationRule.holds(condition, value) { return nil }
            if let publication {
                let ordered = publication.fields.map(value)
                guard let window = publication.window(ordered) else { return nil }
                var end = window.until
                // Keys are joined only where there is something to look up (most archives have few
                // repairs and objections against millions of records).
                if !repairs.isEmpty, let key = publication.key(ordered, for: publication.policy.repair?.link),
                   let repair = repairs[key], repair.date >= window.earliestEnd {
                    end = end.map { min($0, repair.date) } ?? repair.date
                }
                var disputed = false
                switch objections.isEmpty ? nil : publication.key(ordered, for: publication.policy.objection?.link).flatMap({ objections[$0] }) {
                case .upheld?: return nil
                case .open?:
                    if publication.policy.objection?.whileOpen == .withhold { return nil }
                    disputed = true
                case nil: break
                }
                return StandingSpan(from: window.from, end: end, disputed: disputed)
            }
            let start = date(rule.date)
            var end = date(rule.until).map { $0.adding(days: 1) }
            if let months = rule.months, let start {
                let lapse = start.adding(months: months)
                end = end.map { min($0, lapse) } ?? lapse
            }
            if let ended = date(rule.endedBy) { end = end.map { min($0, ended) } ?? ended }
            return StandingSpan(from: start, end: end, disputed: false)
        }
    }
}

/// The days a standing holds: from `from` (nil: undated, from always) until the day before
/// `end` (nil: no end); `disputed` while an objection to it is open (异议处理中).
public struct StandingSpan: Sendable, Hashable {
    public var from: CivilDate?
    public var end: CivilDate?
    public var disputed: Bool

    public func contains(_ day: CivilDate) -> Bool {
        from.map { $0 <= day } ?? true && end.map { day < $0 } ?? true
    }
}
