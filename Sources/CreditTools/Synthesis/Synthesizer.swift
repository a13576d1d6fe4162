import CreditAdapters
import CreditCatalog
import CreditCore
import CreditPipeline
import CreditIdentifiers
import Foundation

/// Writes synthetic records of a catalog item, with defects planted at a chosen rate and the
/// ground truth beside them: which record carries which defect, and the rule that must fire.
///
/// Clean records are valid by construction, from the catalog alone: every required (and, for an
/// organization subject, conditionally required) field gets a value of its type, codes come from
/// ``CodeGenerator``, dates keep the item's date orders and its deadline, pattern fields take
/// their `example:`. So validation of the output must find exactly the planted defects.
public struct Synthesizer {
    public enum Defect: String, CaseIterable, Sendable {
        case required, dateFormat, usccCheck, enumValue, decimalFormat, duplicate

        /// The rule validation must report for it.
        public var rule: String {
            switch self {
            case .required: "REQUIRED"
            case .dateFormat: "DATE_FORMAT"
            case .usccCheck: "USCC_CHECK"
            case .enumValue: "ENUM_VALUE"
            case .decimalFormat: "DECIMAL_FORMAT"
            case .duplicate: "DUP_RECORD"
            }
        }
    }

    /// One planted defect.
    public struct Truth: Sendable, Hashable {
        /// 1-based record number in the file.
        public var record: Int
        public var field: String?
        public var defect: Defect
    }

    let item: CatalogItem
    let submitted: CivilDate
    let defectRate: Double
    var codes: CodeGenerator
    /// The fields every organization record fills (required, or required for organizations).
    let filled: [Int]
    let decision: Int?
    /// Per field id, the values some condition reacts to (`罚款` of 处罚类别): clean records avoid them.
    let triggering: [String: Set<String>]
    /// Where records' subjects come from; nil: a new subject per record.
    let population: SubjectPopulation?

    public init(item: CatalogItem, submitted: CivilDate, defectRate: Double, seed: UInt64,
                population: SubjectPopulation? = nil) {
        self.population = population
        self.item = item
        self.submitted = submitted
        self.defectRate = min(max(defectRate, 0), 1)
        codes = CodeGenerator(seed: seed)
        decision = item.timeliness.flatMap { item.fieldIndex(id: $0.decisionDate) }
        var triggering: [String: Set<String>] = [:]
        for condition in item.fields.flatMap({ $0.requiredWhen + $0.forbiddenWhen }) {
            switch condition {
            case .contains(let field, let values), .equals(let field, let values): triggering[field, default: []].formUnion(values)
            default: break
            }
        }
        self.triggering = triggering
        let subjectFields = [item.subject?.code, item.subject?.name].compactMap { $0 }
        filled = item.fields.indices.filter { index in
            let field = item.fields[index]
            if field.isLegacy { return false }
            if field.required || subjectFields.contains(field.id) { return true }
            return field.requiredWhen.contains { condition in
                if case .subject(let kinds) = condition { return kinds.contains(.organization) }
                return false
            }
        }
    }

    /// The values of record `number` (1-based), by field index; empty strings are absent fields.
    mutating func record(_ number: Int) -> [String] {
        var values = [String](repeating: "", count: item.fields.count)
        var subjectCode = ""
        // A population's subject has its own name; without one, the record's number names it.
        var subjectName: String?
        if let population {
            let drawn = population.draw(record: number, isRegistry: item.isRegistry, random: &codes.random)
            let subject = population.subject(drawn, using: &codes)
            (subjectCode, subjectName) = (subject.code, subject.name)
            if let code = item.subject?.code, let index = item.fieldIndex(id: code) { values[index] = subjectCode }
        } else if let code = item.subject?.code, let index = item.fieldIndex(id: code) {
            repeat { subjectCode = codes.uscc() } while subjectCode.hasPrefix("92")
            values[index] = subjectCode
        }
        let day = submitted.adding(days: -1)
        var dateRank = 0
        for index in filled {
            let field = item.fields[index]
            guard values[index].isEmpty else { continue }
            if let example = field.example {
                values[index] = example
                continue
            }
            switch field.type {
            case .text:
                values[index] = index == item.subject.flatMap({ item.fieldIndex(id: $0.name) })
                    ? subjectName ?? "合成主体\(number)有限公司" : "\(field.name)\(number)"
            case .date:
                // The decision, and the registry's date of registration (成立日期): the day before
                // the file, not after it, so the subject is registered on the day the file arrives.
                if index == decision || field.id == item.registered?.since {
                    values[index] = day.description
                } else {
                    dateRank += 1
                    values[index] = day.adding(days: 30 * dateRank).description
                }
            case .decimal:
                values[index] = "1.5"
            case .code(let kind):
                switch kind {
                case .uscc:
                    var code = ""
                    repeat { code = codes.uscc() } while field.isAuthorityCode ? !code.hasPrefix("1") : code.hasPrefix("92")
                    values[index] = code
                case .org: values[index] = String(subjectCode.dropFirst(8).prefix(9))
                case .id: values[index] = codes.residentID()
                case .regno: values[index] = codes.regno()
                case .other: values[index] = "X\(number)"
                }
            case .enumeration(let allowed), .enumerationList(let allowed):
                values[index] = organizationValue(field, allowed)
            }
        }
        return values
    }

    /// An enum value that keeps the record clean: the organization kind for the subject field,
    /// else the first value no condition reacts to.
    private func organizationValue(_ field: FieldSpec, _ allowed: [String]) -> String {
        if field.id == item.subjectKindField,
           let value = item.subjectKinds.first(where: { $0.value == .organization })?.key {
            return value
        }
        let avoided = triggering[field.id] ?? []
        return allowed.first { !avoided.contains($0) && $0 != "其他" } ?? allowed[0]
    }

