import CreditCore

/// `DECIMAL_FORMAT` (error): a number ≥ 0 with at most `scale` decimals (万元 amounts: 6, exact
/// to the fen); `AMOUNT_NOT_POSITIVE` (error): zero where a condition requires the amount
/// (处罚类别 ∋ 罚款); `AMOUNT_UNIT_SUSPECT` (warning): so large it was probably sent in 元.
struct DecimalRule: RecordRule {
    let field: Int
    let scale: Int
    let positiveWhen: [ResolvedCondition]
    let suspiciousFrom: Double?

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = context.value(record, field, fields) else { return }
        context.scratch.removeAll(keepingCapacity: true)
        ByteText.appendFoldingFullWidth(value, to: &context.scratch)
        let parsed = context.scratch.withUnsafeBufferPointer(Self.parse)
        guard let (number, decimals) = parsed, decimals <= scale else {
            context.report(RuleIDs.decimalFormat, .error, record: record, field: field, value: value,
                           detail: parsed == nil ? nil : "≤ \(scale)", fields: fields)
            return
        }
        if number == 0, positiveWhen.contains(where: { $0.holds(record, fields, context) }) {
            context.report(RuleIDs.amountNotPositive, .error, record: record, field: field, value: value, fields: fields)
        } else if let suspiciousFrom, number >= suspiciousFrom {
            context.report(RuleIDs.amountUnitSuspect, .warning, record: record, field: field, value: value, fields: fields)
        }
    }

    /// The value and its number of decimals, or nil when it is not a plain non-negative decimal.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> (Double, Int)? {
        var integer = 0.0, fraction = 0.0, scale = 1.0
        var digits = 0, decimals = 0, seenPoint = false
        for byte in text {
            if byte >= 0x30, byte <= 0x39 {
                let digit = Double(byte - 0x30)
                if seenPoint {
                    decimals += 1
                    scale /= 10
                    fraction += digit * scale
                } else {
                    integer = integer * 10 + digit
                }
                digits += 1
            } else if byte == 0x2E, !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
        }
        return digits == 0 ? nil : (integer + fraction, decimals)
    }
}

/// `LENGTH_EXCEEDED` (warning): longer than the catalog's recommended maximum, in characters.
struct LengthRule: RecordRule {
    let field: Int
    let maximum: Int

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = context.value(record, field, fields), value.count > maximum else { return }
        // Characters are the bytes that do not continue a UTF-8 sequence.
        let characters = value.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        guard characters > maximum else { return }
        context.report(RuleIDs.lengthExceeded, .warning, record: record, field: field, value: value,
                       detail: "\(characters) / \(maximum)", fields: fields)
    }
}

/// `PATTERN` (error): the whole value matches the catalog's regular expression.
struct PatternRule: RecordRule, @unchecked Sendable {
    let field: Int
    let pattern: Regex<AnyRegexOutput>
    let source: String

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = context.value(record, field, fields) else { return }
        let text = ByteText.string(value)
        let matched = (try? pattern.wholeMatch(in: text)).flatMap { $0 } != nil
        if !matched {
            context.report(RuleIDs.pattern, .error, record: record, field: field, value: value, detail: source,
                           fields: fields)
        }
    }
}
