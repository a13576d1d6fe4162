import CreditArchive
import CreditCatalog
import CreditCore

/// Masks the personal data of a stored record as reports do (``PersonalValues``), its values as
/// received and its unknown columns too.
struct RecordMasking {
    let item: CatalogItem

    func masked(_ record: StoredRecord) -> StoredRecord {
        var record = record
        let personal = PersonalValues(item: item, values: record.values)
        record.values = record.values.map { ($0.name, personal.shown($0.name, $0.value)) }
        record.raw = Dictionary(uniqueKeysWithValues: record.raw.map { ($0.key, personal.shown($0.key, $0.value)) })
        // Unknown columns may hold anything: keep their names, hide their values.
        record.extra = record.extra.mapValues(PersonalValues.mask)
        return record
    }

    func isNaturalPerson(_ record: StoredRecord) -> Bool {
        PersonalValues(item: item, values: record.values).isNaturalPerson
    }

    /// A finding's value masked when it is personal, and by the shape of the ID numbers it carries
    /// when it is not.
    static func masked(_ finding: Finding) -> Finding {
        var finding = finding
        finding.value = finding.value.map { finding.isPersonal ? PersonalValues.mask($0) : PersonalData.maskingIdentifiers(in: $0) }
        finding.detail = finding.detail.map(PersonalData.maskingIdentifiers(in:))
        return finding
    }
}
