import CreditCatalog
import CreditCore

/// Runs one item's rules over batches of records.
///
/// Built once per (item, file layout); `validate` then does no per-record allocation except for
/// the findings it keeps.
public struct Validator: Sendable {
    let item: CatalogItemView
    let layout: FieldLayout
    let rowRule = FieldCountRule()
    let rules: [any RecordRule]

    public init(item: CatalogItem, layout: FieldLayout, emptyTokens: EmptyTokens = .standard) {
        self.item = CatalogItemView(item)
        self.layout = layout
        var rules: [any RecordRule] = []
        for (index, field) in item.fields.enumerated() {
            if field.required { rules.append(RequiredRule(field: index, emptyTokens: emptyTokens)) }
            switch field.type {
            case .date: rules.append(DateRule(field: index, emptyTokens: emptyTokens))
            case .code(.uscc): rules.append(USCCRule(field: index, emptyTokens: emptyTokens))
            default: break
            }
        }
        self.rules = rules
    }

    /// Checks every record of `batch`; `outcome` is overwritten.
    public func validate(_ batch: RecordBatch, into outcome: inout ValidationOutcome) {
        outcome.removeAll()
        var context = RuleContext(layout: layout, item: item)
        batch.withFields { fields in
            for record in 0..<fields.count {
                context.recordHasError = false
                rowRule.check(record, fields, &context)
                if !context.recordHasError {
                    for rule in rules { rule.check(record, fields, &context) }
                }
                outcome.rejected.append(context.recordHasError)
                if context.recordHasError { outcome.rejectedCount += 1 }
            }
        }
        swap(&outcome.findings, &context.findings)
    }
}

/// What validating a batch found: which records are rejected, and every finding.
public struct ValidationOutcome: Sendable {
    /// `rejected[i]` is true when record `i` has at least one error.
    public internal(set) var rejected: [Bool] = []
    public internal(set) var rejectedCount = 0
    /// Findings in record order; `Finding.record` indexes the batch.
    public internal(set) var findings: [Finding] = []

    public init() {}

    mutating func removeAll() {
        rejected.removeAll(keepingCapacity: true)
        findings.removeAll(keepingCapacity: true)
        rejectedCount = 0
    }
}