    /// Plants one defect in `values`, when the item has a field it can go in.
    mutating func plant(_ defect: Defect, in values: inout [String], previous: [String]?) -> String?? {
        func pick(_ candidates: [Int]) -> Int? {
            candidates.isEmpty ? nil : candidates[Int(codes.random.next() % UInt64(candidates.count))]
        }
        let fields = item.fields
        switch defect {
        case .required:
            guard let index = pick(filled.filter { fields[$0].required && fields[$0].id != item.subjectKindField }) else {
                return nil
            }
            values[index] = ""
            return .some(fields[index].id)
        case .dateFormat:
            guard let index = pick(filled.filter { fields[$0].type == .date }) else { return nil }
            values[index] = "2026/02/30"
            return .some(fields[index].id)
        case .usccCheck:
            guard let index = item.subject.flatMap({ item.fieldIndex(id: $0.code) }), !values[index].isEmpty,
                  let last = values[index].last else { return nil }
            values[index] = String(values[index].dropLast()) + (last == "0" ? "1" : "0")
            // The embedded organization code field, if filled, still matches positions 9–17.
            return .some(fields[index].id)
        case .enumValue:
            guard let index = pick(filled.filter {
                if case .enumeration = fields[$0].type { return fields[$0].id != item.subjectKindField }
                if case .enumerationList = fields[$0].type { return true }
                return false
            }) else { return nil }
            values[index] = "未知取值"
            return .some(fields[index].id)
        case .decimalFormat:
            guard let index = pick(filled.filter { if case .decimal = fields[$0].type { return true } else { return false } })
            else { return nil }
            values[index] = "一点五"
            return .some(fields[index].id)
        case .duplicate:
            guard !item.businessKey.isEmpty, let previous else { return nil }
            values = previous
            return .some(nil)
        }
    }

    /// Writes `count` records to `directory` in `format` and `encoding`, and `truth.csv`; returns
    /// the data file's path and the truth.
    public mutating func write(count: Int, format: SourceFormat, gb18030: Bool, to directory: String,
                               fileName: String? = nil) throws -> (path: String, truth: [Truth]) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ext = format == .csv ? "csv" : format == .xml ? "xml" : "json"
        let stamp = submitted.description.replacingOccurrences(of: "-", with: "")
        let path = (directory as NSString).appendingPathComponent(fileName ?? "\(item.id)_\(stamp).\(ext)")
        let output = try SynthOutput(path: path, gb18030: gb18030)
        var truth: [Truth] = []
        // Only a clean record is repeated: a copy of a defective one would carry its defect twice.
        var previousClean: [String]?
        // Today's layout: the columns only an older edition had (``FieldSpec/isLegacy``) are left out.
        let columns = item.fields.indices.filter { !item.fields[$0].isLegacy }
        let ids = columns.map { item.fields[$0].id }
        let names = columns.map { item.fields[$0].name }
        switch format {
        case .csv: output.write(names.map(Self.csvField).joined(separator: ",") + "\r\n")
        case .xml: output.write("<?xml version=\"1.0\" encoding=\"\(gb18030 ? "GB18030" : "UTF-8")\"?>\n<DATA>\n")
        case .json: output.write("[\n")
        }
        for number in stride(from: 1, through: count, by: 1) {
            var values = record(number)
            var planted = false
            if Double(codes.random.next() % 1_000_000) / 1_000_000 < defectRate {
                let defects = Defect.allCases
                let defect = defects[Int(codes.random.next() % UInt64(defects.count))]
                if let field = plant(defect, in: &values, previous: previousClean) {
                    truth.append(Truth(record: number, field: field, defect: defect))
                    planted = true
                }
            }
            if !planted { previousClean = values }
            let shown = columns.map { values[$0] }
            switch format {
            case .csv:
                output.write(shown.map(Self.csvField).joined(separator: ",") + "\r\n")
            case .xml:
                var row = "  <ROW>"
                for (id, value) in zip(ids, shown) where !value.isEmpty { row += "<\(id)>\(Self.xmlText(value))</\(id)>" }
                output.write(row + "</ROW>\n")
            case .json:
                var object = number > 1 ? ",\n  {" : "  {"
                var first = true
                for (id, value) in zip(ids, shown) where !value.isEmpty {
                    var text: [UInt8] = []
                    JSONText.appendString(value, to: &text)
                    object += (first ? "" : ", ") + "\"\(id)\": " + String(decoding: text, as: UTF8.self)
                    first = false
                }
                output.write(object + "}")
            }
        }
        switch format {
        case .csv: break
        case .xml: output.write("</DATA>\n")
        case .json: output.write("\n]\n")
        }
        try output.close()
        var lines = "record,line,field,defect,rule\n"
        for entry in truth {
            let line = format == .csv ? String(entry.record + 1) : ""
            lines += "\(entry.record),\(line),\(entry.field ?? ""),\(entry.defect.rawValue),\(entry.defect.rule)\n"
        }
        try Data(lines.utf8).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent("truth.csv")))
        return (path, truth)
    }

    static func csvField(_ value: String) -> String {
        value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    static func xmlText(_ value: String) -> String {
        value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// A buffered file writer that converts to GB18030 on the way when asked.
final class SynthOutput {
    private let handle: FileHandle
    private let encoder: GB18030Encoder?
    private var buffer: [UInt8] = []

    init(path: String, gb18030: Bool) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw PipelineError(.output, "cannot create \(path); check that the folder exists and is writable")
        }
        self.handle = handle
        encoder = gb18030 ? try GB18030Encoder() : nil
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        let bytes = encoder.map { $0.encode(buffer) } ?? buffer
        handle.write(Data(bytes))
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}
