import CreditCore

/// `CONTROL_CHARACTER` and `INVALID_UTF8` (errors): a column's bytes are not clean UTF-8 text.
/// Every column of the record is checked, the catalog's fields and the unknown ones kept in
/// `_extra` alike, since both are stored as TEXT. The value is never echoed (it may be a name, and
/// is not printable); the detail gives the byte offset in the field.
struct TextRule: RecordRule {
    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        for column in 0..<fields.fieldCount(record) {
            guard let value = fields.field(record, column: column), let defect = ByteText.textDefect(value) else {
                continue
            }
            let rule: RuleID, offset: Int
            switch defect {
            case .controlCharacter(let at): (rule, offset) = (RuleIDs.controlCharacter, at)
            case .invalidUTF8(let at): (rule, offset) = (RuleIDs.invalidUTF8, at)
            }
            if let field = context.layout.columns.firstIndex(of: column) {
                context.report(rule, .error, record: record, field: field, value: nil, detail: "\(offset)", fields: fields)
            } else {
                context.report(rule, .error, record: record, detail: "column \(column + 1), byte \(offset)")
            }
        }
    }
}
