import CreditCore

/// `ROW_FIELD_COUNT`: a row must have as many fields as the header. When it does not, the other
/// rules are skipped: with shifted columns their findings would be noise.
struct FieldCountRule: RecordRule {
    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        let count = fields.fieldCount(record)
        if count != context.layout.headerCount {
            context.report(RuleIDs.fieldCount, .error, record: record,
                           detail: "\(count) / \(context.layout.headerCount)")
        }
    }
}
