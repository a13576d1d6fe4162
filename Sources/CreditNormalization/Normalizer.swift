import CreditCatalog
import CreditCore

/// Normalizes one item's accepted records for the archive.
///
/// Per field type: text is trimmed; codes are folded to half-width upper case without spaces
/// (identifier codes also lose their hyphens, other codes keep them); dates become `YYYY-MM-DD` (长期 → 2099-12-31);
/// enum codes become their values (`1` → 有效, with the feed's own codes first), and an enum list
/// its values in catalog order joined by `;` (`罚款、警告` → `警告;罚款`); empty tokens become NULL.
/// Whenever that changes a value, the raw value is kept in `raw`, so the archive can always show
/// what the department sent.
///
/// Each record also gets the digest of its normalized content (a resubmission with the same
/// digest is `unchanged`) and whether it withdraws its decision.
public struct Normalizer: Sendable {
    let kinds: [Kind]
    /// Per field, its enum values (catalog order) and code aliases, folded to bytes once.
    let enums: [EnumValues?]
    /// The status field and the values that withdraw a record.
    let withdrawal: (field: Int, values: [[UInt8]])?
    let fieldIDs: [[UInt8]]
    /// Per field, how it takes part in the content digest (``ContentRole``).
    let content: [ContentRole]
    /// Per field, the fields whose values are archived in its list (the 2016 layout's 处罚类别2
    /// in 处罚类别); a field merged into another is archived empty, its value kept in `raw`.
    let merged: [[Int]]
    /// Per field, true when it is merged into another (archived empty).
    let mergedAway: [Bool]
    let layout: FieldLayout
    /// Source columns the catalog does not know, with their header names.
    let extraColumns: [(column: Int, name: [UInt8])]
    let emptyTokens: EmptyTokens
    /// The column keyed sources (XML, JSON) put unknown keys in (`KeyedRecordBuilder.extraColumn`).
    static let keyedExtra = Array("_extra".utf8)

    enum Kind: Sendable {
        case text, date, code(removingHyphens: Bool), enumeration, enumerationList
    }

    struct EnumValues: Sendable {
        let values: [[UInt8]]
        let aliases: [(code: [UInt8], value: [UInt8])]
    }

    public init(item: CatalogItem, header: [String], mapping: HeaderMapping, emptyTokens: EmptyTokens = .standard) {
        kinds = item.fields.map { field in
            switch field.type {
            case .date: .date
            case .code(let kind): .code(removingHyphens: kind != .other)
            case .enumeration: .enumeration
            case .enumerationList: .enumerationList
            case .text, .decimal: .text
            }
        }
        enums = item.fields.map { field in
            switch field.type {
            case .enumeration(let values), .enumerationList(let values):
                EnumValues(values: values.map { Array($0.utf8) },
                           aliases: field.valueAliases.sorted { $0.key < $1.key }.map { (Array($0.key.utf8), Array($0.value.utf8)) })
            default: nil
            }
        }
        withdrawal = item.withdrawal.flatMap { rule in
            item.fieldIndex(id: rule.field).map { ($0, rule.values.map { Array($0.utf8) }) }
        }
        fieldIDs = item.fields.map { Array($0.id.utf8) }
        content = item.fields.map(\.content)
        merged = item.fields.map { field in item.fields.indices.filter { item.fields[$0].mergedInto == field.id } }
        mergedAway = item.fields.map { $0.mergedInto != nil }
        layout = mapping.layout
        let known = Set(mapping.layout.columns).union(mapping.feedbackColumns)
        extraColumns = header.indices.filter { !known.contains($0) }.map { ($0, Array(header[$0].utf8)) }
        self.emptyTokens = emptyTokens
    }

