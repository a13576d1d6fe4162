import CreditArchive
import CreditCatalog
import CreditCore
import CreditValidation

/// When a department submitted a file: the first `YYYYMMDD` date in its name
/// (`admin_penalty_20261120.csv`), since files often wait in the inbox and backfills replay old
/// ones; without one, the run's date.
enum SubmissionDate {
    static func fromFileName(_ path: String) -> CivilDate? {
        let name = Array((path.split(separator: "/").last.map(String.init) ?? path).utf8)
        var start = 0
        while start + 8 <= name.count {
            let window = name[start..<start + 8]
            let bounded = (start == 0 || !isDigit(name[start - 1])) && (start + 8 == name.count || !isDigit(name[start + 8]))
            if bounded, window.allSatisfy(isDigit) {
                let digits = window.map { Int($0 - 0x30) }
                let year = digits[0..<4].reduce(0) { $0 * 10 + $1 }
                let month = digits[4] * 10 + digits[5], day = digits[6] * 10 + digits[7]
                if year >= 1990, let date = CivilDate(year: year, month: month, day: day) { return date }
            }
            start += 1
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// What a file is checked against: the run's date, and the submission date its name gives, never
    /// after the run's date (a name dated 2099 would let future decisions pass and count as
    /// timely); such a name is kept to be said as a file finding.
    static func settings(path: String, today: CivilDate, catalog: Catalog) -> ValidationSettings {
        let named = fromFileName(path)
        var settings = ValidationSettings(identifiers: catalog.identifiers, today: today,
                                          submitted: named.map { min($0, today) } ?? today, calendar: catalog.calendar)
        if let named, named > today { settings.futureNamedDate = named }
        settings.catalogDigest = catalog.digest
        return settings
    }
}
