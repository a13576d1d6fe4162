import CreditCore

/// `REQUIRED`: the field holds a value other than blanks and the empty tokens (`/`, `无`, …).
/// A field required since an edition of the standard (`required_since`) is not asked of a record
/// decided before it: the 2016 layout had no 违法行为类型.
struct RequiredRule: RecordRule {
    let field: Int
    let emptyTokens: EmptyTokens
    var since: CivilDate?

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        if let since, let decided = context.decided, decided < since { return }
        let value = fields.field(record, field, in: context.layout)
        if let value, !emptyTokens.isEmpty(ByteText.trimmed(value)) { return }
        context.report(RuleIDs.required, .error, record: record, field: field, value: value, fields: fields)
    }
}
