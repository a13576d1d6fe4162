import CreditArchive
import CreditCatalog
import CreditCore

/// 公示及时率: of the records first exported in a period, those whose first export came within
/// their item's deadline (`publication.deadline_working_days`, 7 for 双公示) of the decision, on
/// the official working-day calendar. Beside 及时率, which measures when the platform received a
/// record, this measures when the public could see it (docs/publication.md).
public struct PublicationTimeliness: Sendable, Hashable, Codable {
    /// The counts of one item, or one department.
    public struct Counts: Sendable, Hashable, Codable {
        /// Records first exported in the period.
        public var exported = 0
        public var timely = 0
        public var late = 0
        /// No readable decision date, or a deadline in a year the calendar does not cover.
        public var unknown = 0
        /// timely ÷ (timely + late).
        public var rate: Ratio { Ratio(timely, of: timely + late) }

        mutating func count(_ judged: Bool?) {
            exported += 1
            switch judged {
            case .some(true): timely += 1
            case .some(false): late += 1
            case .none: unknown += 1
            }
        }
    }

    public struct ItemFigures: Sendable, Hashable, Codable {
        public var item: String
        public var itemName: String
        public var deadlineWorkingDays: Int
        public var exported: Int
        public var timely: Int
        public var late: Int
        public var unknown: Int
        public var rate: Ratio
        /// Whether the rate reaches the target; nil when nothing could be judged.
        public var met: Bool?
    }

    /// One department's records (all its published items together).
    public struct DepartmentFigures: Sendable, Hashable, Codable {
        public var department: String
        public var departmentName: String
        public var exported: Int
        public var timely: Int
        public var late: Int
        public var unknown: Int
        public var rate: Ratio
        public var met: Bool?
    }

    public var items: [ItemFigures]
    /// Worst rate first, so the departments to chase lead the table.
    public var departments: [DepartmentFigures]
    public var timely: Int
    public var late: Int
    public var unknown: Int
    public var rate: Ratio
    /// The pipeline's `targets.publication_timeliness_rate` (at least).
    public var target: TargetRate
    public var met: Bool?

    /// The figures of the records first exported in `window`; nil when none was.
    public static func figures(catalog: Catalog, archive: any PublicationArchive, in window: ExportWindow,
                               language: Language, target: TargetRate) throws(ArchiveError) -> PublicationTimeliness? {
        var items: [ItemFigures] = []
        var byDepartment: [String: Counts] = [:]
        var total = Counts()
        for item in catalog.items.values.sorted(by: { $0.id < $1.id }) {
            guard let policy = item.publication, let days = policy.deadlineWorkingDays else { continue }
            var counts = Counts()
            for export in try archive.firstExports(of: item, in: window) {
                let judged = judge(export, workingDays: days, calendar: catalog.calendar)
                counts.count(judged)
                byDepartment[export.department, default: Counts()].count(judged)
                total.count(judged)
            }
            items.append(ItemFigures(item: item.id, itemName: language == .zh ? item.name : item.nameEnglish,
                                     deadlineWorkingDays: days, exported: counts.exported, timely: counts.timely,
                                     late: counts.late, unknown: counts.unknown, rate: counts.rate,
                                     met: target.isReached(by: counts.rate)))
        }
        // Nothing exported in the period (or nothing published at all): no figure, not a 0%.
        guard total.exported > 0 else { return nil }
        let departments = byDepartment.map { id, counts in
            DepartmentFigures(department: id, departmentName: catalog.departments[id]?.name ?? id, exported: counts.exported,
                              timely: counts.timely, late: counts.late, unknown: counts.unknown, rate: counts.rate,
                              met: target.isReached(by: counts.rate))
        }.sorted { ($0.met == false ? 0 : 1, $0.department) < ($1.met == false ? 0 : 1, $1.department) }
        return PublicationTimeliness(items: items, departments: departments, timely: total.timely, late: total.late,
                                     unknown: total.unknown, rate: total.rate, target: target,
                                     met: target.isReached(by: total.rate))
    }

    /// Whether a first export was within the deadline; nil when it cannot be told.
    public static func judge(_ export: FirstExport, workingDays: Int, calendar: WorkingCalendar?) -> Bool? {
        guard let text = export.decided, case .date(let decided, _) = CivilDate.parse(text),
              case .date(let exported, _) = CivilDate.parse(export.exported),
              let deadline = calendar?.deadline(after: decided, workingDays: workingDays) else { return nil }
        return exported <= deadline
    }
}
