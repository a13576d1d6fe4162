import CreditCatalog
import CreditCore

/// Normalizes one item's accepted records for the archive.
///
/// Per field type: text is trimmed; codes are folded to half-width upper case without spaces
/// (identifier codes also lose their hyphens, other codes keep them); dates become `YYYY-MM-DD` (长期 → 2099-12-31);
/// empty tokens become NULL. Whenever that changes a value, the raw value is kept in `raw`, so
/// the archive can always show what the department sent.
public struct Normalizer: Sendable {
    let kinds: [Kind]
    let fieldIDs: [[UInt8]]
    let layout: FieldLayout
    /// Source columns the catalog does not know, with their header names.
    let extraColumns: [(column: Int, name: [UInt8])]
    let emptyTokens: EmptyTokens
    /// The column keyed sources (XML, JSON) put unknown keys in (`KeyedRecordBuilder.extraColumn`).
    static let keyedExtra = Array("_extra".utf8)

    enum Kind: Sendable {
        case text, date, code(removingHyphens: Bool)
    }

    public init(item: CatalogItem, header: [String], mapping: HeaderMapping, emptyTokens: EmptyTokens = .standard) {
        kinds = item.fields.map { field in
            switch field.type {
            case .date: .date
            case .code(let kind): .code(removingHyphens: kind != .other)
            case .text, .decimal, .enumeration, .enumerationList: .text
            }
        }
        fieldIDs = item.fields.map { Array($0.id.utf8) }
        layout = mapping.layout
        let known = Set(mapping.layout.columns)
        extraColumns = header.indices.filter { !known.contains($0) }.map { ($0, Array(header[$0].utf8)) }
        self.emptyTokens = emptyTokens
    }

    /// Normalizes the records of `batch` whose `rejected` flag is false; `output` is overwritten.
    public func normalize(_ batch: RecordBatch, rejected: [Bool], into output: inout NormalizedBatch) {
        output.removeAll()
        var rawObject: [UInt8] = []
        batch.withFields { fields in
            for record in 0..<fields.count where !rejected[record] {
                rawObject.removeAll(keepingCapacity: true)
                for field in 0..<kinds.count {
                    let value = fields.field(record, field, in: layout)
                    let start = output.bytes.count
                    let isNull = append(value, kind: kinds[field], to: &output.bytes)
                    if isNull {
                        output.spans.append(-1)
                        output.spans.append(-1)
                    } else {
                        output.spans.append(Int32(truncatingIfNeeded: start))
                        output.spans.append(Int32(truncatingIfNeeded: output.bytes.count))
                    }
                    if let value, !value.isEmpty, isNull || !Self.same(value, output.bytes, from: start) {
                        appendMember(fieldIDs[field], value, to: &rawObject)
                    }
                }
                output.raw.append(rawObject.isEmpty ? nil : rawObject + [0x7D])
                output.extra.append(extras(record, fields))
                output.sourceRecords.append(record)
            }
        }
    }

    /// Appends the normalized value; returns true when it is NULL.
    private func append(_ value: UnsafeBufferPointer<UInt8>?, kind: Kind, to output: inout [UInt8]) -> Bool {
        guard let value else { return true }
        let trimmed = ByteText.trimmed(value)
        if emptyTokens.isEmpty(trimmed) { return true }
        switch kind {
        case .text:
            output.append(contentsOf: trimmed)
        case .code(let removingHyphens):
            CodeCanonicalForm.append(trimmed, removingHyphens: removingHyphens, to: &output)
        case .date:
            switch CivilDate.parse(trimmed) {
            case .date(let date, _): date.appendISO(to: &output)
            case .longTerm: CivilDate.longTerm.appendISO(to: &output)
            case .invalid: output.append(contentsOf: trimmed)
            }
        }
        return false
    }

    private func extras(_ record: Int, _ fields: RecordBatch.Fields) -> [UInt8]? {
        guard !extraColumns.isEmpty else { return nil }
        var object: [UInt8] = []
        for (column, name) in extraColumns {
            guard let value = fields.field(record, column: column), !value.isEmpty else { continue }
            if name == Self.keyedExtra, value.count > 2, value.first == 0x7B, value.last == 0x7D {
                // XML and JSON sources gather their unknown keys in one JSON object: splice its members.
                object.append(object.isEmpty ? 0x7B : 0x2C)
                object.append(contentsOf: value[1..<(value.count - 1)])
                continue
            }
            appendMember(name, value, to: &object)
        }
        return object.isEmpty ? nil : object + [0x7D]
    }

    private func appendMember(_ key: [UInt8], _ value: UnsafeBufferPointer<UInt8>, to object: inout [UInt8]) {
        object.append(object.isEmpty ? 0x7B : 0x2C)
        key.withUnsafeBufferPointer { JSONText.appendString($0, to: &object) }
        object.append(0x3A)
        JSONText.appendString(value, to: &object)
    }

    private static func same(_ value: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8], from start: Int) -> Bool {
        bytes.withUnsafeBufferPointer { ByteText.equal(value, UnsafeBufferPointer(rebasing: $0[start...])) }
    }
}
