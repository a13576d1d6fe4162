import CreditCore

/// `REQUIRED`: the field holds a value other than blanks and the empty tokens (`/`, `无`, …).
struct RequiredRule: RecordRule {
    let field: Int
    let emptyTokens: EmptyTokens

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        let value = fields.field(record, field, in: context.layout)
        if let value, !emptyTokens.isEmpty(ByteText.trimmed(value)) { return }
        context.report(RuleIDs.required, .error, record: record, field: field, value: value, fields: fields)
    }
}
