import CreditCore

/// `CFLB_BEFORE_LAW` (warning): an enum value a later law introduced, on a decision dated before
/// the law took effect (spec §7.2: 通报批评, 降低资质等级, … came with the 2021 行政处罚法, in force
/// from 2021-07-15). Usually a decision recategorized after the fact, or a wrong date.
struct IntroducedValueRule: RecordRule {
    let field: Int
    let values: [[UInt8]]
    let since: CivilDate
    let date: Int

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = context.value(record, field, fields),
              let decided = dateValue(record, date, fields, context), decided < since else { return }
        var found = false
        EnumListTokens.forEach(value) { token in
            guard !found else { return }
            found = context.item.resolvingAlias(token, field: field) { EnumRule.contains(values, $0) }
        }
        if found {
            context.report(RuleIDs.valueBeforeLaw, .warning, record: record, field: field, value: value,
                           detail: since.description, fields: fields)
        }
    }
}

/// `PUBLICATION_PERIOD` (warning): an end of publication (公示截止期) outside the period the
/// credit-repair rules allow from the decision (spec §7.6: 3 months to 3 years). An end before the
/// start is `DATE_ORDER`'s, not this rule's.
struct PublicationPeriodRule: RecordRule {
    let from: Int
    let until: Int
    let minimumMonths: Int
    let maximumMonths: Int

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let start = dateValue(record, from, fields, context),
              let end = dateValue(record, until, fields, context), end >= start else { return }
        let earliest = start.adding(months: minimumMonths), latest = start.adding(months: maximumMonths)
        if end < earliest || latest < end {
            context.report(RuleIDs.publicationPeriod, .warning, record: record, field: until,
                           value: fields.field(record, until, in: context.layout),
                           detail: "\(earliest.description)…\(latest.description)", fields: fields)
        }
    }
}

/// `AMOUNT_UNIT_SUSPECT` (warning): the amount a text states (`罚款人民币5000元`) disagrees with the
/// amount field in 万元 (`0.5`): usually the field was filled in 元 (spec §7.6). The first amount
/// after the keyword counts; `万元` and `元` are understood, thousands separators ignored.
struct AmountInTextRule: RecordRule {
    let text: Int
    let amount: Int
    let keyword: [UInt8]
    /// The amount field's decimals and `suspicious_from`: a malformed, zero or huge amount is
    /// reported once, by `DecimalRule`.
    let scale: Int
    let suspiciousFrom: Double?
    static let yuan = Array("元".utf8)
    static let wanYuan = Array("万元".utf8)

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let content = context.value(record, text, fields), let declared = context.value(record, amount, fields)
        else { return }
        context.scratch.removeAll(keepingCapacity: true)
        ByteText.appendFoldingFullWidth(content, to: &context.scratch)
        guard let stated = context.scratch.withUnsafeBufferPointer({ Self.statedYuan($0, after: keyword) }) else { return }
        context.scratch.removeAll(keepingCapacity: true)
        ByteText.appendFoldingFullWidth(declared, to: &context.scratch)
        guard let (tenThousands, decimals) = context.scratch.withUnsafeBufferPointer(DecimalRule.parse),
              decimals <= scale, tenThousands > 0, tenThousands < suspiciousFrom ?? .infinity else { return }
        if abs(stated / 10_000 - tenThousands) > 0.000_000_5 {
            context.report(RuleIDs.amountUnitSuspect, .warning, record: record, field: amount, value: declared,
                           detail: Self.format(stated), fields: fields)
        }
    }

    /// The amount in 元 stated after `keyword`: the first number within a few characters of it
    /// (`罚款人民币 5,000 元`), followed by 元 or 万元; nil when there is none.
    static func statedYuan(_ text: UnsafeBufferPointer<UInt8>, after keyword: [UInt8]) -> Double? {
        guard let start = firstIndex(of: keyword, in: text) else { return nil }
        var index = start + keyword.count
        // Skip at most a few characters (人民币, 共计, spaces) to the number.
        let limit = min(text.count, index + 18)
        while index < limit, !(text[index] >= 0x30 && text[index] <= 0x39) { index += 1 }
        guard index < limit else { return nil }
        var value = 0.0, scale = 0.0
        while index < text.count {
            let byte = text[index]
            if byte >= 0x30, byte <= 0x39 {
                if scale == 0 {
                    value = value * 10 + Double(byte - 0x30)
                } else {
                    scale /= 10
                    value += Double(byte - 0x30) * scale
                }
            } else if byte == 0x2E, scale == 0 {
                scale = 1
            } else if byte != 0x2C {
                break
            }
            index += 1
        }
        while index < text.count, text[index] == 0x20 { index += 1 }
        let rest = UnsafeBufferPointer(rebasing: text[index...])
        if rest.starts(with: wanYuan) { return value * 10_000 }
        if rest.starts(with: yuan) { return value }
        return nil
    }

    static func firstIndex(of needle: [UInt8], in text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !needle.isEmpty, text.count >= needle.count else { return nil }
        for start in 0...(text.count - needle.count) where text[start] == needle[0] {
            if needle.indices.allSatisfy({ text[start + $0] == needle[$0] }) { return start }
        }
        return nil
    }

    static func format(_ yuan: Double) -> String {
        yuan == yuan.rounded() ? "\(Int(yuan))元" : "\(yuan)元"
    }
}
