import CreditCatalog
import CreditCore

extension RunReport {
    /// One figure held against its target.
    public struct TargetCheck: Sendable, Hashable, Codable {
        public enum Figure: String, Sendable, Hashable, Codable {
            case complianceRate = "compliance_rate"
            case timelinessRate = "timeliness_rate"
            case dupErrorCodeRate = "dup_error_code_rate"
            /// 公示及时率 (period reports, when records were first published in the period).
            case publicationTimelinessRate = "publication_timeliness_rate"
        }

        public enum Comparison: String, Sendable, Hashable, Codable {
            /// The figure must reach the target (合规率, 及时率).
            case atLeast = "at_least"
            /// The figure must stay under the target (重错码率).
            case below
        }

        public var figure: Figure
        /// The item the check is about, or nil for all records of the run.
        public var item: String?
        public var itemName: String?
        public var target: TargetRate
        public var comparison: Comparison
        public var value: Ratio
        /// Nil when there is nothing to divide by (no records, no decidable timeliness): not a miss.
        public var met: Bool?

        public init(_ figure: Figure, item: String? = nil, itemName: String? = nil, target: TargetRate,
             _ comparison: Comparison, _ value: Ratio) {
            self.figure = figure
            self.item = item
            self.itemName = itemName
            self.target = target
            self.comparison = comparison
            self.value = value
            met = comparison == .atLeast ? target.isReached(by: value) : target.isAbove(value)
        }
    }

    /// 合规率 of one item over every department that sent it in this run.
    public struct ItemFigures: Sendable, Hashable, Codable {
        public var item: String
        public var itemName: String
        public var records: Int
        public var compliant: Int
        public var complianceRate: Ratio
        public var complianceTarget: TargetRate
        public var meetsComplianceTarget: Bool?
    }

    /// One department of the directory, whether it sent anything or not.
    public struct DepartmentFigures: Sendable, Hashable, Codable {
        /// What the department did in this run, worst first in the report.
        public enum Status: String, Sendable, Hashable, Codable {
            /// It sent no file, and a feed of it is overdue by its cadence (逾期未报送).
            case overdue
            /// It sent no file, and none of its feeds is overdue (it sends on its own cadence, or as
            /// events occur).
            case notDue = "not_due"
            /// It sent files, and none could be read.
            case unreadable
            /// It sent records, archived and counted.
            case reported
            /// It sent files whose content was already archived, or still being written.
            case nothingNew = "nothing_new"
            /// The catalog has no feed for it: nothing is expected.
            case noFeed = "no_feed"
        }

        public var department: String
        public var departmentName: String
        public var level: String
        public var district: String?
        public var status: Status
        /// The items the catalog's feeds expect from it.
        public var items: [String]
        public var files: Int
        public var unreadableFiles: Int
        public var records: Int
        public var compliant: Int
        public var complianceRate: Ratio
        /// The department's records together are held against the overall 合规率 target; each of
        /// its items against the item's own in ``RunReport/slices``.
        public var complianceTarget: TargetRate
        public var meetsComplianceTarget: Bool?
        /// Its feeds that are overdue by their cadence, with their last submission (nil: none).
        public var overdueFeeds: [OverdueFeed]?
    }

    /// A feed whose last submission is older than its cadence allows (``FeedCadence``).
    public struct OverdueFeed: Sendable, Hashable, Codable {
        public var feed: String
        public var item: String
        public var itemName: String
        /// `YYYY-MM-DD`, or nil when the feed was never received.
        public var lastSubmission: String?
        /// The cadence in words (`每月 5 日前`).
        public var cadence: String
    }

    /// Every check of the run: 合规率 overall and per item, 及时率, 重错码率.
    static func targetChecks(totals: Figures, items: [ItemFigures], targets: QualityTargets) -> [TargetCheck] {
        var checks = [TargetCheck(.complianceRate, target: targets.complianceRate, .atLeast, totals.complianceRate)]
        for item in items {
            checks.append(TargetCheck(.complianceRate, item: item.item, itemName: item.itemName,
                                      target: item.complianceTarget, .atLeast, item.complianceRate))
        }
        checks.append(TargetCheck(.timelinessRate, target: targets.timelinessRate, .atLeast, totals.timelinessRate))
        checks.append(TargetCheck(.dupErrorCodeRate, target: targets.dupErrorCodeRate, .below, totals.dupErrorCodeRate))
        return checks
    }

