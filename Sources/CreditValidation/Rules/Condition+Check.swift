import CreditCatalog
import CreditCore

/// A catalog ``Condition`` resolved to field indices and byte strings.
struct ResolvedCondition: Sendable {
    enum Test: Sendable {
        case subject([SubjectKind])
        case contains(field: Int, values: [[UInt8]])
        case equals(field: Int, values: [[UInt8]])
        case present(field: Int)
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
            test = .contains(field: column, values: values.map { Array($0.utf8) })
            text = "\(name(field)) ∋ \(values.joined(separator: " / "))"
        case .equals(let field, let values):
            guard let column = index(field) else { return nil }
            test = .equals(field: column, values: values.map { Array($0.utf8) })
            text = "\(name(field)) = \(values.joined(separator: " / "))"
        case .present(let field):
            guard let column = index(field) else { return nil }
            test = .present(field: column)
            text = "\(name(field)) 已填写"
        }
    }

    func holds(_ record: Int, _ fields: RecordBatch.Fields, _ context: RuleContext) -> Bool {
        switch test {
        case .subject(let kinds):
            guard let kind = context.subjectKind else { return false }
            return kinds.contains(kind)
        case .present(let field):
            return context.value(record, field, fields) != nil
        case .equals(let field, let values):
            guard let value = context.value(record, field, fields) else { return false }
            return context.item.resolvingAlias(value, field: field) { resolved in
                values.contains { $0.withUnsafeBufferPointer { ByteText.equal($0, resolved) } }
            }
        case .contains(let field, let values):
            guard let value = context.value(record, field, fields) else { return false }
            var found = false
            EnumListTokens.forEach(value) { token in
                if found { return }
                found = context.item.resolvingAlias(token, field: field) { resolved in
                    values.contains { $0.withUnsafeBufferPointer { ByteText.equal($0, resolved) } }
                }
            }
            return found
        }
    }
}

/// Splits an enum-list value on the separators departments use: `;` `；` `、` `,` `，`.
enum EnumListTokens {
    static func forEach(_ value: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0, index = 0
        let count = value.count
        while index < count {
            let width = separatorWidth(value, at: index)
            if width > 0 {
                let token = ByteText.trimmed(UnsafeBufferPointer(rebasing: value[start..<index]))
                if !token.isEmpty { body(token) }
                index += width
                start = index
            } else {
                index += 1
            }
        }
        let token = ByteText.trimmed(UnsafeBufferPointer(rebasing: value[start..<count]))
        if !token.isEmpty { body(token) }
    }

    /// Bytes of the separator starting at `index`, or 0.
    static func separatorWidth(_ value: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = value[index]
        if byte == 0x3B || byte == 0x2C { return 1 }
        guard index + 2 < value.count else { return 0 }
        let b1 = value[index + 1], b2 = value[index + 2]
        if byte == 0xEF, b1 == 0xBC, b2 == 0x9B || b2 == 0x8C { return 3 }   // ； ，
        if byte == 0xE3, b1 == 0x80, b2 == 0x81 { return 3 }                  // 、
        return 0
    }
}
