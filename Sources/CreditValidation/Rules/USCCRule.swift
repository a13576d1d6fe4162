import CreditCore
import CreditIdentifiers

/// `USCC_*`: a code field of kind `uscc` that has a value holds a valid unified social credit
/// code once folded to its canonical form (half-width, upper case, no spaces).
struct USCCRule: RecordRule {
    let field: Int
    let emptyTokens: EmptyTokens

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = fields.field(record, field, in: context.layout) else { return }
        let trimmed = ByteText.trimmed(value)
        if emptyTokens.isEmpty(trimmed) { return }
        context.scratch.removeAll(keepingCapacity: true)
        CodeCanonicalForm.append(trimmed, removingHyphens: false, to: &context.scratch)
        let verdict = context.scratch.withUnsafeBufferPointer { USCC.validate($0) }
        guard case .invalid(let defect) = verdict else { return }
        var detail: String?
        if case .checkCharacter(let expected) = defect { detail = String(expected) }
        context.report(RuleID(defect.code), .error, record: record, field: field, value: value, detail: detail,
                       fields: fields)
    }
}
