import CreditAdapters
import CreditCatalog
import CreditCore
import CreditIdentifiers

/// A list of subjects to check (信用核查), as an office keeps it: a CSV or an Excel sheet with a
/// code column (统一社会信用代码, or an ID number for a person) and/or a name column, found by
/// their headers and values the way `catalog map` finds a feed's columns.
///
/// Each row becomes an ``Entry`` whatever it holds: a row the check cannot use (no code and no
/// name, a code that fails its check, a repeat of an earlier row, bytes in no known encoding)
/// keeps its place in the output with the reason, so the office gets an answer for every line.
public struct SubjectList: Sendable {
    /// What a row's code is.
    public enum CodeKind: String, Sendable {
        case uscc, idNumber = "id_number"
    }

    public struct Entry: Sendable {
        /// 1-based position among the list's rows, and the line (row number) it came from.
        public var position: Int
        public var line: Int
        /// The code and name as written (trimmed).
        public var code: String
        public var name: String
        /// The code's canonical form and what it is, when it passes its check.
        public var canonicalCode: String?
        public var kind: CodeKind?
        /// Why the code was not usable (its check's first defect), in Chinese and English.
        public var invalidCode: LocalizedText?
        /// The earlier row this one repeats (same code, or same name where there is no code).
        public var repeats: Int?
        /// The row's encoding, when it differs from most of the list's.
        public var otherEncoding: TextEncoding?
        public var undecodable: Bool
    }

    public var file: String
    public var format: TableFile.Format
    public var encoding: TextEncoding?
    /// The headers of the columns read as code, ID number and name.
    public var codeColumn: String?
    public var idColumn: String?
    public var nameColumn: String?
    public var entries: [Entry]

    /// The fields a list's columns are matched against (as `catalog map` matches a feed's).
    static let listing = CatalogItem(id: "subject_list", name: "核查名单", nameEnglish: "Subjects to check", fields: [
        FieldSpec(id: "code", name: "统一社会信用代码",
                  aliases: ["社会信用代码", "信用代码", "统一代码", "代码", "企业代码", "主体代码", "USCC", "tyshxydm",
                            "统一社会信用代码/身份证号码", "统一社会信用代码/身份证号", "代码/证件号码"],
                  type: .code(.uscc)),
        FieldSpec(id: "id", name: "身份证号码", aliases: ["身份证号", "证件号码", "证件号", "公民身份号码", "zjhm"], type: .code(.id)),
        FieldSpec(id: "name", name: "名称",
                  aliases: ["企业名称", "单位名称", "主体名称", "市场主体名称", "姓名", "姓名/名称", "名称/姓名", "qymc",
                            "核查对象", "被核查主体", "供应商名称", "申请人", "申请单位"],
                  type: .text),
    ])

    /// Reads and parses `path`. An unreadable file throws (its reason names the file); a list
    /// whose columns cannot be found reads, with no code or name column: every row then says so.
    /// `reference`: the catalog's identifier tables (the compiled-in ones by default).
    public static func read(path: String, displayPath: String? = nil, today: CivilDate,
                            reference: IdentifierReference = .standard) throws(AdapterError) -> SubjectList {
        let table = try TableFile.read(path: path, displayPath: displayPath)
        let header = table.header.cells.indices.map { table.header[$0] }
        var profiles = [ColumnProfile](repeating: ColumnProfile(), count: header.count)
        for row in table.rows.prefix(1000) {
            for column in header.indices { profiles[column].add(row[column], today: today) }
        }
        let mapping = ColumnMapping.propose(header: header, profiles: profiles, item: listing, sampled: min(table.rows.count, 1000))
        func column(_ field: String) -> Int? { mapping.columns.firstIndex { $0.field == field } }
        let codeColumn = column("code"), idColumn = column("id"), nameColumn = column("name")
        var list = SubjectList(file: displayPath ?? path, format: table.format, encoding: table.encoding,
                               codeColumn: codeColumn.map { header[$0] }, idColumn: idColumn.map { header[$0] },
                               nameColumn: nameColumn.map { header[$0] }, entries: [])
        var seenCodes: [String: Int] = [:], seenNames: [String: Int] = [:]
        for (index, row) in table.rows.enumerated() {
            // A code column that holds an ID number for a person, or an ID column beside it.
            var code = codeColumn.map { row[$0] } ?? ""
            if code.isEmpty, let idColumn { code = row[idColumn] }
            let name = nameColumn.map { row[$0] } ?? ""
            var entry = Entry(position: index + 1, line: row.line, code: code, name: name, canonicalCode: nil, kind: nil,
                              invalidCode: nil, repeats: nil,
                              otherEncoding: row.encoding != nil && row.encoding != table.encoding ? row.encoding : nil,
                              undecodable: row.undecodable)
            if !code.isEmpty { Self.read(code: code, into: &entry, today: today, reference: reference) }
            if let canonical = entry.canonicalCode {
                if let first = seenCodes[canonical] { entry.repeats = first } else { seenCodes[canonical] = entry.position }
            } else if code.isEmpty, !name.isEmpty {
                let folded = CreditFile.folded(name)
                if let first = seenNames[folded] { entry.repeats = first } else { seenNames[folded] = entry.position }
            }
            list.entries.append(entry)
        }
        return list
    }

    /// A USCC, or else an ID number, by which check it passes; the USCC's defect otherwise.
    static func read(code: String, into entry: inout Entry, today: CivilDate, reference: IdentifierReference) {
        let canonical = String(decoding: IdentifierText.canonical(code), as: UTF8.self)
        let uscc = USCC.check(canonical, reference: reference)
        if uscc.status != .invalid {
            entry.canonicalCode = canonical
            entry.kind = .uscc
            return
        }
        if canonical.utf8.count == 18 || canonical.utf8.count == 15, ResidentID.check(canonical, reference: reference, today: today).status != .invalid {
            entry.canonicalCode = canonical
            entry.kind = .idNumber
            return
        }
        // An ID number's shape with a bad check says so; anything else is read as a USCC.
        let bytes = Array(canonical.utf8)
        let idShaped = (bytes.count == 18 || bytes.count == 15) && bytes.prefix(15).allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            && PersonalData.looksLikeResidentID(bytes)
        let check = idShaped ? ResidentID.check(canonical, reference: reference, today: today) : uscc
        entry.invalidCode = check.defects.first(where: { $0.severity == .error })?.summary
            ?? LocalizedText(zh: "代码格式不正确", en: "the code is malformed")
    }
}
