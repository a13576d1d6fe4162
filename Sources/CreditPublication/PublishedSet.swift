import CreditArchive
import CreditCatalog
import CreditCore
import Foundation

/// What the public saw on a day, read from the publication ledger rather than recomputed: for
/// each item with a publication policy, the records the exports up to that day left public, each
/// as the export that last carried it (`credit-etl published --on 2026-03-01`).
public struct PublishedSet {
    public let catalog: Catalog
    public let archive: any PublicationArchive

    public init(catalog: Catalog, archive: any PublicationArchive) {
        self.catalog = catalog
        self.archive = archive
    }

    /// The items a publication policy covers, or the one asked for; an item the catalog does not
    /// publish is refused by name.
    public func items(_ only: String?) throws(Refusal) -> [CatalogItem] {
        let published = catalog.items.values.filter { $0.publication != nil }.sorted { $0.id < $1.id }
        guard let only else { return published }
        guard let item = published.first(where: { $0.id == only }) else {
            throw .notPublished(only, published: published.map(\.id))
        }
        return [item]
    }

    public enum Refusal: Error, CustomStringConvertible {
        case notPublished(String, published: [String])

        public var description: String {
            switch self {
            case .notPublished(let item, let published):
                "'\(item)' has no publication policy in the catalog; items that are published: "
                    + published.joined(separator: ", ")
            }
        }
    }

    /// One public record as `published` prints it.
    public struct Line: Codable, Sendable {
        public var item: String
        public var key: KeyDigest
        public var publicFrom: String?
        public var publicUntil: String?
        /// The day of the export that last added or updated it.
        public var since: String?
        public var archiveRow: Int64
        public var objectionOpen: Bool?
        /// The record in the national field names, masked as an export masks it.
        public var record: [String: String]
    }

    /// The records of `item` public on `day`, in key order, with their archived values.
    public func lines(of item: CatalogItem, on day: CivilDate) throws(ArchiveError) -> [Line] {
        let changes = try archive.publicRecords(of: item.id, on: day.description)
        let rows = try archive.rows(changes.map(\.row), of: item, fields: item.fields.map(\.id))
        return try changes.map { change throws(ArchiveError) in
            guard let values = rows[change.row] else {
                throw ArchiveError(path: archive.location, message: "row \(change.row) of \(item.id), public on \(day), "
                                   + "is not in the archive")
            }
            return Line(item: item.id, key: change.key, publicFrom: change.from, publicUntil: change.until,
                        since: change.asOf, archiveRow: change.row, objectionOpen: change.marked ? true : nil,
                        record: ExportFolder.published(values, item: item))
        }
    }

    /// How many records of each item were public on `day`.
    public func counts(_ items: [CatalogItem], on day: CivilDate) throws(ArchiveError) -> [(item: String, count: Int)] {
        try items.map { item throws(ArchiveError) in (item.id, try archive.publicRecords(of: item.id, on: day.description).count) }
    }
}
