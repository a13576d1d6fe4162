import CreditArchive
import CreditCatalog
import CreditCore
import CreditPublication

/// The city's credit indicators on a day, as the plan sets them: 严重失信主体占比 (legal entities on
/// the 严重失信主体名单 ÷ enterprises registered) and 无不良信息企业占比 (registered enterprises
/// with no adverse standing in effect ÷ enterprises registered), each with its target, a trend
/// over the month-ends before the day, and drill-downs by division (USCC positions 3–8) and by
/// the department whose records count.
///
/// Computed from the archive as it stands, by the catalog's `standing:` rules on each day (a
/// penalty counts while public under its publication rules), so a month-end figure of the trend
/// is what the archive now knows of that day. City indicators measure policy, not a feed: they
/// are shown against their targets and never fail a job.
public struct CityIndicators: Sendable, Hashable, Codable {
    public struct Indicator: Sendable, Hashable, Codable {
        /// The key (`serious_dishonest_share`) and, whatever the report's language, the plan's
        /// Chinese name (严重失信主体占比), then the name in the report's language.
        public var key: String
        public var nameZh: String
        public var name: String
        public var value: Ratio
        public var target: TargetRate
        public var comparison: RunReport.TargetCheck.Comparison
        /// Nil when there is nothing to divide by (no registry yet).
        public var met: Bool?
        /// The month-ends before the day, oldest first, then the day.
        public var trend: [Point]
        /// Divisions with a registered enterprise or a counted subject, most counted first.
        public var byDivision: [Share]
        /// Departments whose records count, most subjects first.
        public var byDepartment: [DepartmentCount]
    }

    public struct Point: Sendable, Hashable, Codable {
        public var day: String
        public var value: Ratio
    }

    public struct Share: Sendable, Hashable, Codable {
        /// Positions 3–8 of the USCC (登记管理机关行政区划码), and the division's name when known.
        public var division: String
        public var divisionName: String?
        public var value: Ratio
    }

    public struct DepartmentCount: Sendable, Hashable, Codable {
        public var department: String
        public var departmentName: String
        public var subjects: Int
    }

    public var day: String
    public var seriousDishonestShare: Indicator
    public var cleanEnterpriseShare: Indicator
    /// What the figures rest on: the registry and list items read, and what was found missing.
    public var notes: [String]

    /// How many month-ends the trend goes back.
    public static let trendMonths = 5

