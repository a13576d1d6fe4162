import CreditCore

/// `DATE_FORMAT` (error), `DATE_UNPADDED` and `DATE_LONG_TERM_TEXT` (warnings: 长期/永久 sent as
/// text in an end date, archived as 2099-12-31) for a date field that has a value. 长期 in a date
/// that is not an end date (a decision date) is a `DATE_FORMAT` error.
struct DateRule: RecordRule {
    let field: Int
    let emptyTokens: EmptyTokens
    /// Whether the field is an end date (``FieldSpec/allowsLongTerm``).
    var allowsLongTerm = false

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = fields.field(record, field, in: context.layout),
              !emptyTokens.isEmpty(ByteText.trimmed(value)) else { return }
        switch CivilDate.parse(value) {
        case .date(_, unpadded: false):
            return
        case .longTerm where allowsLongTerm:
            context.report(RuleIDs.dateLongTermText, .warning, record: record, field: field, value: value, fields: fields)
        case .longTerm:
            context.report(RuleIDs.dateFormat, .error, record: record, field: field, value: value,
                           detail: "长期/永久只用于有效期、公示期等截止日期 / long-term is for end dates only", fields: fields)
        case .date(_, unpadded: true):
            context.report(RuleIDs.dateUnpadded, .warning, record: record, field: field, value: value, fields: fields)
        case .invalid(let defect):
            context.report(RuleIDs.dateFormat, .error, record: record, field: field, value: value,
                           detail: defect == .nonexistentDay ? "日期不存在 / no such day" : nil, fields: fields)
        }
    }
}