    static func itemFigures(_ slices: [Slice], targets: QualityTargets) -> [ItemFigures] {
        var byItem: [String: ItemFigures] = [:]
        for slice in slices {
            var entry = byItem[slice.item] ?? ItemFigures(
                item: slice.item, itemName: slice.itemName, records: 0, compliant: 0, complianceRate: Ratio(0, of: 0),
                complianceTarget: targets.complianceRate(item: slice.item), meetsComplianceTarget: nil)
            entry.records += slice.figures.records
            entry.compliant += slice.figures.compliant
            byItem[slice.item] = entry
        }
        return byItem.values.map { item in
            var item = item
            item.complianceRate = Ratio(item.compliant, of: item.records)
            item.meetsComplianceTarget = item.complianceTarget.isReached(by: item.complianceRate)
            return item
        }.sorted { $0.item < $1.item }
    }

    /// Every department of the directory, worst first: those that sent nothing they should have,
    /// then unreadable senders, then senders by 合规率 (lowest first), then those with nothing new,
    /// and last the departments no feed expects anything from.
    /// `lastSubmissions` (feed → day) and `judgedOn` decide which silent departments are overdue.
    static func departmentFigures(catalog: Catalog, slices: [Slice], files: [File], targets: QualityTargets,
                                  lastSubmissions: [String: String] = [:], judgedOn: CivilDate? = nil,
                                  language: Language = .zh) -> [DepartmentFigures] {
        var feeds: [String: Set<String>] = [:]
        for feed in catalog.feeds { feeds[feed.department, default: []].insert(feed.item) }
        var rows: [DepartmentFigures] = catalog.departments.values.map { department in
            var row = DepartmentFigures(
                department: department.id, departmentName: department.name, level: department.level,
                district: department.district, status: .noFeed, items: (feeds[department.id] ?? []).sorted(),
                files: 0, unreadableFiles: 0, records: 0, compliant: 0, complianceRate: Ratio(0, of: 0),
                complianceTarget: targets.complianceRate, meetsComplianceTarget: nil)
            for slice in slices where slice.department == department.id {
                row.records += slice.figures.records
                row.compliant += slice.figures.compliant
            }
            for file in files where file.department == department.id {
                row.files += 1
                if file.outcome == .failed { row.unreadableFiles += 1 }
            }
            row.complianceRate = Ratio(row.compliant, of: row.records)
            row.meetsComplianceTarget = targets.complianceRate.isReached(by: row.complianceRate)
            row.status = if row.records > 0 {
                .reported
            } else if row.unreadableFiles > 0 {
                .unreadable
            } else if row.files > 0 {
                .nothingNew
            } else if !row.items.isEmpty {
                .notDue
            } else {
                .noFeed
            }
            if row.status == .notDue, let judgedOn {
                for feed in catalog.feeds where feed.department == department.id {
                    guard let cadence = feed.cadence else { continue }
                    let last = lastSubmissions[feed.id]
                    var lastDate: CivilDate?
                    if let last, case .date(let date, _) = CivilDate.parse(last) { lastDate = date }
                    if cadence.isOverdue(lastSubmission: lastDate, today: judgedOn, calendar: catalog.calendar) == true {
                        row.overdueFeeds = (row.overdueFeeds ?? []) + [OverdueFeed(
                            feed: feed.id, item: feed.item,
                            itemName: catalog.items[feed.item].map { language == .zh ? $0.name : $0.nameEnglish } ?? feed.item,
                            lastSubmission: last, cadence: cadence.text(language))]
                    }
                }
                if row.overdueFeeds != nil { row.status = .overdue }
            }
            return row
        }
        func rank(_ status: DepartmentFigures.Status) -> Int {
            switch status {
            case .overdue: 0
            case .unreadable: 1
            case .reported: 2
            case .nothingNew: 3
            case .notDue: 4
            case .noFeed: 5
            }
        }
        rows.sort { a, b in
            if rank(a.status) != rank(b.status) { return rank(a.status) < rank(b.status) }
            // Lower rate first, compared exactly: a.c/a.r < b.c/b.r.
            let left = a.compliant * b.records, right = b.compliant * a.records
            if left != right { return left < right }
            return a.department < b.department
        }
        return rows
    }
}
