import CreditArchive
import CreditCatalog
import CreditCore

/// What publication (公示) did in a period, per item and sending department, read from the
/// publication ledger: what was public at its end (and of it, disputed or withheld while an
/// objection is open), what the period's exports added, updated and took down by reason, and
/// the credit repairs they applied or refused.
public struct PublicationFigures: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var item: String
        public var itemName: String
        public var department: String
        public var departmentName: String
        /// Public after the last export on or before the period's last day.
        public var publicAtEnd = 0
        /// Objections open at the end: public records marked 异议处理中, and records withheld meanwhile.
        public var objectionsOpen = 0
        public var added = 0
        public var updated = 0
        public var removed = 0
        /// Take-downs by reason (expired, withdrawn, repaired, objection_upheld, objection_open, changed).
        public var removedBy: [String: Int] = [:]
        /// Credit repairs applied: take-downs by reason `repaired`.
        public var repairsApplied = 0
        /// Credit repairs refused (on the repair item's rows), by reason (unknown_decision, too_early).
        public var refusedBy: [String: Int] = [:]

        public var isEmpty: Bool { publicAtEnd + objectionsOpen + added + updated + removed + refusedBy.values.reduce(0, +) == 0 }

        init(item: String, itemName: String, department: String, departmentName: String) {
            self.item = item
            self.itemName = itemName
            self.department = department
            self.departmentName = departmentName
        }
    }

    /// The day the figures stand on (the period's last).
    public var asOf: String
    /// By item, then department; only departments with something to count.
    public var rows: [Row]

    /// The figures of the exports on days from `first` to `last`; nil when nothing was ever published.
    public static func figures(catalog: Catalog, archive: any PublicationArchive, from first: String, through last: String,
                               language: Language) throws(ArchiveError) -> PublicationFigures? {
        // The published items, and the repair items whose refusals they export.
        var items: [CatalogItem] = []
        for item in catalog.items.values.sorted(by: { $0.id < $1.id }) {
            guard let policy = item.publication else { continue }
            items.append(item)
            if let repair = policy.repair.flatMap({ catalog.items[$0.link.item] }), !items.contains(where: { $0.id == repair.id }) {
                items.append(repair)
            }
        }
        var rows: [Row] = []
        for item in items {
            var byDepartment: [String: Row] = [:]
            func row(_ department: String) -> Row {
                byDepartment[department] ?? Row(item: item.id, itemName: language == .zh ? item.name : item.nameEnglish,
                                                 department: department,
                                                 departmentName: catalog.departments[department]?.name ?? department)
            }
            for tally in try archive.publicationStanding(of: item, on: last) {
                var entry = row(tally.department)
                switch tally.action {
                case .add, .update:
                    entry.publicAtEnd += tally.count
                    if tally.marked { entry.objectionsOpen += tally.count }
                case .remove where tally.reason == .objectionOpen:
                    entry.objectionsOpen += tally.count
                case .remove, .refuse:
                    break
                }
                byDepartment[tally.department] = entry
            }
            for tally in try archive.publicationChanges(of: item, from: first, through: last) {
                var entry = row(tally.department)
                let reason = tally.reason?.rawValue ?? PublicationChange.Reason.changed.rawValue
                switch tally.action {
                case .add: entry.added += tally.count
                case .update: entry.updated += tally.count
                case .remove:
                    entry.removed += tally.count
                    entry.removedBy[reason, default: 0] += tally.count
                    if tally.reason == .repaired { entry.repairsApplied += tally.count }
                case .refuse: entry.refusedBy[reason, default: 0] += tally.count
                }
                byDepartment[tally.department] = entry
            }
            rows += byDepartment.values.filter { !$0.isEmpty }.sorted { $0.department < $1.department }
        }
        guard !rows.isEmpty else { return nil }
        return PublicationFigures(asOf: last, rows: rows)
    }
}
