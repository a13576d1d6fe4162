import CreditArchive
import CreditCatalog
import CreditCore

/// Masks the personal data of a stored record as reports do: fields marked `personal: always`,
/// and `personal: natural_person` fields when the record is about a natural person (or its kind
/// is unknown: masking a company's name by mistake costs less than exposing a person's).
struct RecordMasking {
    let item: CatalogItem

    func masked(_ record: StoredRecord) -> StoredRecord {
        var record = record
        let isPerson = isNaturalPerson(record)
        func personal(_ name: String) -> Bool {
            guard let index = item.fieldIndex(id: name) ?? item.fieldIndex(forHeader: name) else { return false }
            switch item.fields[index].personal {
            case .always: return true
            case .naturalPerson: return isPerson
            case nil: return false
            }
        }
        record.values = record.values.map { entry in
            personal(entry.name) ? (entry.name, Self.mask(entry.value)) : entry
        }
        record.raw = Dictionary(uniqueKeysWithValues: record.raw.map { name, value in
            (name, personal(name) ? Self.mask(value) : value)
        })
        // Unknown columns may hold anything: keep their names, hide their values.
        record.extra = record.extra.mapValues { Self.mask($0) }
        return record
    }

    func isNaturalPerson(_ record: StoredRecord) -> Bool {
        guard let kindField = item.subjectKindField,
              let kindIndex = item.fieldIndex(id: kindField) else { return false }
        let kindName = item.fields[kindIndex]
        let value = record.values.first { $0.name == kindField || item.fieldIndex(forHeader: $0.name) == kindIndex }?.value
        guard let value else { return true }
        let resolved = kindName.valueAliases[value] ?? value
        return (item.subjectKinds[resolved] ?? .naturalPerson) == .naturalPerson
    }

    /// ID-like values keep their ends, names their first character.
    static func mask(_ value: String) -> String {
        value.unicodeScalars.allSatisfy(\.isASCII) ? PersonalData.maskIdentifier(value) : PersonalData.maskName(value)
    }

    /// A finding's value masked when it is personal.
    static func masked(_ finding: Finding) -> Finding {
        var finding = finding
        if finding.isPersonal { finding.value = finding.value.map(mask) }
        return finding
    }
}
