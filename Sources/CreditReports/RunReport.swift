import CreditArchive
import CreditCatalog
import CreditCore
import CreditValidation

/// Everything a run's report shows, built from the archive. Encoded as `report.json`; its
/// schema is described in `docs/report-schema.md`.
public struct RunReport: Sendable, Hashable, Codable {
    public static let schemaVersion = "credit-etl/run-report/4"

    public var schema = RunReport.schemaVersion
    public var language: Language
    public var run: Run
    public var totals: Figures
    /// The targets the figures are held against (the pipeline's `targets:`).
    public var targets: QualityTargets
    /// The run's figures against their targets; a check whose `met` is false is a missed target.
    public var targetChecks: [TargetCheck]
    /// Whether no check missed its target (what exit code 3 is about).
    public var targetsMet: Bool
    /// 合规率 per item over all departments.
    public var items: [ItemFigures]
    /// Every department of the directory, worst first.
    public var departments: [DepartmentFigures]
    public var slices: [Slice]
    public var files: [File]
    public var samples: [Sample]
    /// 重码 for human review: codes carried with several names, names carried with several codes.
    public var duplicateCodes: [DuplicateCodeGroup]
    /// The years the working-day calendar covers (`2004-2026`), or nil without a calendar.
    public var calendarYears: String?
    /// What reviewers should know about the figures themselves (an uncovered calendar year).
    public var notes: [String]
    /// The feedback files written for departments beside the report (问题数据反馈).
    public var feedback: [FeedbackFile] = []
    /// The figures across earlier runs and months, this run last.
    public var trend: Trend
    /// The run's civil date (what its timeliness was judged on), and its month in trends; for a
    /// period report, the period.
    public var day: String
    /// For a period report, the period (`2026-11`, `2026-11-20`); nil for a run's report.
    public var period: String?
    /// The runs the report covers (a run's report: its own).
    public var coveredRuns: [Int64]
    /// 公示及时率 of the records first exported in a period report's days, or, in a run's report,
    /// in the exports recorded since the run before it began; absent when none was.
    public var publicationTimeliness: PublicationTimeliness?
    /// What publication did in a period report's days, per item and department; absent in a run's
    /// report and where nothing was ever published.
    public var publication: PublicationFigures?
    /// The city's indicators (严重失信主体占比, 无不良信息企业占比) on the report's day (a period's
    /// last day, or today within the period): absent when the catalog has no registry.
    public var indicators: CityIndicators?

    /// The run as the archive records it (its own fields in `report.json`).
    public typealias Run = ArchivedRun

    /// Counts with their rates; numerators and denominators are always present.
    public struct Figures: Sendable, Hashable, Codable {
        public var records: Int
        public var compliant: Int
        public var rejected: Int
        public var complianceRate: Ratio
        /// Timeliness (及时率): on time, late, and unknown (no valid decision date, or a year the
        /// calendar does not cover); the rate leaves the unknowns out of both terms.
        public var timely: Int
        public var late: Int
        public var timelinessUnknown: Int
        public var timelinessRate: Ratio
        /// Distinct subject USCCs, 错码 (failing the identifier checks), 重码 (a code with two names,
        /// or a name with two codes, across the archive), and 重错码率 = (错码 ∪ 重码) ÷ distinct codes.
        public var distinctCodes: Int
        public var errorCodes: Int
        public var duplicateCodes: Int
        public var dupErrorCodes: Int
        public var dupErrorCodeRate: Ratio
        /// Codes whose name differs from the 企业登记注册 registry's (a figure of its own, not 重码).
        public var registryNameMismatches: Int
        /// 纠正率: 重错码 flagged in earlier runs and corrected by this run's resubmissions ÷ 重错码
        /// flagged in earlier runs.
        public var correctionRate: Ratio
        /// What the records did to the archive: new, new versions, unchanged resubmissions,
        /// withdrawals, corrections of earlier rejected records.
        public var newRecords: Int
        public var newVersions: Int
        public var unchanged: Int
        public var withdrawn: Int
        public var corrected: Int
        public var findings: [RuleCount]

