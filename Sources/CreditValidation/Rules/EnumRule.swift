import CreditCore

/// `ENUM_VALUE` (error), `ENUM_LEGACY` and `ENUM_OTHER_UNSTATED` (warnings): an enum field holds
/// one of its values, an enum list holds only such values; code aliases (`01`) are accepted.
///
/// `其他` may carry its explanation after `-`, `－`, `：`, `:`, `（` or `(` (`其他-责令改正`); a bare
/// `其他` is accepted with a warning, since the standard asks for the specific category.
struct EnumRule: RecordRule {
    let field: Int
    let isList: Bool
    let values: [[UInt8]]
    let legacy: [[UInt8]]
    static let other = Array("其他".utf8)
    static let otherSeparators: [[UInt8]] = ["-", "－", "：", ":", "（", "(", "—"].map { Array($0.utf8) }

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = context.value(record, field, fields) else { return }
        if isList {
            var worst: (RuleID, Severity)?
            EnumListTokens.forEach(value) { token in
                guard let verdict = judge(token, context), worst?.1 != .error else { return }
                worst = verdict
            }
            if let worst { context.report(worst.0, worst.1, record: record, field: field, value: value, fields: fields) }
        } else if let verdict = judge(value, context) {
            context.report(verdict.0, verdict.1, record: record, field: field, value: value, fields: fields)
        }
    }

    /// nil when the token is a value; otherwise the rule it breaks.
    private func judge(_ token: UnsafeBufferPointer<UInt8>, _ context: RuleContext) -> (RuleID, Severity)? {
        context.item.resolvingAlias(token, field: field) { resolved in
            if Self.contains(values, resolved) {
                let bareOther = Self.other.withUnsafeBufferPointer { ByteText.equal($0, resolved) }
                return bareOther ? (RuleIDs.enumOtherUnstated, .warning) : nil
            }
            if isExplainedOther(resolved) { return nil }
            if Self.contains(legacy, resolved) { return (RuleIDs.enumLegacy, .warning) }
            return (RuleIDs.enumValue, .error)
        }
    }

    private func isExplainedOther(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard values.contains(Self.other), value.count > Self.other.count, value.starts(with: Self.other) else {
            return false
        }
        let rest = UnsafeBufferPointer(rebasing: value[Self.other.count...])
        return Self.otherSeparators.contains { rest.count > $0.count && rest.starts(with: $0) }
    }

    static func contains(_ list: [[UInt8]], _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        list.contains { $0.withUnsafeBufferPointer { ByteText.equal($0, value) } }
    }
}
