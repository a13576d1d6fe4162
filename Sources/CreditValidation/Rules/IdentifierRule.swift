import CreditCore
import CreditIdentifiers

/// `USCC_*`, `ORG_*`, `ID_*`, `REGNO_*`: a code field of kind `uscc`, `org`, `id` or `regno` that
/// has a value passes its standard's check once folded to the canonical form (half-width, upper
/// case, no spaces or hyphens). Every defect found becomes a finding with its own severity.
struct IdentifierRule: RecordRule {
    let field: Int
    let kind: IdentifierKind
    let emptyTokens: EmptyTokens
    let reference: IdentifierReference
    let today: CivilDate

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = fields.field(record, field, in: context.layout) else { return }
        let trimmed = ByteText.trimmed(value)
        if emptyTokens.isEmpty(trimmed) { return }
        context.scratch.removeAll(keepingCapacity: true)
        CodeCanonicalForm.append(trimmed, to: &context.scratch)
        let result = context.scratch.withUnsafeBufferPointer { kind.check($0, reference: reference, today: today) }
        guard result.status != .valid else { return }
        for defect in result.defects {
            context.report(RuleID(defect.code), defect.severity, record: record, field: field, value: value,
                           detail: result.detail(for: defect), fields: fields)
        }
    }
}
