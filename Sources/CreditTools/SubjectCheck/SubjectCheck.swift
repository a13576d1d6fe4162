import CreditArchive
import CreditCatalog
import CreditCore
import CreditIdentifiers
import CreditPublication

/// Batch 信用核查 (`credit-etl check-subjects`): each subject of a list looked up in the archive,
/// with the standings its current records give it on a day, in the list's order.
///
/// The archive is read once per table for the whole list (``RecordArchive/currentRecords(of:field:among:)``),
/// not once per subject: a procurement office's 10,000 bidders cost what one scan costs. A name
/// without a code is resolved through the subject pairs (the codes it came with): one code is
/// checked, several are reported as ambiguous with each, since a name alone cannot say which.
public struct SubjectCheck {
    public enum Verdict: String, Sendable, Encodable, CaseIterable {
        case found
        case notFound = "not_found"
        /// A name that came with several codes.
        case ambiguous
        case invalidCode = "invalid_code"
        /// Neither a code nor a name on the row.
        case noSubject = "no_subject"
        /// Bytes in no known encoding.
        case unreadable

        public func text(_ language: Language) -> String {
            switch (self, language) {
            case (.found, .zh): "已找到"
            case (.notFound, .zh): "未找到"
            case (.ambiguous, .zh): "名称对应多个主体"
            case (.invalidCode, .zh): "代码无效"
            case (.noSubject, .zh): "无代码和名称"
            case (.unreadable, .zh): "无法识别编码"
            case (.found, .en): "found"
            case (.notFound, .en): "not found"
            case (.ambiguous, .en): "name matches several subjects"
            case (.invalidCode, .en): "invalid code"
            case (.noSubject, .en): "no code and no name"
            case (.unreadable, .en): "unreadable encoding"
            }
        }
    }

    public struct Result: Sendable {
        public var entry: SubjectList.Entry
        public var verdict: Verdict
        /// The code checked: the row's, or the one its name resolved to.
        public var code: String?
        public var codeKind: SubjectList.CodeKind?
        /// The name the registry (企业登记注册) holds for the code.
        public var registryName: String?
        /// True when the subject's records say it is a natural person (its name is then masked).
        public var naturalPerson: Bool
        /// The codes a name came with, when there were several.
        public var candidates: [String]
        /// How many current records the archive holds about the subject, in all items.
        public var records: Int
        /// Standings on the day, adverse first, each item's latest first.
        public var standings: [SubjectStanding]
        public var notes: [LocalizedText]
    }

    public let catalog: Catalog
    public let archive: any QueryArchive
    public let day: CivilDate

    public init(catalog: Catalog, archive: any QueryArchive, on day: CivilDate) {
        self.catalog = catalog
        self.archive = archive
        self.day = day
    }

    /// Checks every entry of `list`, in its order.
    public func check(_ list: SubjectList) throws(ArchiveError) -> [Result] {
        // Names without a code: the codes each came with (one lookup per distinct name).
        var codesOfName: [String: [String]] = [:]
        for entry in list.entries where entry.code.isEmpty && !entry.name.isEmpty {
            let key = CreditFile.folded(entry.name)
            guard codesOfName[key] == nil else { continue }
            codesOfName[key] = Array(Set(try archive.subjectFiles(nameKey: key).map(\.code))).sorted()
        }
        var codes = Set<String>(), identityNumbers = Set<String>()
        for entry in list.entries where !entry.undecodable {
            switch entry.kind {
            case .uscc: codes.insert(entry.canonicalCode!)
            case .idNumber: identityNumbers.insert(entry.canonicalCode!)
            case nil: break
            }
        }
        for found in codesOfName.values where found.count == 1 { codes.insert(found[0]) }
        // Each table once for all codes, and for all ID numbers when there are any.
        var recordsOf: [String: [StoredRecord]] = [:]
        let sortedCodes = codes.sorted(), sortedNumbers = identityNumbers.sorted()
        for item in catalog.items.values.sorted(by: { $0.id < $1.id }) {
            for field in SubjectLookup.fields(of: item, for: .code) where !sortedCodes.isEmpty {
                for record in try archive.currentRecords(of: item, field: field, among: sortedCodes, fields: StandingEvaluator.fields(of: item)) {
                    guard let code = record.value(field) else { continue }
                    recordsOf[code, default: []].append(record)
                }
            }
            for field in SubjectLookup.fields(of: item, for: .identityNumber) where !sortedNumbers.isEmpty {
                for record in try archive.currentRecords(of: item, identityField: field, among: sortedNumbers,
                                                         fields: StandingEvaluator.fields(of: item)) {
                    // Kept under the number's canonical form, the form the list's entry is looked up by.
                    guard let value = record.value(field) else { continue }
                    let number = String(decoding: IdentifierText.canonical(value), as: UTF8.self)
                    recordsOf[number, default: []].append(record)
                }
            }
        }
        // One judge per item, its rules and repairs looked up once for all the list's records.
        let evaluator = try StandingEvaluator(catalog: catalog, archive: archive, on: day)
        let judges = catalog.items.compactMapValues { evaluator.judge(for: $0) }
        return list.entries.map { entry in
            result(entry, codesOfName: codesOfName, recordsOf: recordsOf, judges: judges)
        }
    }

