import CreditCore

/// `REQUIRED_WHEN`: the field must have a value when one of its conditions holds (a natural
/// person's 证件号码; the amount when 处罚类别 contains 罚款).
struct RequiredWhenRule: RecordRule {
    let field: Int
    let conditions: [ResolvedCondition]
    /// Not asked of a record decided before this (the field's `required_since`, as `REQUIRED`).
    var since: CivilDate?

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        if let since, let decided = context.decided, decided < since { return }
        guard context.value(record, field, fields) == nil,
              let condition = conditions.first(where: { $0.holds(record, fields, context) }) else { return }
        context.report(RuleIDs.requiredWhen, .error, record: record, field: field,
                       value: fields.field(record, field, in: context.layout), detail: condition.text, fields: fields)
    }
}

/// `FORBIDDEN_WHEN`: the field must be empty when one of its conditions holds: a natural
/// person's record carries no organization codes or legal representative (§7.5), which would
/// also publish personal data under an organization's heading.
struct ForbiddenWhenRule: RecordRule {
    let field: Int
    let conditions: [ResolvedCondition]

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = context.value(record, field, fields),
              let condition = conditions.first(where: { $0.holds(record, fields, context) }) else { return }
        context.report(RuleIDs.forbiddenWhen, .error, record: record, field: field, value: value,
                       detail: condition.text, fields: fields)
    }
}
