import CreditCore

/// `DATE_FORMAT` (error), `DATE_UNPADDED` and `DATE_LONG_TERM_TEXT` (warnings: 长期/永久 sent as
/// text, archived as 2099-12-31) for a date field that has a value.
struct DateRule: RecordRule {
    let field: Int
    let emptyTokens: EmptyTokens

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = fields.field(record, field, in: context.layout),
              !emptyTokens.isEmpty(ByteText.trimmed(value)) else { return }
        switch CivilDate.parse(value) {
        case .date(_, unpadded: false):
            return
        case .longTerm:
            context.report(RuleIDs.dateLongTermText, .warning, record: record, field: field, value: value, fields: fields)
        case .date(_, unpadded: true):
            context.report(RuleIDs.dateUnpadded, .warning, record: record, field: field, value: value, fields: fields)
        case .invalid(let defect):
            context.report(RuleIDs.dateFormat, .error, record: record, field: field, value: value,
                           detail: defect == .nonexistentDay ? "日期不存在 / no such day" : nil, fields: fields)
        }
    }
}
