import CreditCatalog
import CreditCore
import CreditIdentifiers

/// What a sample of one column's values looks like: how many of them are valid codes of each
/// standard, dates, decimals, and which distinct values occur (for enums). Values themselves
/// are never shown: they may be ID numbers or names.
struct ColumnProfile: Sendable {
    /// Distinct values kept for enum matching; a column with more is not an enum.
    static let distinctLimit = 256

    /// Non-empty values sampled.
    private(set) var values = 0
    private(set) var uscc = 0
    private(set) var residentID = 0
    private(set) var organizationCode = 0
    private(set) var registrationNumber = 0
    private(set) var dates = 0
    /// Dates written with a time of day (`2026-11-20 03:10:00`): a timestamp column of the
    /// department's system rather than a decision date.
    private(set) var dateTimes = 0
    private(set) var decimals = 0
    /// ASCII letters, digits and `-` only, at least 5 long: certificate and registration numbers.
    private(set) var codeLike = 0
    private(set) var distinct: [String: Int] = [:]
    private(set) var overflow = 0

    mutating func add(_ raw: String, today: CivilDate) {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { return }
        values += 1
        if USCC.check(value).status != .invalid { uscc += 1 }
        if value.utf8.count == 18 || value.utf8.count == 15, ResidentID.check(value, today: today).status != .invalid {
            residentID += 1
        }
        if OrganizationCode.check(value).status != .invalid { organizationCode += 1 }
        if value.utf8.count == 15, RegistrationNumber.check(value).status != .invalid { registrationNumber += 1 }
        switch CivilDate.parse(value) {
        case .date, .longTerm:
            dates += 1
            if value.contains(":") { dateTimes += 1 }
        case .invalid: break
        }
        if Self.isDecimal(value) { decimals += 1 }
        if value.utf8.count >= 5, value.utf8.allSatisfy({ Self.isCodeByte($0) }) { codeLike += 1 }
        if distinct[value] != nil || distinct.count < Self.distinctLimit {
            distinct[value, default: 0] += 1
        } else {
            overflow += 1
        }
    }

    /// What the values look like, in words, for a column no field was found for.
    var summary: String {
        guard values > 0 else { return "empty in the sample" }
        let kinds = [("USCCs", uscc), ("resident ID numbers", residentID), ("dates with a time of day", dateTimes),
                     ("dates", dates), ("numbers", decimals), ("codes", codeLike)]
        if let (name, count) = kinds.first(where: { 5 * $0.1 >= 4 * values }) {
            return "values look like \(name) (\(count * 100 / values)%)"
        }
        return overflow > 0 ? "values are free text" : "\(distinct.count) distinct values"
    }

    /// A kind of value nearly every sampled value has (90%), which only some fields can hold.
    enum Shape: String {
        case residentIDs = "resident ID numbers"
        case usccs = "USCCs"
        case numbers
        case dates
    }

    /// What nearly every value is, if it is one of the plain shapes: a veto on proposals of a
    /// field that cannot hold it (a column of ID numbers is not a document type, amounts are
    /// not categories), whatever its name says.
    var shape: Shape? {
        guard values > 0 else { return nil }
        func most(_ count: Int) -> Bool { 10 * count >= 9 * values }
        if most(residentID) { return .residentIDs }
        if most(uscc) { return .usccs }
        if most(decimals) { return .numbers }
        if most(dates) { return .dates }
        return nil
    }

    /// Whether `field` can hold values of `shape`: codes their own kind (or a code field of no
    /// fixed kind), numbers an amount or an enum spelled in numbers (`01`: 身份证), dates a date.
    static func field(_ field: FieldSpec, canHold shape: Shape) -> Bool {
        switch (shape, field.type) {
        case (.residentIDs, .code(.id)), (.residentIDs, .code(.other)): true
        case (.usccs, .code(.uscc)), (.usccs, .code(.other)): true
        case (.numbers, .decimal), (.numbers, .code(.other)): true
        case (.numbers, .enumeration), (.numbers, .enumerationList):
            field.valueAliases.keys.contains { $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        case (.dates, .date): true
        default: false
        }
    }

    /// How well the sampled values fit `field`'s type, from 0 to 1; nil when the sample has no
    /// value to judge by (an empty column).
    func fit(_ field: FieldSpec) -> Double? {
        guard values > 0 else { return nil }
        func share(_ count: Int) -> Double { Double(count) / Double(values) }
        switch field.type {
        case .code(.uscc): return share(uscc)
        case .code(.id): return share(residentID)
        case .code(.org): return share(organizationCode)
        case .code(.regno): return share(registrationNumber)
        // An identity document number (证件号码) is judged by the ID numbers among its values.
        case .code(.other) where !field.identityNumberWhen.isEmpty: return max(share(residentID), share(codeLike) * 0.6)
        case .code(.other): return share(codeLike)
        case .date:
            // A column of timestamps fits a date field less well than one of dates.
            return share(dates) - 0.3 * share(dateTimes)
        case .decimal: return share(decimals)
        case .enumeration(let list): return share(enumValues(of: field, list: list, allowingLists: false))
        case .enumerationList(let list): return share(enumValues(of: field, list: list, allowingLists: true))
        case .text:
            // Free text is what is left when the values are not codes, dates or numbers.
            return 1 - max(share(uscc), share(residentID), share(dates), share(decimals), share(codeLike))
        }
    }

    /// Whether `field`'s kind of value tells columns apart by itself (codes with check
    /// characters, enums), so that values alone may place a column when its name says nothing.
    static func isDistinctive(_ field: FieldSpec) -> Bool {
        if case .code(.other) = field.type, !field.identityNumberWhen.isEmpty { return true }
        return switch field.type {
        case .code(.uscc), .code(.id), .code(.org), .code(.regno), .enumeration, .enumerationList: true
        case .code(.other), .date, .decimal, .text: false
        }
    }

    private func enumValues(of field: FieldSpec, list: [String], allowingLists: Bool) -> Int {
        let accepted = Set(list + field.legacyValues + field.valueAliases.keys)
        var count = 0
        for (value, times) in distinct {
            if accepted.contains(value) {
                count += times
            } else if allowingLists {
                var all = true
                var any = false
                var bytes = Array(value.utf8)
                bytes.withUnsafeMutableBufferPointer { buffer in
                    EnumListTokens.forEach(UnsafeBufferPointer(buffer)) { token in
                        any = true
                        if !accepted.contains(String(decoding: token, as: UTF8.self)) { all = false }
                    }
                }
                if any, all { count += times }
            }
        }
        return count
    }

    static func isDecimal(_ value: String) -> Bool {
        var digits = 0, points = 0
        for byte in value.utf8 {
            switch byte {
            case 0x30...0x39: digits += 1
            case 0x2E: points += 1
            default: return false
            }
        }
        // Long digit strings are codes (ID numbers, registration numbers), not amounts.
        return digits > 0 && points <= 1 && digits <= 15
    }

    static func isCodeByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D
    }
}
