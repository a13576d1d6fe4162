import CreditArchive
import CreditCatalog
import CreditCore

/// 公示及时率: of the records first exported in a period, those whose first export came within
/// their item's deadline (`publication.deadline_working_days`, 7 for 双公示) of the decision, on
/// the official working-day calendar. Beside 及时率, which measures when the platform received a
/// record, this measures when the public could see it (docs/publication.md).
public struct PublicationTimeliness: Sendable, Hashable, Codable {
    public struct ItemFigures: Sendable, Hashable, Codable {
        public var item: String
        public var itemName: String
        public var deadlineWorkingDays: Int
        /// Records first exported in the period.
        public var exported: Int
        public var timely: Int
        public var late: Int
        /// No readable decision date, or a deadline in a year the calendar does not cover.
        public var unknown: Int
        /// timely ÷ (timely + late).
        public var rate: Ratio
    }

    public var items: [ItemFigures]
    public var timely: Int
    public var late: Int
    public var unknown: Int
    public var rate: Ratio

    /// The figures of the records first exported from `first` to `last`; nil when none was.
    public static func figures(catalog: Catalog, archive: any PublicationArchive, from first: String, through last: String,
                               language: Language) throws(ArchiveError) -> PublicationTimeliness? {
        var items: [ItemFigures] = []
        for item in catalog.items.values.sorted(by: { $0.id < $1.id }) {
            guard let policy = item.publication, let days = policy.deadlineWorkingDays else { continue }
            let exports = try archive.firstExports(of: item, from: first, through: last)
            var figures = ItemFigures(item: item.id, itemName: language == .zh ? item.name : item.nameEnglish,
                                      deadlineWorkingDays: days, exported: exports.count, timely: 0, late: 0, unknown: 0,
                                      rate: Ratio(0, of: 0))
            for export in exports {
                switch judge(export, workingDays: days, calendar: catalog.calendar) {
                case .some(true): figures.timely += 1
                case .some(false): figures.late += 1
                case .none: figures.unknown += 1
                }
            }
            figures.rate = Ratio(figures.timely, of: figures.timely + figures.late)
            items.append(figures)
        }
        // Nothing exported in the period (or nothing published at all): no figure, not a 0%.
        guard items.contains(where: { $0.exported > 0 }) else { return nil }
        let timely = items.reduce(0) { $0 + $1.timely }, late = items.reduce(0) { $0 + $1.late }
        return PublicationTimeliness(items: items, timely: timely, late: late, unknown: items.reduce(0) { $0 + $1.unknown },
                                     rate: Ratio(timely, of: timely + late))
    }

    /// Whether a first export was within the deadline; nil when it cannot be told.
    public static func judge(_ export: FirstExport, workingDays: Int, calendar: WorkingCalendar?) -> Bool? {
        guard let text = export.decided, case .date(let decided, _) = CivilDate.parse(text),
              case .date(let exported, _) = CivilDate.parse(export.exported),
              let deadline = calendar?.deadline(after: decided, workingDays: workingDays) else { return nil }
        return exported <= deadline
    }
}