    /// Normalizes the records of `batch` whose `rejected` flag is false; `output` is overwritten.
    /// Records whose checks `skipping` says were skipped (``RepeatMarks``) are not normalized either.
    public func normalize(_ batch: RecordBatch, rejected: [Bool], skipping: [RepeatMarks.Fate] = [],
                          into output: inout NormalizedBatch) {
        output.removeAll()
        var rawObject: [UInt8] = []
        var content: [UInt8] = []
        var merging: [UInt8] = []
        batch.withFields { fields in
            for record in 0..<fields.count where !rejected[record] && (skipping.isEmpty || !skipping[record].skipsChecks) {
                rawObject.removeAll(keepingCapacity: true)
                content.removeAll(keepingCapacity: true)
                var withdrawn = false
                for field in 0..<kinds.count {
                    let value = fields.field(record, field, in: layout)
                    let start = output.bytes.count
                    let isNull: Bool
                    if !merged[field].isEmpty, merged[field].contains(where: { hasValue(record, $0, fields) }) {
                        isNull = appendMerged(record, field, fields, scratch: &merging, to: &output.bytes)
                    } else if mergedAway[field] {
                        isNull = true   // archived in the list of the field it is merged into
                    } else {
                        isNull = append(value, field: field, to: &output.bytes)
                    }
                    switch (self.content[field], isNull) {
                    case (.never, _), (.ifPresent, true):
                        break
                    case (.always, true):
                        content.append(0x1E)
                    case (.ifPresent, false):
                        // Tagged by the field's id: an optional field's place is not positional.
                        content.append(0x1D)
                        content.append(contentsOf: fieldIDs[field])
                        content.append(0x1D)
                        content.append(contentsOf: output.bytes[start...])
                        content.append(0x1F)
                    case (.always, false):
                        content.append(contentsOf: output.bytes[start...])
                        content.append(0x1F)
                    }
                    if !isNull {
                        if let withdrawal, withdrawal.field == field {
                            withdrawn = withdrawal.values.contains { $0.elementsEqual(output.bytes[start...]) }
                        }
                    }
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
                // Unknown columns are kept but are not content: an export timestamp column (the
                // 2016 layout's `sjc`) would otherwise make every record a new version every night.
                output.extra.append(extras(record, fields))
                output.contentDigests.append(KeyDigest(content))
                output.withdrawn.append(withdrawn)
                output.sourceRecords.append(record)
            }
        }
    }

    /// Appends the normalized value; returns true when it is NULL.
    private func append(_ value: UnsafeBufferPointer<UInt8>?, field: Int, to output: inout [UInt8]) -> Bool {
        guard let value else { return true }
        let trimmed = ByteText.trimmed(value)
        if emptyTokens.isEmpty(trimmed) { return true }
        switch kinds[field] {
        case .enumeration:
            appendEnum(trimmed, enums[field], to: &output)
        case .enumerationList:
            appendEnumList(trimmed, enums[field], to: &output)
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

    /// An enum value with a code alias resolved (`1` → 有效); anything else as it was sent.
    /// Folding uses a stack buffer: no allocation per value.
    private func appendEnum(_ value: UnsafeBufferPointer<UInt8>, _ spec: EnumValues?, to output: inout [UInt8]) {
        guard let spec else { return output.append(contentsOf: value) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(value.count, 1)) { buffer in
            let folded = UnsafeBufferPointer(rebasing: buffer[0..<ByteText.foldFullWidth(value, into: buffer)])
            for alias in spec.aliases where alias.code.withUnsafeBufferPointer({ ByteText.equal($0, folded) }) {
                return output.append(contentsOf: alias.value)
            }
            if spec.values.contains(where: { $0.withUnsafeBufferPointer { ByteText.equal($0, folded) } }) {
                return output.append(contentsOf: folded)
            }
            output.append(contentsOf: value)
        }
    }

    private func resolved(_ value: UnsafeBufferPointer<UInt8>, _ spec: EnumValues?) -> [UInt8] {
        var folded: [UInt8] = []
        ByteText.appendFoldingFullWidth(value, to: &folded)
        if let spec {
            for alias in spec.aliases where alias.code == folded { return alias.value }
            if spec.values.contains(folded) { return folded }
        }
        return Array(value)
    }

    /// An enum list in canonical form: its values resolved, each once, in the catalog's order
    /// (values it does not know, such as `其他-责令改正`, after them in the order sent), joined by `;`.
    private func appendEnumList(_ value: UnsafeBufferPointer<UInt8>, _ spec: EnumValues?, to output: inout [UInt8]) {
        var tokens: [(rank: Int, order: Int, bytes: [UInt8])] = []
        EnumListTokens.forEach(value) { token in
            let bytes = resolved(token, spec)
            guard !tokens.contains(where: { $0.bytes == bytes }) else { return }
            let rank = spec?.values.firstIndex(of: bytes) ?? Int.max
            tokens.append((rank, tokens.count, bytes))
        }
        tokens.sort { ($0.rank, $0.order) < ($1.rank, $1.order) }
        for (index, token) in tokens.enumerated() {
            if index > 0 { output.append(0x3B) }
            output.append(contentsOf: token.bytes)
        }
    }

    private func hasValue(_ record: Int, _ field: Int, _ fields: RecordBatch.Fields) -> Bool {
        guard let value = fields.field(record, field, in: layout) else { return false }
        return !emptyTokens.isEmpty(ByteText.trimmed(value))
    }

    /// A field's list with the lists of the fields merged into it, in canonical form; true when
    /// all are empty (NULL).
    /// `scratch` is the caller's buffer, reused from record to record.
    private func appendMerged(_ record: Int, _ field: Int, _ fields: RecordBatch.Fields, scratch joined: inout [UInt8],
                              to output: inout [UInt8]) -> Bool {
        joined.removeAll(keepingCapacity: true)
        func add(_ source: Int) {
            guard let value = fields.field(record, source, in: layout) else { return }
            let trimmed = ByteText.trimmed(value)
            if emptyTokens.isEmpty(trimmed) { return }
            if !joined.isEmpty { joined.append(0x3B) }
            joined.append(contentsOf: trimmed)
        }
        add(field)
        merged[field].forEach(add)
        guard !joined.isEmpty else { return true }
        joined.withUnsafeBufferPointer { appendEnumList($0, enums[field], to: &output) }
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
