import CreditCore
import CreditIdentifiers

/// The consistency checks of the subject block (credit-data-standard §7.5):
/// - `LB_CODE_MISMATCH` (warning): an organization with an individual-business code (`92…`),
///   or an individual business whose code is not `92…`;
/// - `ORGCODE_MISMATCH` (error): the organization code field differs from positions 9–17 of the USCC;
/// - `NAME_LOOKS_LIKE_ORG` (warning): a natural person named like a company (公司, 有限, 厂, 店).
struct SubjectConsistencyRule: RecordRule {
    let code: Int
    let name: Int
    let orgCode: Int?
    static let organizationWords: [[UInt8]] = ["公司", "有限", "厂", "店"].map { Array($0.utf8) }
    static let individualPrefix = Array("92".utf8)

    func check(_ record: Int, _ fields: RecordBatch.Fields, _ context: inout RuleContext) {
        if context.subjectKind == .naturalPerson {
            if let value = context.value(record, name, fields),
               Self.organizationWords.contains(where: { Self.contains(value, $0) }) {
                context.report(RuleIDs.nameLooksLikeOrganization, .warning, record: record, field: name, value: value,
                               fields: fields)
            }
            return
        }
        guard let value = context.value(record, code, fields) else { return }
        context.scratch.removeAll(keepingCapacity: true)
        CodeCanonicalForm.append(value, to: &context.scratch)
        let canonical = context.scratch
        guard canonical.count == USCC.length, canonical != USCC.placeholder else { return }
        let individual = canonical.starts(with: Self.individualPrefix)
        if (context.subjectKind == .organization && individual) || (context.subjectKind == .individualBusiness && !individual) {
            context.report(RuleIDs.subjectKindCodeMismatch, .warning, record: record, field: code, value: value,
                           fields: fields)
        }
        if let orgCode, let given = context.value(record, orgCode, fields) {
            context.scratch.removeAll(keepingCapacity: true)
            CodeCanonicalForm.append(given, to: &context.scratch)
            if !context.scratch.elementsEqual(canonical[8..<17]) {
                context.report(RuleIDs.orgCodeMismatch, .error, record: record, field: orgCode, value: given,
                               detail: OrganizationCode.display(canonical[8..<17]), fields: fields)
            }
        }
    }

    static func contains(_ text: UnsafeBufferPointer<UInt8>, _ word: [UInt8]) -> Bool {
        guard text.count >= word.count else { return false }
        for start in 0...(text.count - word.count) where text[start] == word[0] {
            if word.indices.allSatisfy({ text[start + $0] == word[$0] }) { return true }
        }
        return false
    }
}