    /// The indicators on `day` from `archive`; nil when the catalog has no registry (nothing to
    /// divide by).
    public static func compute(catalog: Catalog, archive: any RecordArchive & PublicationArchive, on day: CivilDate,
                               targets: QualityTargets, language: Language) throws(ArchiveError) -> CityIndicators? {
        let registries = catalog.items.values.filter { $0.isRegistry && $0.subject != nil }.sorted { $0.id < $1.id }
        guard !registries.isEmpty else { return nil }
        // The days: the last day of each of the months before, then the day itself.
        var days: [CivilDate] = []
        for back in stride(from: trendMonths, through: 1, by: -1) {
            let month = CivilDate(year: day.year, month: day.month, day: 1)!.adding(months: -back + 1)
            days.append(month.adding(days: -1))
        }
        days.append(day)
        let last = days.count - 1

        // The registered enterprises: an index each, and from which day. Keyed by the code's
        // digest: ten million lookups of an 18-byte String key compared whole strings along each
        // probe, a fifth of a night's indicators on the 11M-record benchmark.
        var index: [KeyDigest: Int32] = [:]
        func key(_ code: String) -> KeyDigest {
            var code = code
            return code.withUTF8 { KeyDigest($0) }
        }
        var codes: [String] = []
        var since: [Int32] = []
        for registry in registries {
            let subject = registry.subject!
            let condition = registry.registered?.when
            let sinceField = registry.registered?.since
            try archive.forEachCurrentRecord(of: registry, fields: [subject.code] + [condition?.field, sinceField].compactMap { $0 },
                                             since: nil) { record in
                guard !record.withdrawn else { return }
                guard let code = record.value(subject.code) else { return }
                let digest = key(code)
                guard index[digest] == nil else { return }
                if let condition, !PublicationRule.holds(condition, record.value) { return }
                var from = Int32.min
                if let field = sinceField, let text = record.value(field), case .date(let date, _) = CivilDate.parse(text) {
                    from = Int32(date.dayNumber)
                }
                index[digest] = Int32(codes.count)
                codes.append(code)
                since.append(from)
            }
        }
        func registered(_ subject: Int, on dayIndex: Int) -> Bool { Int(since[subject]) <= days[dayIndex].dayNumber }

        // Standings in effect on each day: who is adverse (registered enterprises, as bits), who is on the list.
        // Judged once per record as a span of days (repairs up to the last day end it on their date).
        let evaluator = try StandingEvaluator(catalog: catalog, archive: archive, on: day)
        var adverse = [[UInt64]](repeating: [UInt64](repeating: 0, count: (codes.count + 63) / 64), count: days.count)
        var listed = [Set<String>](repeating: [], count: days.count)
        // Per department, the enterprises adverse on the day, as bits (the department of the record
        // before is kept: records come file by file).
        var adverseByDepartment: [String: [UInt64]] = [:]
        var department = "", departmentBits: [UInt64] = []
        func flushDepartment() {
            if !department.isEmpty { adverseByDepartment[department] = departmentBits }
        }
        var listedByDepartment: [String: Set<String>] = [:]
        for item in catalog.items.values.sorted(by: { $0.id < $1.id }) {
            guard let rule = item.standing, rule.kind == .adverse, let subject = item.subject else { continue }
            let isList = rule.indicator == .seriousDishonestList
            // Adverse records count only against registered enterprises: with none, only the list is read.
            guard let judge = evaluator.judge(for: item), isList || !index.isEmpty else { continue }
            // Records too old to hold on the first day stay in the database.
            let since = StandingEvaluator.earliestStart(of: item, holdingOn: days[0]).map { ($0.field, $0.day.description) }
            try archive.forEachCurrentRecord(of: item, fields: StandingEvaluator.spanFields(of: item), since: since) { record in
                guard let code = record.value(subject.code), code != SubjectLookup.placeholderCode else { return }
                let enterprise = index[key(code)]
                guard enterprise != nil || isList else { return }
                // A person on the list is not a legal entity (only codes count: a person has none).
                if isList, PersonalValues(item: item, values: record.values).isNaturalPerson { return }
                guard let span = judge.span(of: record) else { return }
                for dayIndex in days.indices {
                    guard span.contains(days[dayIndex]) else { continue }
                    if let enterprise { adverse[dayIndex][Int(enterprise) >> 6] |= 1 << (UInt64(enterprise) & 63) }
                    if isList { listed[dayIndex].insert(code) }
                    if dayIndex == last {
                        if let enterprise {
                            if record.department != department {
                                flushDepartment()
                                department = record.department
                                departmentBits = adverseByDepartment.removeValue(forKey: department)
                                    ?? [UInt64](repeating: 0, count: (codes.count + 63) / 64)
                            }
                            departmentBits[Int(enterprise) >> 6] |= 1 << (UInt64(enterprise) & 63)
                        }
                        if isList { listedByDepartment[record.department, default: []].insert(code) }
                    }
                }
            }
        }

        flushDepartment()

        func isAdverse(_ subject: Int, _ dayIndex: Int) -> Bool { adverse[dayIndex][subject >> 6] & (1 << UInt64(subject & 63)) != 0 }
        func registeredCount(_ dayIndex: Int) -> Int { (0..<codes.count).reduce(0) { $0 + (registered($1, on: dayIndex) ? 1 : 0) } }
        func clean(_ dayIndex: Int) -> Ratio {
            var count = 0, total = 0
            for subject in 0..<codes.count where registered(subject, on: dayIndex) {
                total += 1
                if !isAdverse(subject, dayIndex) { count += 1 }
            }
            return Ratio(count, of: total)
        }
        func division(_ code: String) -> String {
            code.utf8.count == 18 ? String(Substring(code.utf8.dropFirst(2).prefix(6))) : "——"
        }
        func divisionName(_ code: String) -> String? {
            Int(code).flatMap { catalog.identifiers.divisions.entries(for: $0).last?.fullName }
        }
        // By division on the day: registered enterprises, those adverse, those listed.
        var registeredIn: [String: Int] = [:], cleanIn: [String: Int] = [:], listedIn: [String: Int] = [:]
        for subject in 0..<codes.count where registered(subject, on: last) {
            let place = division(codes[subject])
            registeredIn[place, default: 0] += 1
            if !isAdverse(subject, last) { cleanIn[place, default: 0] += 1 }
        }
        for code in listed[last] { listedIn[division(code), default: 0] += 1 }
        let t = { (zh: String, en: String) in language == .zh ? zh : en }
        func departments(_ counts: [String: Int]) -> [DepartmentCount] {
            counts.map { DepartmentCount(department: $0.key, departmentName: catalog.departments[$0.key]?.name ?? $0.key, subjects: $0.value) }
                .sorted { ($1.subjects, $0.department) < ($0.subjects, $1.department) }
        }
        func check(_ value: Ratio, _ target: TargetRate, _ comparison: RunReport.TargetCheck.Comparison) -> Bool? {
            comparison == .below ? target.isAbove(value) : target.isReached(by: value)
        }
        let seriousShares = Set(registeredIn.keys).union(listedIn.keys).map { place in
            Share(division: place, divisionName: divisionName(place), value: Ratio(listedIn[place] ?? 0, of: registeredIn[place] ?? 0))
        }.sorted { ($1.value.numerator, $0.division) < ($0.value.numerator, $1.division) }
        let cleanShares = registeredIn.keys.map { place in
            Share(division: place, divisionName: divisionName(place), value: Ratio(cleanIn[place] ?? 0, of: registeredIn[place] ?? 0))
        }.sorted { (($1.value.denominator - $1.value.numerator), $0.division) < (($0.value.denominator - $0.value.numerator), $1.division) }
        let serious = Ratio(listed[last].count, of: registeredCount(last))
        let cleanNow = clean(last)
        var notes: [String] = []
        if !catalog.items.values.contains(where: { $0.standing?.indicator == .seriousDishonestList }) {
            notes.append(t("信息目录未标明严重失信主体名单（standing.indicator: serious_dishonest_list），严重失信主体占比计为 0。",
                           "No item of the catalog is marked as the 严重失信主体名单 (standing.indicator: serious_dishonest_list); its share counts none."))
        }
        return CityIndicators(
            day: day.description,
            seriousDishonestShare: Indicator(
                key: "serious_dishonest_share", nameZh: "严重失信主体占比", name: t("严重失信主体占比", "Share of seriously dishonest entities"),
                value: serious, target: targets.seriousDishonestShare, comparison: .below,
                met: check(serious, targets.seriousDishonestShare, .below),
                trend: days.indices.map { Point(day: days[$0].description, value: Ratio(listed[$0].count, of: registeredCount($0))) },
                byDivision: seriousShares, byDepartment: departments(listedByDepartment.mapValues(\.count))),
            cleanEnterpriseShare: Indicator(
                key: "clean_enterprise_share", nameZh: "无不良信息企业占比", name: t("无不良信息企业占比", "Share of enterprises without adverse records"),
                value: cleanNow, target: targets.cleanEnterpriseShare, comparison: .atLeast,
                met: check(cleanNow, targets.cleanEnterpriseShare, .atLeast),
                trend: days.indices.map { Point(day: days[$0].description, value: clean($0)) },
                byDivision: cleanShares,
                byDepartment: departments(adverseByDepartment.mapValues { $0.reduce(0) { $0 + $1.nonzeroBitCount } })),
            notes: notes)
    }
}
