import CreditCore

/// How one record's values are shown outside the restricted archive (reports, `subject`,
/// `trace`, publication exports): fields marked `personal: always`, and `personal: natural_person`
/// fields when the record is about a natural person (or its kind is unknown: masking a company's
/// name by mistake costs less than exposing a person's), are masked whole; any other value keeps
/// its text, with every ID number in it masked by its shape and the record's own person's name
/// masked where free text repeats it (违法事实 that begins with it).
public struct PersonalValues: Sendable {
    public let item: CatalogItem
    public let isNaturalPerson: Bool
    /// The record's personal names (not codes) worth looking for in its free text.
    let names: [String]

    /// `values` by field id (or header name), as the record holds them.
    public init(item: CatalogItem, values: [(name: String, value: String)]) {
        self.item = item
        var isNaturalPerson = false
        if let kindField = item.subjectKindField, let kindIndex = item.fieldIndex(id: kindField) {
            let value = values.first { $0.name == kindField || item.fieldIndex(forHeader: $0.name) == kindIndex }?.value
            let resolved = value.map { item.fields[kindIndex].valueAliases[$0] ?? $0 }
            isNaturalPerson = (resolved.flatMap { item.subjectKinds[$0] } ?? .naturalPerson) == .naturalPerson
        }
        self.isNaturalPerson = isNaturalPerson
        names = values.filter { $0.value.count >= 2 && !$0.value.unicodeScalars.allSatisfy(\.isASCII) }
            .filter { Self.isPersonal($0.name, item: item, naturalPerson: isNaturalPerson) }.map(\.value)
    }

    /// Whether the field named `name` (id or header) is personal in this record.
    public func isPersonal(_ name: String) -> Bool {
        Self.isPersonal(name, item: item, naturalPerson: isNaturalPerson)
    }

    /// `value` of the field named `name`, as it may be shown.
    public func shown(_ name: String, _ value: String) -> String {
        if isPersonal(name) { return Self.mask(value) }
        var text = PersonalData.maskingIdentifiers(in: value)
        for name in names { text = text.replacingOccurrences(of: name, with: PersonalData.maskName(name)) }
        return text
    }

    /// ID-like values keep their ends, names their first character.
    public static func mask(_ value: String) -> String {
        PersonalData.shown(value, isPersonal: true)
    }

    static func isPersonal(_ name: String, item: CatalogItem, naturalPerson: Bool) -> Bool {
        guard let index = item.fieldIndex(id: name) ?? item.fieldIndex(forHeader: name) else { return false }
        switch item.fields[index].personal {
        case .always: return true
        case .naturalPerson: return naturalPerson
        case nil: return false
        }
    }
}
