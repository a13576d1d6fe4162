import CreditArchive
import CreditCatalog

extension ArchiveDump {
    /// The dump of the PostgreSQL archive.
    public static func text(of archive: PostgresArchive, items: [CatalogItem]) throws(ArchiveError) -> String {
        var lines: [String] = []
        for query in queries(items: items, .postgres) {
            lines += try archive.connection.query(query).compactMap { $0[0] ?? nil }
        }
        return lines.sorted().joined(separator: "\n")
    }
}
