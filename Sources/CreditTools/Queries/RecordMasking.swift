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
        // Any other value keeps its text, but an ID number in it is masked by its shape (one sent
        // in the 统一社会信用代码 column, or written into 违法事实), and so is the record's own
        // person's name where free text repeats it.
        let names = record.values.filter { personal($0.name) && !$0.value.unicodeScalars.allSatisfy(\.isASCII) }
            .map(\.value).filter { $0.count >= 2 }
        func shown(_ value: String) -> String {
            var text = PersonalData.maskingIdentifiers(in: value)
            for name in names { text = text.replacingOccurrences(of: name, with: PersonalData.maskName(name)) }
            return text
        }
        record.values = record.values.map { entry in
            (entry.name, personal(entry.name) ? Self.mask(entry.value) : shown(entry.value))
        }
        record.raw = Dictionary(uniqueKeysWithValues: record.raw.map { name, value in
            (name, personal(name) ? Self.mask(value) : shown(value))
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
        PersonalData.shown(value, isPersonal: true)
    }

    /// A finding's value masked when it is personal, and by the shape of the ID numbers it carries
    /// when it is not.
    static func masked(_ finding: Finding) -> Finding {
        var finding = finding
        finding.value = finding.value.map { finding.isPersonal ? mask($0) : PersonalData.maskingIdentifiers(in: $0) }
        finding.detail = finding.detail.map(PersonalData.maskingIdentifiers(in:))
        return finding
    }
}
