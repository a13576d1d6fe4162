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

    /// The standing `record` (a current version of `item`) gives its subject on the day; nil when
    /// it gives none (the item has no standing, or it has ended, or not begun).
    public func standing(of record: StoredRecord, item: CatalogItem) -> SubjectStanding? {
        guard let rule = item.standing, record.current, record.accepted else { return nil }
        var values: [String: String] = [:]
        for (name, value) in record.values where !value.isEmpty { values[name] = value }
        func date(_ field: String?) -> CivilDate? {
            guard let field, let text = values[field], case .date(let date, _) = CivilDate.parse(text) else { return nil }
            return date
        }
        if let condition = rule.when, !PublicationRule.holds(condition, { values[$0] }) { return nil }
        var standing = SubjectStanding(item: item.id, kind: rule.kind, name: rule.name, department: record.department,
                                       decision: rule.decision.flatMap { values[$0] }, date: date(rule.date)?.description,
                                       until: nil, category: rule.category.flatMap { values[$0] }, disputed: false,
                                       path: record.path, line: record.line)
        if rule.whilePublic, let publication = rules[item.id] {
            let ordered = publication.fields.map { values[$0] }
            var repaired: CivilDate?
            if let key = publication.key(ordered, for: publication.policy.repair?.link), let repair = repairs[item.id]?[key],
               let window = publication.window(ordered), repair.date >= window.earliestEnd {
                repaired = repair.date
            }
            let objection = publication.key(ordered, for: publication.policy.objection?.link).flatMap { objections[item.id]?[$0] }
            switch publication.standing(ordered, withdrawn: record.withdrawn, repaired: repaired, objection: objection, on: day) {
            case .isPublic(let window):
                standing.date = window.from.description
                standing.until = window.until.map { $0.adding(days: -1).description }
            case .disputed(let window):
                standing.date = window.from.description
                standing.until = window.until.map { $0.adding(days: -1).description }
                standing.disputed = true
            case .notYet, .ended, .undated:
                return nil
            }
            return standing
        }
        if record.withdrawn { return nil }
        let start = date(rule.date)
        if let start, day < start { return nil }
        var end = date(rule.until)
        if let months = rule.months, let start {
            let lapse = start.adding(months: months).adding(days: -1)
            end = end.map { min($0, lapse) } ?? lapse
        }
        if let ended = date(rule.endedBy) {
            if ended <= day { return nil }
            end = end.map { min($0, ended.adding(days: -1)) } ?? ended.adding(days: -1)
        }
        if let end, end < day { return nil }
        standing.until = end?.description
        return standing
    }
}
