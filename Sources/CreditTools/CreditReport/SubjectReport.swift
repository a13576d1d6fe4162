import CreditArchive
import CreditCatalog
import CreditCore
import CreditIdentifiers
import CreditPublication

/// A subject's 信用报告: its registration, and for each item of the catalog what the archive holds
/// about it that was on record and public in a period, with an explicit statement where an item
/// has nothing ("未发现行政处罚记录"): what replaces the 无违法违规证明 a company used to collect
/// from every department.
///
/// Built from the archive alone and deterministically from its ``Parameters``, so that the same
/// archive gives the same report byte for byte and `verify-report` can build it again.
public struct SubjectReport: Sendable {
    /// What a report is built from; written into the report, so that it can be built again.
    public struct Parameters: Sendable, Hashable {
        public var code: String
        /// The period covered, both days included; `to` is also the day standings are judged on.
        public var from: CivilDate
        public var to: CivilDate
        public var language: Language
        public var unmasked: Bool

        public init(code: String, from: CivilDate, to: CivilDate, language: Language, unmasked: Bool) {
            self.code = code
            self.from = from
            self.to = to
            self.language = language
            self.unmasked = unmasked
        }
    }

    public struct Entry: Sendable, Hashable {
        /// The decision (文书号, 案号) and its date.
        public var decision: String
        public var date: String
        public var department: String
        /// Its category or kind (处罚类别, 名单类型), when the catalog says which field.
        public var detail: String
        /// Where it stood on the report's day: public, ended on a day, or on record.
        public var status: String
        /// Where it was read from (file and line), for 全流程可溯.
        public var source: String
    }

    public struct Section: Sendable, Hashable {
        public var item: String
        public var name: String
        public var entries: [Entry]
        /// What the section says when it has no entry.
        public var emptyStatement: String
    }

    public var parameters: Parameters
    /// The registry's name for the subject, and its registration (field name, value), masked as
    /// reports mask personal data; nil when the registry does not hold the code.
    public var name: String?
    public var registration: [(label: String, value: String)]?
    public var sections: [Section]
    /// The archive as it stood: its last run and last publication export.
    public var lastRun: Int64?
    public var lastExport: Int64?

    public enum Refusal: Error, CustomStringConvertible {
        case invalidCode(String, reason: String)
        case unknownSubject(String)

        public var description: String {
            switch self {
            case .invalidCode(let code, let reason):
                "'\(PersonalData.maskingIdentifiers(in: code))' is not a valid 统一社会信用代码 (\(reason)); a credit report is for a registered organization"
            case .unknownSubject(let code):
                "the archive holds no registration and no record of \(code); no report was written"
            }
        }
    }

    /// Builds the report of `parameters` from `archive`.
    public static func build(_ parameters: Parameters, catalog: Catalog, archive: any QueryArchive) throws -> SubjectReport {
        let canonical = String(decoding: IdentifierText.canonical(parameters.code), as: UTF8.self)
        let check = USCC.check(canonical, reference: catalog.identifiers)
        guard check.status != .invalid else {
            throw Refusal.invalidCode(parameters.code, reason: check.defects.first { $0.severity == .error }?.summary.text(.en) ?? "malformed")
        }
        var parameters = parameters
        parameters.code = canonical
        let zh = parameters.language == .zh
        let file = try CreditFile.lookUp(canonical, archive: archive, catalog: catalog, history: false, unmasked: parameters.unmasked)
        let records = file.records.filter { $0.current && $0.accepted && !$0.withdrawn }
        var report = SubjectReport(parameters: parameters, name: nil, registration: nil, sections: [],
                                   lastRun: try archive.runListings().map(\.run.id).max(), lastExport: try archive.lastExport()?.id)
        // The registration: the registry's record of the code.
        if let registry = catalog.items.values.first(where: \.isRegistry),
           let record = records.first(where: { $0.item == registry.id }) {
            report.name = registry.subject.flatMap { record.value($0.name) }
            report.registration = registry.fields.compactMap { field in
                record.value(field.id).map { (zh ? field.name : field.nameEnglish ?? field.name, $0) }
            }
        }
        guard report.registration != nil || !records.isEmpty else { throw Refusal.unknownSubject(canonical) }
        let evaluator = try StandingEvaluator(catalog: catalog, archive: archive, on: parameters.to)
        for item in Self.items(catalog) {
            let entries = records.filter { $0.item == item.id }.compactMap { record in
                entry(record, item: item, evaluator: evaluator, catalog: catalog, parameters: parameters)
            }.sorted { ($1.date, $0.decision) < ($0.date, $1.decision) }
            let name = zh ? item.name : item.nameEnglish
            report.sections.append(Section(item: item.id, name: name, entries: entries,
                                           emptyStatement: zh ? "未发现\(item.name)记录" : "No \(item.nameEnglish.lowercased()) records found"))
        }
        return report
    }

