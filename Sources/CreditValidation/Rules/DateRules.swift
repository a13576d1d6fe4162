import CreditCore

/// The date a field holds, `长期` in an end date read as 2099-12-31; nil when empty or not a date
/// (`DATE_FORMAT` reports those, 长期 in a date that is not an end date included, so no rule
/// compares a decision with a 2099 it never had).
func dateValue(_ record: Int, _ field: Int, _ fields: RecordBatch.Fields, _ context: RuleContext) -> CivilDate? {
    guard let value = context.value(record, field, fields) else { return nil }
    switch CivilDate.parse(value) {
    case .date(let date, _): return date
    case .longTerm: return context.item.fields[field].allowsLongTerm ? .longTerm : nil
    case .invalid: return nil
    }
}

/// `DATE_ORDER` (error) or `DATE_ORDER_UNUSUAL` (warning): one date of a record must not come
/// before another (有效期至 ≥ 有效期自; 处罚有效期 ≥ 处罚决定日期).
struct DateOrderCheck: RecordRule {
    let earlier: Int
    let later: Int
    let isError: Bool
    let when: ResolvedCondition?
    let text: String

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let first = dateValue(record, earlier, fields, context),
              let second = dateValue(record, later, fields, context), second < first else { return }
        if let when, !when.holds(record, fields, context) { return }
        context.report(isError ? RuleIDs.dateOrder : RuleIDs.dateOrderUnusual, isError ? .error : .warning,
                       record: record, field: later, value: fields.field(record, later, in: context.layout),
                       detail: text, fields: fields)
    }
}

/// `DATE_IMPLAUSIBLE` (error): before the People's Republic (1949-10-01); `DATE_EARLY` (warning):
/// before the field's plausible start (1990-01-01 unless the catalog says otherwise, such as a
/// company's founding date). For the decision date also `DATE_AFTER_SUBMISSION` (error: decided
/// after the file was submitted).
struct DateBoundsRule: RecordRule {
    let field: Int
    /// Set for the decision date only.
    let submitted: CivilDate?
    let plausibleFrom: CivilDate
    static let founding = CivilDate(year: 1949, month: 10, day: 1)!
    static let early = CivilDate(year: 1990, month: 1, day: 1)!

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let date = dateValue(record, field, fields, context) else { return }
        let value = fields.field(record, field, in: context.layout)
        if date < Self.founding {
            context.report(RuleIDs.dateImplausible, .error, record: record, field: field, value: value, fields: fields)
        } else if let submitted, date > submitted {
            context.report(RuleIDs.dateAfterSubmission, .error, record: record, field: field, value: value,
                           detail: submitted.description, fields: fields)
        } else if date < plausibleFrom {
            context.report(RuleIDs.dateEarly, .warning, record: record, field: field, value: value,
                           detail: plausibleFrom.description, fields: fields)
        }
    }
}
