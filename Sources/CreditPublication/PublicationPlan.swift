import CreditArchive
import CreditCatalog
import CreditCore

/// The changes an export carries: each key's standing on the export's day against what the
/// ledger last exported of it.
public enum PublicationPlan {
    /// The change one candidate needs on `day`, nil when the ledger already says it.
    public static func change(for candidate: PublicationCandidate, rule: PublicationRule,
                              on day: CivilDate) -> PublicationChange? {
        let standing = rule.standing(candidate.values, withdrawn: candidate.withdrawn, on: day)
        let item = rule.item.id
        switch standing {
        case .isPublic(let window):
            let action: PublicationChange.Action
            switch candidate.exported {
            case .none, .some((_, false)): action = .add
            case .some((let row, true)) where row != candidate.row: action = .update
            case .some: return nil
            }
            return PublicationChange(item: item, key: candidate.key, action: action, reason: nil, row: candidate.row,
                                     from: window.from.description, until: window.until?.description)
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

    /// Every change the archive's items with a publication policy need on `day`, by item and key.
    public static func changes(catalog: Catalog, archive: any PublicationArchive,
                               on day: CivilDate) throws(ArchiveError) -> [PublicationChange] {
        var changes: [PublicationChange] = []
        for item in catalog.items.values.sorted(by: { $0.id < $1.id }) {
            guard let rule = PublicationRule(item: item) else { continue }
            var found: [PublicationChange] = []
            try archive.forEachPublicationCandidate(of: item, fields: rule.fields) { candidate in
                if let change = change(for: candidate, rule: rule, on: day) { found.append(change) }
            }
            // A stable order, so an export is the same file whatever order the archive read it in.
            found.sort { ($0.key.high, $0.key.low) < ($1.key.high, $1.key.low) }
            changes += found
        }
        return changes
    }
}
