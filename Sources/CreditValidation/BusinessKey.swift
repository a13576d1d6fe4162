import CreditCatalog
import CreditCore

/// The business key of a record (§7.6: 文书号 + subject code or ID number + decision date, and
/// 许可编号 for licences), in the form the archive remembers it by.
///
/// Each part is normalized before it is hashed, so the same decision sent as `2025/09/26` one
/// night and `2025-09-26` the next, or with a code in lower case, has the same key: codes in
/// their canonical form, dates in ISO form, text trimmed.
public enum BusinessKey {
    /// One field that can make up a key part.
    public struct Part: Sendable {
        public var field: Int
        public var kind: Kind
        public var required: Bool
        /// True for the part naming the subject (its code or ID number): left out of the decision.
        public var isSubject: Bool
    }

    public enum Kind: Sendable { case code, date, text }

    /// Per key part of `item`, its alternatives (`a|b`: the first with a value).
    public static func parts(of item: CatalogItem) -> [[Part]] {
        item.businessKey.map { part in
            let alternatives = part.split(separator: "|").map(String.init)
            let isSubject = alternatives.contains { $0 == item.subject?.code || $0 == item.subject?.name }
                || alternatives.contains { id in
                    item.fieldIndex(id: id).map { !item.fields[$0].identityNumberWhen.isEmpty } ?? false
                }
            return alternatives.compactMap { id in
                item.fieldIndex(id: String(id)).map { index in
                    let kind: Kind = switch item.fields[index].type {
                    case .code: .code
                    case .date: .date
                    default: .text
                    }
                    return Part(field: index, kind: kind, required: item.fields[index].required, isSubject: isSubject)
                }
            }
        }
    }

    /// Appends a part's normalized value to the key being built.
    public static func append(_ value: UnsafeBufferPointer<UInt8>, kind: Kind, to key: inout [UInt8]) {
        let trimmed = ByteText.trimmed(value)
        switch kind {
        case .code:
            CodeCanonicalForm.append(trimmed, to: &key)
        case .date:
            switch CivilDate.parse(trimmed) {
            case .date(let date, _): date.appendISO(to: &key)
            case .longTerm: CivilDate.longTerm.appendISO(to: &key)
            case .invalid: key.append(contentsOf: trimmed)
            }
        case .text:
            key.append(contentsOf: trimmed)
        }
    }

    /// The digest of a key given as text, one value per key part in the catalog's order (for an
    /// `a|b` part, the value of whichever field the record used): what `credit-etl trace` looks
    /// records up by. Nil when the number of values does not match the item's key.
    public static func digest(item: CatalogItem, values: [String]) -> KeyDigest? {
        let parts = parts(of: item)
        guard !parts.isEmpty, values.count == parts.count else { return nil }
        var key: [UInt8] = []
        for (part, value) in zip(parts, values) {
            guard let kind = part.first?.kind else { return nil }
            var text = value
            if !text.isEmpty {
                text.withUTF8 { append($0, kind: kind, to: &key) }
            }
            key.append(0x1F)
        }
        return KeyDigest(key)
    }
}