    private func result(_ entry: SubjectList.Entry, codesOfName: [String: [String]],
                        recordsOf: [String: [StoredRecord]],
                        judges: [String: StandingEvaluator.Judge]) -> Result {
        var result = Result(entry: entry, verdict: .notFound, code: entry.canonicalCode, codeKind: entry.kind, registryName: nil,
                            naturalPerson: entry.kind == .idNumber, candidates: [], records: 0, standings: [], notes: [])
        if let first = entry.repeats {
            result.notes.append(LocalizedText(zh: "与第 \(first) 行重复", en: "repeats row \(first)"))
        }
        if let encoding = entry.otherEncoding {
            result.notes.append(LocalizedText(zh: "本行为 \(encoding.displayName) 编码，与名单其他行不同",
                                              en: "this row is in \(encoding.displayName), unlike the rest of the list"))
        }
        if entry.undecodable {
            result.verdict = .unreadable
            result.notes.append(LocalizedText(zh: "本行字节既非 UTF-8 也非 GB18030，请重新保存名单",
                                              en: "the row's bytes are neither UTF-8 nor GB18030; save the list again"))
            return result
        }
        if let reason = entry.invalidCode {
            result.verdict = .invalidCode
            result.notes.append(reason)
            return result
        }
        if entry.code.isEmpty {
            guard !entry.name.isEmpty else {
                result.verdict = .noSubject
                return result
            }
            let found = codesOfName[CreditFile.folded(entry.name)] ?? []
            switch found.count {
            case 0:
                result.notes.append(LocalizedText(zh: "按名称未找到；自然人请提供身份证号码",
                                                  en: "no subject of this name; give a person's ID number"))
                return result
            case 1:
                result.code = found[0]
                result.codeKind = .uscc
                result.notes.append(LocalizedText(zh: "按名称核查", en: "checked by name"))
            default:
                result.verdict = .ambiguous
                result.candidates = found
                result.notes.append(LocalizedText(zh: "该名称对应 \(found.count) 个统一社会信用代码，请按代码核查",
                                                  en: "\(found.count) codes came with this name; check by code"))
                return result
            }
        }
        guard let code = result.code, let records = recordsOf[code], !records.isEmpty else { return result }
        result.verdict = .found
        result.records = records.count
        var judged = Set<String>()
        for record in records {
            guard let item = catalog.items[record.item] else { continue }
            if item.isRegistry, let field = item.subject?.name, result.registryName == nil {
                result.registryName = record.value(field)
            }
            // Whether a person: once per item (a subject's records of one item agree on it).
            if judged.insert(item.id).inserted, RecordMasking(item: item).isNaturalPerson(record) { result.naturalPerson = true }
            if let standing = judges[item.id]?.standing(of: record) { result.standings.append(standing) }
        }
        result.standings.sort {
            ($0.kind.rank, $0.item, $1.date ?? "", $0.path, $0.line) < ($1.kind.rank, $1.item, $0.date ?? "", $1.path, $1.line)
        }
        if !entry.name.isEmpty, let registered = result.registryName,
           CreditFile.folded(registered) != CreditFile.folded(entry.name) {
            result.notes.append(LocalizedText(zh: "名单名称与登记名称不一致", en: "the list's name differs from the registered name"))
        }
        return result
    }
}
