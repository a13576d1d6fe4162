import CreditArchive
import CreditCatalog
import CreditCore
import CreditIdentifiers

/// A subject's credit file (信用档案): every accepted record the archive holds about one company
/// or person, across departments and items, current versions first.
///
/// The subject is found by its USCC, an ID number, or its name; personal data is masked unless
/// the caller asks otherwise (`credit-etl subject --unmasked`, for authorised staff).
public struct CreditFile: Sendable, Encodable {
    /// How the query was read.
    public enum QueryKind: String, Sendable, Encodable {
        case uscc, idNumber = "id_number", name
    }

    public var query: String
    public var kind: QueryKind
    public var records: [StoredRecord]
    /// The publication (公示) history of each current record of a published item, by
    /// `<item>/<key>`: each export that added, updated or took it down.
    public var publication: [String: [PublicationChange]] = [:]

    /// Where `record`'s publication history is in ``publication``.
    public static func publicationKey(_ record: StoredRecord) -> String? {
        record.key.map { record.item + "/" + $0 }
    }

    /// Looks `query` up in every item of `catalog`: a USCC in each item's subject code field, an
    /// ID number in its identity-number fields, anything else as a subject name.
    public static func lookUp(_ query: String, archive: any QueryArchive, catalog: Catalog, history: Bool, unmasked: Bool)
        throws(ArchiveError) -> CreditFile
    {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        var canonical: [UInt8] = []
        var text = trimmed
        text.withUTF8 { CodeCanonicalForm.append($0, to: &canonical) }
        let code = String(decoding: canonical, as: UTF8.self)
        let kind: QueryKind
        if canonical.count == 18 || canonical.count == 15,
           ResidentID.check(code, reference: catalog.identifiers, today: .today()).status != .invalid {
            kind = .idNumber
        } else if canonical.count == 18, canonical.allSatisfy({ $0 < 0x80 }) {
            kind = .uscc
        } else {
            kind = .name
        }
        var records: [StoredRecord] = []
        // A code: the files whose subject pairs name it, each through the (file, code) index. A
        // name: the codes it came with and their files, the same way; and subjects without a code
        // through the name's own index (``SubjectLookup``).
        let nameKey = Self.folded(trimmed)
        let filesOfCode = kind == .uscc ? try archive.subjectFiles(code: code) : []
        let filesOfName = kind == .name ? Dictionary(grouping: try archive.subjectFiles(nameKey: nameKey), by: \.code)
            .mapValues { $0.map(\.file) } : [:]
        for item in catalog.items.values.sorted(by: { $0.id < $1.id }) {
            var found: [StoredRecord] = []
            switch kind {
            case .uscc:
                for field in SubjectLookup.fields(of: item, for: .code) {
                    found += try archive.records(of: item, field: field, equals: code, inFiles: filesOfCode, history: history)
                }
            case .idNumber:
                for field in SubjectLookup.fields(of: item, for: .identityNumber) {
                    found += try archive.records(of: item, identityField: field, number: code, history: history)
                }
            case .name:
                guard let subject = item.subject else { continue }
                for (known, files) in filesOfName.sorted(by: { $0.key < $1.key }) {
                    found += try archive.records(of: item, field: subject.code, equals: known, inFiles: files,
                                                 history: history).filter { record in
                        record.values.first { $0.name == subject.name }.map { Self.folded($0.value) == nameKey } ?? false
                    }
                }
                found += try archive.recordsWithoutCode(of: item, named: trimmed, history: history)
            }
            let masking = RecordMasking(item: item)
            for record in found where !records.contains(record) {
                records.append(unmasked ? record : masking.masked(record))
            }
        }
        records.sort { ($0.current ? 0 : 1, $0.item, -$0.fileID, $0.line) < ($1.current ? 0 : 1, $1.item, -$1.fileID, $1.line) }
        // The query is shown as its records are: an ID number masked, and a name masked unless
        // every record found is about an organization (a person's name, or a name nothing matched,
        // is not repeated in the title).
        let organizations = !records.isEmpty && records.allSatisfy { record in
            catalog.items[record.item].map { !RecordMasking(item: $0).isNaturalPerson(record) } ?? false
        }
        let shown = switch kind {
        case _ where unmasked: trimmed
        case .idNumber: PersonalData.maskIdentifier(trimmed)
        case .name where !organizations: PersonalData.maskName(trimmed)
        default: trimmed
        }
        var file = CreditFile(query: shown, kind: kind, records: records)
        for record in records where record.current && record.accepted {
            guard catalog.items[record.item]?.publication != nil, let hex = record.key, let key = KeyDigest(hex: hex),
                  let entry = publicationKey(record) else { continue }
            let history = try archive.publicationHistory(of: record.item, key: key)
            if !history.isEmpty { file.publication[entry] = history }
        }
        return file
    }
}

