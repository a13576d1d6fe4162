import CreditCore

/// The reference data identifier checks consult: the historical division codes, the USCC
/// authority/category table and the allow-list of legacy pilot codes.
///
/// ``standard`` is the copy of `catalogs/reference/` compiled into the binary, so the checks work
/// with no files around; a catalog folder may carry its own edited copies, which the catalog
/// loader reads in its place.
public struct IdentifierReference: Sendable {
    public let divisions: DivisionTable
    public let categories: USCCCategoryTable
    /// Canonical codes whose wrong check character is a known, accepted legacy (2015 pilots).
    public let legacyUSCC: Set<String>

    public init(divisions: DivisionTable, categories: USCCCategoryTable, legacyUSCC: Set<String>) {
        self.divisions = divisions
        self.categories = categories
        self.legacyUSCC = legacyUSCC
    }

    /// The file names under `catalogs/reference/`.
    public enum File {
        public static let divisions = "gbt2260-divisions.csv"
        public static let categories = "uscc-categories.csv"
        public static let legacyUSCC = "uscc-legacy-allowlist.csv"
        public static let all = [divisions, categories, legacyUSCC]
    }

    /// Reads the tables from texts keyed by file name; a missing one is the compiled-in copy.
    public init(texts: [String: String]) throws(ReferenceError) {
        try self.init(divisionsCSV: texts[File.divisions] ?? EmbeddedReference.divisions,
                      categoriesCSV: texts[File.categories] ?? EmbeddedReference.categories,
                      legacyUSCCCSV: texts[File.legacyUSCC] ?? EmbeddedReference.legacyUSCC)
    }

    /// The compiled-in text of a table under `catalogs/reference/`, by file name.
    public static func embeddedText(of file: String) -> String? {
        switch file {
        case File.divisions: EmbeddedReference.divisions
        case File.categories: EmbeddedReference.categories
        case File.legacyUSCC: EmbeddedReference.legacyUSCC
        default: nil
        }
    }

    /// Reads the three tables from their texts.
    public init(divisionsCSV: String, categoriesCSV: String, legacyUSCCCSV: String) throws(ReferenceError) {
        let legacy = try ReferenceTable(name: File.legacyUSCC, text: legacyUSCCCSV, columns: ["code", "note"])
        var codes = Set<String>()
        for (line, fields) in legacy.rows {
            let code = String(fields[0])
            guard code.utf8.count == USCC.length else {
                throw ReferenceError(file: File.legacyUSCC, line: line, message: "`\(code)` is not an 18-character code")
            }
            codes.insert(code)
        }
        self.init(divisions: try DivisionTable(csv: divisionsCSV, name: File.divisions),
                  categories: try USCCCategoryTable(csv: categoriesCSV, name: File.categories),
                  legacyUSCC: codes)
    }

    /// The tables compiled in from `catalogs/reference/` (refreshed by `scripts/embed-reference.py`).
    public static let standard: IdentifierReference = {
        do {
            return try IdentifierReference(texts: [:])
        } catch {
            // The embedded text is checked by the build's tests; reaching this is a packaging bug.
            preconditionFailure("the embedded reference tables are unreadable: \(error)")
        }
    }()
}
