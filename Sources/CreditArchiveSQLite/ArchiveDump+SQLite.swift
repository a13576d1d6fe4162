import CreditArchive
import CreditCatalog
import GRDB

extension ArchiveDump {
    /// The dump of the embedded SQLite archive.
    public static func text(of archive: Archive, items: [CatalogItem]) throws(ArchiveError) -> String {
        let lines = try archive.read { db in
            try queries(items: items, .sqlite).flatMap { try String.fetchAll(db, sql: $0) }
        }
        return lines.sorted().joined(separator: "\n")
    }
}