extension CreditFile {
    /// A name folded as the subject pairs keep it (full-width, spaces and letter case ignored).
    static func folded(_ name: String) -> String {
        var bytes: [UInt8] = []
        var text = name
        text.withUTF8 { CodeCanonicalForm.append($0, removingHyphens: false, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Every submission of one record: its accepted versions and rejected attempts, oldest first,
/// each with its file, line, run, values (raw where normalization changed them) and findings.
public struct RecordTrace: Sendable, Encodable {
    public struct Entry: Sendable, Encodable {
        public var record: StoredRecord
        public var findings: [TracedFinding]
    }

    /// The records' item and their entries; the publication history is filled in afterwards.
    init(item: String, entries: [Entry]) {
        self.item = item
        self.entries = entries
    }

    public struct TracedFinding: Sendable, Encodable {
        public var rule: String
        public var severity: Severity
        public var field: String?
        public var value: String?
        public var message: String
    }

    public var item: String
    public var entries: [Entry]
    /// The record's publication (公示) history: each export that added, updated or took it down.
    public var publication: [PublicationChange] = []

    /// By business key (one value per key part, in the catalog's order).
    public static func byKey(item: CatalogItem, key: KeyDigest, archive: any QueryArchive, unmasked: Bool,
                             message: (Finding) -> String) throws(ArchiveError) -> RecordTrace {
        let records = try archive.records(of: item, key: key)
        return try trace(item: item, records, archive: archive, unmasked: unmasked, message: message)
    }

    /// By the file (as archived, relative to the inbox) and line a record was read from.
    public static func byLine(path: String, line: Int, catalog: Catalog, archive: any QueryArchive, unmasked: Bool,
                              message: (Finding) -> String) throws(ArchiveError) -> RecordTrace? {
        let atLine = try archive.records(path: path, line: line, items: catalog.items)
        guard let first = atLine.first, let item = catalog.items[first.item] else { return nil }
        // Follow the key to the record's whole history when it has one.
        if let hex = first.key, let key = KeyDigest(hex: hex) {
            return try byKey(item: item, key: key, archive: archive, unmasked: unmasked, message: message)
        }
        return try trace(item: item, atLine, archive: archive, unmasked: unmasked, message: message)
    }

    static func trace(item: CatalogItem, _ records: [StoredRecord], archive: any QueryArchive, unmasked: Bool,
                      message: (Finding) -> String) throws(ArchiveError) -> RecordTrace {
        let masking = RecordMasking(item: item)
        var entries: [Entry] = []
        for record in records {
            let findings = try archive.findings(file: record.fileID, line: record.line).map { stored in
                let finding = unmasked ? stored : RecordMasking.masked(stored)
                return TracedFinding(rule: finding.rule.rawValue, severity: finding.severity, field: finding.field,
                                     value: finding.value, message: message(finding))
            }
            entries.append(Entry(record: unmasked ? record : masking.masked(record), findings: findings))
        }
        var trace = RecordTrace(item: item.id, entries: entries)
        if let hex = records.first(where: { $0.key != nil })?.key, let key = KeyDigest(hex: hex) {
            trace.publication = try archive.publicationHistory(of: item.id, key: key)
        }
        return trace
    }
}