    /// The items a report has a section for, adverse standings first: every item with a subject
    /// but the registry (its own part), repairs and objections included (they are on record too).
    static func items(_ catalog: Catalog) -> [CatalogItem] {
        func rank(_ item: CatalogItem) -> Int { item.standing?.kind.rank ?? 3 }
        return catalog.items.values.filter { $0.subject != nil && !$0.isRegistry }.sorted { (rank($0), $0.id) < (rank($1), $1.id) }
    }

    /// The record as an entry when it was on record and public in the period; nil otherwise.
    static func entry(_ record: StoredRecord, item: CatalogItem, evaluator: StandingEvaluator, catalog: Catalog,
                      parameters: Parameters) -> Entry? {
        let zh = parameters.language == .zh
        func value(_ field: String?) -> String? { field.flatMap(record.value) }
        func date(_ field: String?) -> CivilDate? {
            guard let text = value(field), case .date(let date, _) = CivilDate.parse(text) else { return nil }
            return date
        }
        // When it held: its standing's span; a published item's window; else its decision day;
        // a record with none of these is on record throughout.
        var from: CivilDate?, end: CivilDate?
        if let span = evaluator.span(of: record, item: item) {
            (from, end) = (span.from, span.end)
        } else if item.standing != nil {
            return nil
        } else if let rule = PublicationRule(item: item), let window = rule.window(rule.fields.map { value($0) }) {
            (from, end) = (window.from, window.until)
        } else if let day = date(item.timeliness?.decisionDate ?? item.fields.first { $0.type == .date }?.id) {
            guard parameters.from <= day else { return nil }
            from = day
        }
        if let from, from > parameters.to { return nil }
        if let end, end <= parameters.from { return nil }
        let published = item.publication != nil || item.standing?.whilePublic == true
        let status: String
        switch end {
        case let end? where end <= parameters.to:
            let last = end.adding(days: -1)
            status = published ? (zh ? "公示至 \(last)，已结束" : "public until \(last)") : (zh ? "已于 \(last) 终止" : "ended \(last)")
        case let end?:
            let last = end.adding(days: -1)
            status = published ? (zh ? "公示中（至 \(last)）" : "public (until \(last))") : (zh ? "有效（至 \(last)）" : "in effect (until \(last))")
        case nil:
            status = published ? (zh ? "公示中" : "public") : (zh ? "在档" : "on record")
        }
        let decisionField = item.standing?.decision ?? item.businessKey.first { key in
            !key.contains("|") && key != item.subject?.code && item.fields.first { $0.id == key }?.type == .text
        }
        let detail = item.standing?.category.flatMap(value) ?? ""
        return Entry(decision: PersonalData.maskingIdentifiers(in: value(decisionField) ?? "—"),
                     date: from?.description ?? (date(item.timeliness?.decisionDate)?.description ?? "—"),
                     department: catalog.departments[record.department]?.name ?? record.department,
                     detail: PersonalData.maskingIdentifiers(in: detail), status: status,
                     source: "\(record.path):\(record.line)")
    }
}