        init(_ counts: QualityCounts, codes: CodeFigures) {
            records = counts.records
            compliant = counts.compliant
            rejected = counts.rejected
            complianceRate = counts.complianceRate
            timely = counts.timeliness.timely
            late = counts.timeliness.late
            timelinessUnknown = counts.timeliness.unknown
            timelinessRate = counts.timeliness.rate
            distinctCodes = codes.distinct
            errorCodes = codes.erroneous
            duplicateCodes = codes.duplicated
            dupErrorCodes = codes.erroneousOrDuplicated
            dupErrorCodeRate = codes.rate
            registryNameMismatches = codes.registryMismatches
            correctionRate = codes.correctionRate
            newRecords = counts.history.new
            newVersions = counts.history.versions
            unchanged = counts.history.unchanged
            withdrawn = counts.history.withdrawn
            corrected = counts.history.corrected
            findings = counts.findings.sorted { $0.key < $1.key }.map { key, count in
                RuleCount(rule: key.rule.rawValue, severity: key.severity, field: key.field, fieldName: nil,
                          count: count, summary: nil)
            }
        }
    }

    public struct RuleCount: Sendable, Hashable, Codable {
        public var rule: String
        public var severity: Severity
        public var field: String?
        /// The field's name in the catalog (`处罚决定日期`), in the report's language.
        public var fieldName: String?
        public var count: Int
        /// What the rule checks, in the report's language.
        public var summary: String?
    }

    public struct Slice: Sendable, Hashable, Codable {
        public var department: String
        public var departmentName: String
        public var item: String
        public var itemName: String
        public var figures: Figures
        /// The item's 合规率 target, and whether this department's records of it reach it.
        public var complianceTarget: TargetRate
        public var meetsComplianceTarget: Bool?
        /// For an item whose standard has editions (the 2016 layout and the current one): how many
        /// of the slice's records were checked against each, by decision date. Nil otherwise.
        public var standards: [EditionCount]?
    }

    /// Records checked against one edition of an item's standard (``StandardEditions``).
    public struct EditionCount: Sendable, Hashable, Codable {
        public var edition: String
        /// The edition's name in the report's language.
        public var name: String
        /// The first decision date it applies to (`YYYY-MM-DD`); nil for the oldest.
        public var since: String?
        public var records: Int
        /// True for the edition in force today (the latest).
        public var isCurrent: Bool
    }

    public struct File: Sendable, Hashable, Codable {
        public var path: String
        public var outcome: FileOutcome.Kind
        public var sha256: String?
        public var feed: String?
        public var department: String?
        public var item: String?
        public var records: Int
        public var compliant: Int
        /// For a duplicate: the run that archived the same content.
        public var firstRun: Int64?
        public var line: Int?
        public var message: String?
    }

    /// One finding shown as an example, personal data already masked.
    public struct Sample: Sendable, Hashable, Codable {
        public var path: String
        public var line: Int?
        public var rule: String
        public var severity: Severity
        public var field: String?
        public var fieldName: String?
        public var value: String?
        public var message: String
    }
}

extension RunReport {
    /// How many findings per department, item and rule the report keeps as examples (the
    /// drill-down shows them per department × item; the examples section the first per rule).
    public static let samplesPerRule = 10
    /// How far after a decision its timeliness deadline may fall, in calendar days (7 working days,
    /// with the Spring Festival's week in between, stay within it).
    static let deadlineReach = 31

    /// How many 重码 groups of each kind the report lists.
    public static let duplicateGroupsShown = 200

