import CreditArchive
import CreditCatalog
import CreditCore

/// When a record is public: from its decision, until the first day it no longer is (nil: no end).
public struct PublicationWindow: Sendable, Hashable {
    public var from: CivilDate
    public var until: CivilDate?
    /// The publication period that applied (一般失信行为, 严重失信行为), when the item has periods.
    public var period: String?
    /// The end of the period's minimum: a credit repair dated earlier is refused.
    public var earliestEnd: CivilDate

    public init(from: CivilDate, until: CivilDate?, period: String? = nil, earliestEnd: CivilDate? = nil) {
        self.from = from
        self.until = until
        self.period = period
        self.earliestEnd = earliestEnd ?? from
    }

    public func contains(_ day: CivilDate) -> Bool {
        from <= day && until.map { day < $0 } ?? true
    }
}

/// Where a record stands in publication on a given day.
public enum PublicationStanding: Sendable, Hashable {
    case isPublic(PublicationWindow)
    /// Public, marked as disputed: an objection is open and the policy marks rather than withholds.
    case disputed(PublicationWindow)
    /// Decided after the day (or dated so): not public yet.
    case notYet
    /// Public no more, and why.
    case ended(PublicationChange.Reason)
    /// No readable date to count from: never published.
    case undated
}

/// An item's ``PublicationPolicy`` compiled against its fields: the window of a record from its
/// archived (normalized) values, and its standing on a day.
public struct PublicationRule: Sendable {
    public let item: CatalogItem
    public let policy: PublicationPolicy
    /// The fields the rule reads, in the order ``window(_:)`` expects their values.
    public let fields: [String]

    public init?(item: CatalogItem) {
        guard let policy = item.publication else { return nil }
        self.item = item
        self.policy = policy
        var fields = [policy.from]
        if let until = policy.until { fields.append(until) }
        for field in (policy.repair?.link.fields ?? []) + (policy.objection?.link.fields ?? []) where !fields.contains(field) {
            fields.append(field)
        }
        for field in policy.periods.compactMap({ $0.when?.field }) where !fields.contains(field) { fields.append(field) }
        self.fields = fields
    }

    /// The record's publication window, nil when it has no date to count from (or no period
    /// applies to it).
    public func window(_ values: [String?]) -> PublicationWindow? {
        func value(_ field: String) -> String? { fields.firstIndex(of: field).flatMap { values[$0] } }
        func date(_ field: String?) -> CivilDate? {
            guard let field, let text = value(field), case .date(let date, _) = CivilDate.parse(text) else { return nil }
            return date
        }
        guard let start = date(policy.from) else { return nil }
        // The stated last day (公示截止期, 有效期至) is inclusive: public until the day after.
        let stated = date(policy.until).map { $0.adding(days: 1) }
        guard !policy.periods.isEmpty else { return PublicationWindow(from: start, until: stated) }
        let applicable = policy.periods.filter { period in period.when.map { Self.holds($0, value) } ?? true }
        // A decision mixing kinds takes the longest period.
        guard let period = applicable.max(by: { ($0.maximumMonths, $0.minimumMonths) < ($1.maximumMonths, $1.minimumMonths) })
        else { return nil }
        let earliest = start.adding(months: period.minimumMonths), latest = start.adding(months: period.maximumMonths)
        let end = stated.map { min(max($0, earliest), latest) } ?? latest
        return PublicationWindow(from: start, until: end, period: period.name, earliestEnd: earliest)
    }

    /// What names the record to the items `link` joins it with (a repair, an objection): its
    /// match fields' values as one key (``RecordLink/key(_:)``); nil when one is empty.
    public func key(_ values: [String?], for link: RecordLink?) -> String? {
        guard let link else { return nil }
        return RecordLink.key(link.fields.map { field in fields.firstIndex(of: field).flatMap { values[$0] } })
    }

    /// Where a record stands on `day`: withdrawn records are public no more, whatever their window;
    /// an applied repair (dated `repaired`) ends it on its date, or its period's end if earlier.
    ///
    /// An objection (``ObjectionState``) upheld takes it down; one open marks it or withholds it, by
    /// the policy's `while_open`.
    public func standing(_ values: [String?], withdrawn: Bool, repaired: CivilDate? = nil,
                         objection: ObjectionState? = nil, on day: CivilDate) -> PublicationStanding {
        if withdrawn { return .ended(.withdrawn) }
        guard let window = window(values) else { return .undated }
        if day < window.from { return .notYet }
        if let repaired, repaired <= day, window.until.map({ repaired < $0 }) ?? true { return .ended(.repaired) }
        if let until = window.until, until <= day { return .ended(.expired) }
        switch objection {
        case .upheld: return .ended(.objectionUpheld)
        case .open: return policy.objection?.whileOpen == .withhold ? .ended(.objectionOpen) : .disputed(window)
        case nil: return .isPublic(window)
        }
    }
}

/// Where the objections to a record stand (the latest version of each): upheld wins over open.
public enum ObjectionState: Sendable, Hashable {
    case open, upheld
}

extension PublicationRule {

    /// A catalog condition on archived values: enum lists are `;`-joined canonical values.
    public static func holds(_ condition: Condition, _ value: (String) -> String?) -> Bool {
        switch condition {
        case .contains(let field, let values):
            guard let text = value(field) else { return false }
            return text.split(separator: ";").contains { values.contains(String($0)) }
        case .equals(let field, let values):
            return value(field).map(values.contains) ?? false
        case .present(let field):
            return value(field) != nil
        case .subject, .columnAbsent:
            // Not a property of an archived record's values.
            return false
        }
    }
}
