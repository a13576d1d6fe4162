import CreditCore
import CreditIdentifiers

/// `USCC_*`, `ORG_*`, `ID_*`, `REGNO_*`: a code field of kind `uscc`, `org`, `id` or `regno` that
/// has a value passes its standard's check once folded to the canonical form (half-width, upper
/// case, no spaces or hyphens). Every defect found becomes a finding with its own severity.
///
/// Two catalog-dependent refinements (credit-data-standard §7.6):
/// - on the subject code field, the placeholder `00000000000000000X` of an individual business is
///   a warning (`USCC_PLACEHOLDER_ACCEPTED`), and its registration number is then required
///   (`PLACEHOLDER_REGNO_MISSING`); anywhere else the placeholder stays an error;
/// - on authority code fields, a valid code whose first character is not `1` (机构编制) gets
///   `AUTHORITY_CODE_UNUSUAL`: authorized organizations exist, so it is only a warning.
struct IdentifierRule: RecordRule {
    let field: Int
    let kind: IdentifierKind
    let reference: IdentifierReference
    let today: CivilDate
    /// Set on the subject code field: the registration number field the placeholder requires.
    var placeholderRegistration: Int??
    var isAuthorityCode = false
    /// Only when one of these holds (a 证件号码 whose 证件类型 is 身份证); always when empty.
    var when: [ResolvedCondition] = []

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        guard let value = context.value(record, field, fields) else { return }
        if !when.isEmpty, !when.contains(where: { $0.holds(record, fields, context) }) { return }
        context.scratch.removeAll(keepingCapacity: true)
        CodeCanonicalForm.append(value, to: &context.scratch)
        let result = context.scratch.withUnsafeBufferPointer { kind.check($0, reference: reference, today: today) }
        if result.status == .valid {
            if isAuthorityCode, context.scratch.first != UInt8(ascii: "1") {
                context.report(RuleIDs.authorityCodeUnusual, .warning, record: record, field: field, value: value,
                               fields: fields)
            }
            return
        }
        if result.defects == [.usccPlaceholder], let registration = placeholderRegistration,
           context.subjectKind == .individualBusiness {
            context.report(RuleIDs.placeholderAccepted, .warning, record: record, field: field, value: value,
                           fields: fields)
            if let registration, context.value(record, registration, fields) == nil {
                context.report(RuleIDs.placeholderRegistrationMissing, .error, record: record, field: registration,
                               value: nil, fields: fields)
            }
            return
        }
        for defect in result.defects {
            context.report(RuleID(defect.code), defect.severity, record: record, field: field, value: value,
                           detail: result.detail(for: defect), fields: fields)
        }
    }
}
