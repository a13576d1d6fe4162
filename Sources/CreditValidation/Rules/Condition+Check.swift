import CreditCatalog
import CreditCore

/// A catalog ``Condition`` resolved to field indices and byte strings.
struct ResolvedCondition: Sendable {
    enum Test: Sendable {
        case subject([SubjectKind])
        /// `merged` are the fields whose values belong to this one's list (``FieldSpec/mergedInto``).
        case contains(field: Int, values: [[UInt8]], merged: [Int])
        case equals(field: Int, values: [[UInt8]])
        case present(field: Int)
        case columnAbsent(field: Int)
    }

    let test: Test
    /// How the condition reads in a message: `行政相对人类别 = 自然人`.
    let text: String

    init?(_ condition: Condition, item: CatalogItem) {
        func index(_ id: String) -> Int? { item.fieldIndex(id: id) }
        func name(_ id: String) -> String { index(id).map { item.fields[$0].name } ?? id }
        switch condition {
        case .subject(let kinds):
            test = .subject(kinds)
            let kindField = item.subjectKindField.map(name) ?? "subject"
            let values = kinds.map { kind in
                item.subjectKinds.filter { $0.value == kind }.map(\.key).filter { !$0.allSatisfy(\.isNumber) }.sorted()
                    .first ?? kind.rawValue
            }
            text = "\(kindField) = \(values.joined(separator: " / "))"
        case .contains(let field, let values):
            guard let column = index(field) else { return nil }
            let merged = item.fields.indices.filter { item.fields[$0].mergedInto == field }
            test = .contains(field: column, values: values.map { Array($0.utf8) }, merged: merged)
            text = "\(name(field)) ∋ \(values.joined(separator: " / "))"
        case .equals(let field, let values):
            guard let column = index(field) else { return nil }
            test = .equals(field: column, values: values.map { Array($0.utf8) })
            text = "\(name(field)) = \(values.joined(separator: " / "))"
        case .present(let field):
            guard let column = index(field) else { return nil }
            test = .present(field: column)
            text = "\(name(field)) 已填写"
        case .columnAbsent(let field):
            guard let column = index(field) else { return nil }
            test = .columnAbsent(field: column)
            text = "文件无「\(name(field))」列"
        }
    }

    func holds(_ record: Int, _ fields: RecordBatch.Fields, _ context: RuleContext) -> Bool {
        switch test {
        case .subject(let kinds):
            guard let kind = context.subjectKind else { return false }
            return kinds.contains(kind)
        case .present(let field):
            return context.value(record, field, fields) != nil
        case .columnAbsent(let field):
            return context.layout.column(ofField: field) < 0
        case .equals(let field, let values):
            guard let value = context.value(record, field, fields) else { return false }
            return context.item.resolvingAlias(value, field: field) { resolved in
                values.contains { $0.withUnsafeBufferPointer { ByteText.equal($0, resolved) } }
            }
        case .contains(let field, let values, let merged):
            var found = false
            for source in [field] + merged {
                guard let value = context.value(record, source, fields) else { continue }
                EnumListTokens.forEach(value) { token in
                    if found { return }
                    found = context.item.resolvingAlias(token, field: source) { resolved in
                        values.contains { $0.withUnsafeBufferPointer { ByteText.equal($0, resolved) } }
                    }
                }
                if found { return true }
            }
            return false
        }
    }
}
