import CreditCatalog
import CreditCore
import CreditIdentifiers

/// Runs one item's rules over batches of records.
///
/// Built once per (item, file layout); `validate` then does no per-record allocation except for
/// the findings it keeps.
public struct Validator: Sendable {
    let item: CatalogItemView
    let layout: FieldLayout
    let rowRule = FieldCountRule()
    let rules: [any RecordRule]

    /// - Parameters:
    ///   - identifiers: the reference tables identifier checks consult (the catalog's own).
    ///   - today: the run's date in Asia/Shanghai; dates after it (births, decisions) are errors.
    public init(item: CatalogItem, layout: FieldLayout, emptyTokens: EmptyTokens = .standard,
                identifiers: IdentifierReference = .standard, today: CivilDate) {
        self.item = CatalogItemView(item)
        self.layout = layout
        var rules: [any RecordRule] = []
        for (index, field) in item.fields.enumerated() {
            if field.required { rules.append(RequiredRule(field: index, emptyTokens: emptyTokens)) }
            switch field.type {
            case .date: rules.append(DateRule(field: index, emptyTokens: emptyTokens))
            case .code(let kind):
                if let identifier = IdentifierKind(kind) {
                    rules.append(IdentifierRule(field: index, kind: identifier, emptyTokens: emptyTokens,
                                                reference: identifiers, today: today))
                }
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

extension IdentifierKind {
    /// The identifier standard a catalog code kind names; nil for `other` (folded, not checked).
    init?(_ kind: CodeKind) {
        switch kind {
        case .uscc: self = .uscc
        case .org: self = .org
        case .id: self = .id
        case .regno: self = .regno
        case .other: return nil
        }
    }
}
