import CreditArchive
import CreditCatalog
import CreditCore

/// The changes an export carries: each key's standing on the export's day against what the
/// ledger last exported of it.
public enum PublicationPlan {
    /// The change one candidate needs on `day`, nil when the ledger already says it.
    public static func change(for candidate: PublicationCandidate, rule: PublicationRule, repaired: CivilDate? = nil,
                              objection: ObjectionState? = nil, on day: CivilDate) -> PublicationChange? {
        let standing = rule.standing(candidate.values, withdrawn: candidate.withdrawn, repaired: repaired,
                                     objection: objection, on: day)
        let item = rule.item.id
        switch standing {
        case .isPublic(let window), .disputed(let window):
            var marked = false
            if case .disputed = standing { marked = true }
            let action: PublicationChange.Action
            switch candidate.exported {
            case .none, .some((_, false)): action = .add
            case .some((let row, true)) where row != candidate.row || candidate.exportedMarked != marked: action = .update
            case .some: return nil
            }
            var change = PublicationChange(item: item, key: candidate.key, action: action, reason: nil, row: candidate.row,
                                           from: window.from.description, until: window.until?.description)
            change.marked = marked
            return change
        case .notYet, .ended, .undated:
            guard let exported = candidate.exported, exported.isPublic else { return nil }
            let reason: PublicationChange.Reason
            switch standing {
            case .ended(let why): reason = why
            default: reason = .changed
            }
            let window = rule.window(candidate.values)
            return PublicationChange(item: item, key: candidate.key, action: .remove, reason: reason, row: exported.row,
                                     from: window?.from.description, until: window?.until?.description)
        }
    }

    /// A credit repair as its item holds it.
    struct RepairRecord {
        var candidate: PublicationCandidate
        var date: CivilDate
    }

    /// The repairs of `rule`'s item in force on `day` (those `when` selects, dated on or before
    /// the day), by the record they name; the earliest wins.
    static func repairs(for rule: PublicationRule, catalog: Catalog, archive: any PublicationArchive,
                        on day: CivilDate) throws(ArchiveError) -> [String: RepairRecord] {
        guard let repair = rule.policy.repair, let item = catalog.items[repair.link.item] else { return [:] }
        var fields = repair.link.linkedFields + [repair.date]
        if let field = repair.when?.field, !fields.contains(field) { fields.append(field) }
        let named = repair.link.match.count
        var found: [String: RepairRecord] = [:]
        try archive.forEachPublicationCandidate(of: item, fields: fields) { candidate in
            func value(_ field: String) -> String? { fields.firstIndex(of: field).flatMap { candidate.values[$0] } }
            guard !candidate.withdrawn, repair.when.map({ PublicationRule.holds($0, value) }) ?? true,
                  let text = value(repair.date), case .date(let date, _) = CivilDate.parse(text), date <= day,
                  let key = RecordLink.key(candidate.values.prefix(named)) else { return }
            if let known = found[key], (known.date, known.candidate.row) <= (date, candidate.row) { return }
            found[key] = RepairRecord(candidate: candidate, date: date)
        }
        return found
    }

    /// The objections to `rule`'s item by the record they name (the current version of each;
    /// rejected ones, and other statuses, leave a record as it is).
    static func objections(for rule: PublicationRule, catalog: Catalog,
                           archive: any PublicationArchive) throws(ArchiveError) -> [String: ObjectionState] {
        guard let objection = rule.policy.objection, let item = catalog.items[objection.link.item] else { return [:] }
        let fields = objection.link.linkedFields + [objection.status]
        var found: [String: ObjectionState] = [:]
        try archive.forEachPublicationCandidate(of: item, fields: fields) { candidate in
            guard !candidate.withdrawn, let status = candidate.values.last ?? nil,
                  let key = RecordLink.key(candidate.values.dropLast()) else { return }
            if objection.upheld.contains(status) {
                found[key] = .upheld
            } else if objection.open.contains(status), found[key] != .upheld {
                found[key] = .open
            }
        }
        return found
    }

    /// Every change the archive's items with a publication policy need on `day`, by item and key:
    /// records added, updated, taken down; and repairs refused (naming no record, or too early),
    /// once each.
    public static func changes(catalog: Catalog, archive: any PublicationArchive,
                               on day: CivilDate) throws(ArchiveError) -> [PublicationChange] {
        var changes: [PublicationChange] = []
        for item in catalog.items.values.sorted(by: { $0.id < $1.id }) {
            guard let rule = PublicationRule(item: item) else { continue }
            let repairs = try repairs(for: rule, catalog: catalog, archive: archive, on: day)
            let objections = try objections(for: rule, catalog: catalog, archive: archive)
            var refused: [String: PublicationChange.Reason] = repairs.mapValues { _ in .unknownDecision }
            var found: [PublicationChange] = []
            try archive.forEachPublicationCandidate(of: item, fields: rule.fields) { candidate in
                var repaired: CivilDate?
                if let key = rule.key(candidate.values, for: rule.policy.repair?.link), let repair = repairs[key] {
                    if let window = rule.window(candidate.values), repair.date >= window.earliestEnd {
                        repaired = repair.date
                        refused[key] = nil
                    } else {
                        refused[key] = .tooEarly
                    }
                }
                let objection = rule.key(candidate.values, for: rule.policy.objection?.link).flatMap { objections[$0] }
                if let change = change(for: candidate, rule: rule, repaired: repaired, objection: objection, on: day) {
                    found.append(change)
                }
            }
            if let repairItem = rule.policy.repair?.link.item {
                for (key, reason) in refused {
                    guard let repair = repairs[key]?.candidate else { continue }
                    // Said once: again only when the repair's record changes.
                    if let exported = repair.exported, exported.row == repair.row { continue }
                    found.append(PublicationChange(item: repairItem, key: repair.key, action: .refuse, reason: reason,
                                                   row: repair.row, from: nil, until: nil))
                }
            }
            // A stable order, so an export is the same file whatever order the archive read it in.
            found.sort { ($0.item, $0.key.high, $0.key.low) < ($1.item, $1.key.high, $1.key.low) }
            changes += found
        }
        return changes
    }
}