    /// The records of a slice checked against each edition, oldest first; editions that checked
    /// none are left out (an edition the catalog no longer lists is shown by its id).
    static func editionCounts(_ standards: StandardEditions, _ counts: QualityCounts, _ language: Language) -> [EditionCount] {
        var rows = standards.editions.enumerated().compactMap { index, edition -> EditionCount? in
            guard let records = counts.editions[edition.id] else { return nil }
            return EditionCount(edition: edition.id, name: edition.name(in: language), since: edition.since?.description,
                                records: records, isCurrent: index == standards.editions.count - 1)
        }
        for (id, records) in counts.editions.sorted(by: { $0.key < $1.key })
        where !standards.editions.contains(where: { $0.id == id }) {
            rows.append(EditionCount(edition: id, name: id, since: nil, records: records, isCurrent: false))
        }
        return rows
    }

    /// Builds the report of `run` from the archive; names come from the catalog.
    public init(run id: Int64, archive: any ReportArchive, catalog: Catalog, language: Language,
                targets: QualityTargets = .plan, today: CivilDate? = nil) throws(ArchiveError) {
        guard let run = try archive.run(id) else {
            throw ArchiveError(path: archive.location, message: "no run \(id) in the archive")
        }
        try self.init(scope: .run(id), run: run, period: nil, archive: archive, catalog: catalog, language: language,
                      targets: targets, today: today)
        // 公示及时率 of the exports recorded since the run before this one began (a nightly job:
        // the previous night's publish), up to this run's start.
        if let ledger = archive as? any PublicationArchive,
           let previous = try archive.runListings().map(\.run.id).filter({ $0 < id }).max() {
            try addPublicationTimeliness(.afterRun(previous), ledger: ledger, catalog: catalog, language: language,
                                         targets: targets)
        }
        if let records = archive as? any RecordArchive & PublicationArchive, case .date(let date, _) = CivilDate.parse(day) {
            indicators = try CityIndicators.compute(catalog: catalog, archive: records, on: date, targets: targets, language: language)
        }
    }

    /// 公示及时率 of the records first exported in `window`, held against its target.
    private mutating func addPublicationTimeliness(_ window: ExportWindow, ledger: any PublicationArchive, catalog: Catalog,
                                                   language: Language, targets: QualityTargets) throws(ArchiveError) {
        publicationTimeliness = try PublicationTimeliness.figures(catalog: catalog, archive: ledger, in: window,
                                                                  language: language, target: targets.publicationTimelinessRate)
        if let figures = publicationTimeliness {
            targetChecks.append(TargetCheck(.publicationTimelinessRate, target: figures.target, .atLeast, figures.rate))
            targetsMet = !targetChecks.contains { $0.met == false }
        }
    }

    /// The report of a period: every run whose day falls in it, as one report (`credit-etl report
    /// --period 2026-11`); nothing is ingested and nothing recorded.
    public init(period: ReportPeriod, archive: any ReportArchive, catalog: Catalog, language: Language,
                targets: QualityTargets = .plan, today: CivilDate? = nil) throws(ArchiveError) {
        let runs = try archive.runs(in: period)
        guard let first = runs.first, let last = runs.last else {
            throw ArchiveError(path: archive.location, message: "no run in \(period.label); nothing to report")
        }
        var run = last
        run.startedAt = first.startedAt
        run.error = nil
        try self.init(scope: .runs(first.id, through: last.id), run: run, period: period, archive: archive,
                      catalog: catalog, language: language, targets: targets, today: nil)
        coveredRuns = runs.map(\.id)
        if let ledger = archive as? any PublicationArchive {
            try addPublicationTimeliness(.days(from: period.first, through: period.last), ledger: ledger, catalog: catalog,
                                         language: language, targets: targets)
            publication = try PublicationFigures.figures(catalog: catalog, archive: ledger, from: period.first,
                                                         through: period.last, language: language)
        }
        if let records = archive as? any RecordArchive & PublicationArchive, case .date(let end, _) = CivilDate.parse(period.last) {
            indicators = try CityIndicators.compute(catalog: catalog, archive: records, on: min(end, today ?? end),
                                                    targets: targets, language: language)
        }
    }

    private init(scope: ReportScope, run: ArchivedRun, period: ReportPeriod?, archive: any ReportArchive, catalog: Catalog,
                 language: Language, targets: QualityTargets, today: CivilDate?) throws(ArchiveError) {
        let id = run.id
        self.period = period?.label
        coveredRuns = [id]
        let slices = try archive.slices(scope, subjects: catalog.items.compactMapValues(\.subject))
        var totals = QualityCounts()
        // One slice's codes are the run's: spare the second pass over them.
        var totalCodes = slices.count == 1 ? slices[0].codes : try archive.codeFigures(scope)
        totalCodes.flaggedEarlier = 0
        totalCodes.corrected = 0
        for slice in slices {
            totals += slice.counts
            totalCodes.flaggedEarlier += slice.codes.flaggedEarlier
            totalCodes.corrected += slice.codes.corrected
        }
        self.language = language
        self.run = run
        let names = FieldNames(catalog: catalog, language: language)
        self.totals = names.named(Figures(totals, codes: totalCodes), item: nil)
        self.targets = targets
        // A code may be an ID number sent in the code column: masked by its shape.
        duplicateCodes = try archive.duplicateCodeGroups(scope, limit: Self.duplicateGroupsShown).map { group in
            var group = group
            group.subject = PersonalData.maskingIdentifiers(in: group.subject)
            group.seenWith = group.seenWith.map(PersonalData.maskingIdentifiers(in:))
            return group
        }
        self.slices = slices.map { slice in
            Slice(department: slice.department,
                  departmentName: catalog.departments[slice.department]?.name ?? slice.department,
                  item: slice.item,
                  itemName: catalog.items[slice.item].map { language == .zh ? $0.name : $0.nameEnglish } ?? slice.item,
                  figures: names.named(Figures(slice.counts, codes: slice.codes), item: slice.item),
                  complianceTarget: targets.complianceRate(item: slice.item),
                  meetsComplianceTarget: targets.complianceRate(item: slice.item).isReached(by: slice.counts.complianceRate),
                  standards: catalog.items[slice.item]?.standards.map { Self.editionCounts($0, slice.counts, language) })
        }
        files = try archive.fileOutcomes(scope).map { entry in
            File(path: entry.outcome.path, outcome: entry.outcome.kind, sha256: entry.outcome.sha256,
                 feed: entry.outcome.feed, department: entry.department, item: entry.item, records: entry.records,
                 compliant: entry.compliant, firstRun: entry.firstRun, line: entry.outcome.line,
                 message: entry.outcome.message)
        }
        items = Self.itemFigures(self.slices, targets: targets)
        targetChecks = Self.targetChecks(totals: self.totals, items: items, targets: targets)
        targetsMet = !targetChecks.contains { $0.met == false }
        // Silent departments are judged against their feeds' cadence on the run's day (a period
        // report: its last run's).
        var judgedOn = today
        if judgedOn == nil, case .date(let date, _) = CivilDate.parse(String(run.startedAt.prefix(10))) { judgedOn = date }
        departments = Self.departmentFigures(catalog: catalog, slices: self.slices, files: files, targets: targets,
                                             lastSubmissions: try archive.lastSubmissions(upto: id), judgedOn: judgedOn,
                                             language: language)
        calendarYears = catalog.calendar.map { "\($0.years.lowerBound)-\($0.years.upperBound)" }
        var notes: [String] = []
        let t = { (zh: String, en: String) in language == .zh ? zh : en }
        if let calendar = catalog.calendar {
            if let today, !calendar.years.contains(today.year) {
                notes.append(t("工作日历未覆盖 \(today.year) 年（现有 \(calendar.years.lowerBound)–\(calendar.years.upperBound) 年），该年的及时性计为未知；请在 catalogs/reference/cn-official-calendar.csv 中补充国务院公布的节假日安排。",
                               "The working-day calendar does not cover \(today.year) (it has \(calendar.years.lowerBound)–\(calendar.years.upperBound)); timeliness in that year is unknown. Add the State Council's holiday schedule to catalogs/reference/cn-official-calendar.csv."))
            } else if let today, totals.timeliness.unknown > 0,
                      case let soon = CivilDate(dayNumber: today.dayNumber + Self.deadlineReach).year,
                      !calendar.years.contains(soon) {
                // Deadlines run up to a few weeks past a decision: late in the year they fall in a
                // year the calendar may not have yet, and those records' timeliness is unknown.
                let unknown = totals.timeliness.unknown
                notes.append(t("及时性未知的 \(unknown) 条记录中，12 月作出的决定其报送期限落在 \(soon) 年，而工作日历只覆盖 \(calendar.years.lowerBound)–\(calendar.years.upperBound) 年，无法判断是否及时；国务院公布 \(soon) 年节假日安排后，请补充到 catalogs/reference/cn-official-calendar.csv（credit-etl doctor 会提示），下次报送即可判断。",
                               "Of the \(unknown) records whose timeliness is unknown, decisions taken in December have deadlines in \(soon), and the working-day calendar only covers \(calendar.years.lowerBound)–\(calendar.years.upperBound), so they cannot be judged. Once the State Council publishes \(soon)'s holidays, add them to catalogs/reference/cn-official-calendar.csv (credit-etl doctor warns of this)."))
            }
        } else {
            notes.append(t("信息目录没有工作日历，所有及时性均计为未知。", "The catalog has no working-day calendar; all timeliness is unknown."))
        }
        let abandoned = period == nil ? try archive.abandonedRuns(reportedIn: id) : []
        if !abandoned.isEmpty {
            let list = abandoned.map(String.init).joined(separator: ", ")
            notes.append(t("批次 \(list) 未正常结束（进程被终止、被信号停止或归档失败），其已入库的文件计入本报告。",
                           "Run \(list) ended without finishing (its process was killed, a signal stopped it, or the archive failed); the files it archived are counted in this report."))
        }
        self.notes = notes
        let itemOfFile = Dictionary(files.compactMap { file in file.item.map { (file.path, $0) } },
                                    uniquingKeysWith: { first, _ in first })
        samples = try archive.sampleFindings(scope, perRule: Self.samplesPerRule).map { stored in
            let finding = stored.finding
            return Sample(path: stored.path, line: stored.line, rule: finding.rule.rawValue, severity: finding.severity,
                          field: finding.field, fieldName: finding.field.flatMap { names.name(of: $0, item: itemOfFile[stored.path]) },
                          value: finding.value.map { Self.masked($0, finding, language: language) },
                          message: RuleDescription.describing(finding.rule)?.message(for: finding, language: language)
                              ?? finding.rule.rawValue)
        }
        day = period?.label ?? today?.description ?? String(run.startedAt.prefix(10))
        trend = Trend(runs: [], days: [], months: [])
        trend = period == nil ? Self.trend(previous: try archive.runFigures(before: id), current: figures(day: day))
            : Self.trend(previous: try archive.runFigures(before: id + 1), current: nil)
    }

    /// Personal values are masked (ID-like values keep their ends, names their first character);
    /// any other value has the ID numbers it carries masked by their shape and is cut short. A
    /// value too long for its field is free text that may begin with a person's name: only its
    /// length is shown.
    static func masked(_ value: String, _ finding: Finding, language: Language) -> String {
        if finding.rule == RuleIDs.lengthExceeded {
            return language == .zh ? "（\(value.count) 字）" : "(\(value.count) characters)"
        }
        return PersonalData.shown(value, isPersonal: finding.isPersonal)
    }

    /// The report as pretty-printed JSON with stable key order.
    public func jsonData() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(self))
    }
}

import Foundation
