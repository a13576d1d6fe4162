import CreditArchive
import CreditCatalog
import CreditCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One export's folder: `export-NNNNNN/` with a JSON-lines file per item (`<item>.jsonl`: one
/// change a line, the record in the national field names) and `manifest.json` (per item the
/// counts of add, update and remove). Written beside its place as `.partial`, flushed to disk, and
/// renamed: a reader sees a whole export or none.
public struct ExportFolder: Sendable {
    /// The publication folder (the pipeline's `publication:`).
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public static func name(_ export: Int64) -> String {
        "export-" + String(repeating: "0", count: max(0, 6 - String(export).count)) + String(export)
    }

    public func path(_ export: Int64) -> String { (root as NSString).appendingPathComponent(Self.name(export)) }

    public func exists(_ export: Int64) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path(export), isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Per item, how many of each action an export carries (`manifest.json`).
    public struct Counts: Sendable, Hashable, Codable {
        public var add = 0
        public var update = 0
        public var remove = 0
        /// Removals by reason (expired, withdrawn, changed, repaired).
        public var removedBy: [String: Int] = [:]
        /// Credit repairs refused, by reason (unknown_decision, too_early): their item's file lists them.
        public var refused: [String: Int] = [:]
    }

    struct Manifest: Codable {
        var export: Int64
        var asOf: String
        var createdAt: String
        var pipeline: String
        var items: [String: Counts]
    }

    struct Line: Codable {
        var action: PublicationChange.Action
        var reason: PublicationChange.Reason?
        var key: KeyDigest
        var publicFrom: String?
        var publicUntil: String?
        /// The archive row the record is (`credit-etl trace` leads from it to file and line).
        var archiveRow: Int64
        /// Present (true) when the record is public but disputed: an objection is open (异议处理中).
        var objectionOpen: Bool?
        var record: [String: String]
    }

    /// Writes the export's folder from its recorded changes and the archived rows they name.
    public func write(_ export: PublicationExportRecord, changes: [PublicationChange], catalog: Catalog,
                      archive: any PublicationArchive, pipeline: String) throws -> [String: Counts] {
        let final = path(export.id)
        let partial = final + ".partial"
        // A partial folder left by a killed publish goes first: none of its files may slip into this one.
        if FileManager.default.fileExists(atPath: partial) { try FileManager.default.removeItem(atPath: partial) }
        try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var counts: [String: Counts] = [:]
        let byItem = Dictionary(grouping: changes, by: \.item)
        for itemID in byItem.keys.sorted() {
            guard let item = catalog.items[itemID], let itemChanges = byItem[itemID] else {
                throw ArchiveError(path: archive.location,
                                   message: "export \(export.id) names item '\(itemID)', which the catalog no longer has")
            }
            let fields = item.fields.map(\.id)
            let rows = try archive.rows(itemChanges.map(\.row), of: item, fields: fields)
            var text = Data()
            var itemCounts = Counts()
            for change in itemChanges {
                guard let values = rows[change.row] else {
                    throw ArchiveError(path: archive.location,
                                       message: "export \(export.id): row \(change.row) of \(itemID) is not in the archive")
                }
                switch change.action {
                case .add: itemCounts.add += 1
                case .update: itemCounts.update += 1
                case .remove: itemCounts.remove += 1
                    itemCounts.removedBy[change.reason?.rawValue ?? "changed", default: 0] += 1
                case .refuse: itemCounts.refused[change.reason?.rawValue ?? "refused", default: 0] += 1
                }
                let line = Line(action: change.action, reason: change.reason, key: change.key, publicFrom: change.from,
                                publicUntil: change.until, archiveRow: change.row, objectionOpen: change.marked ? true : nil,
                                record: Self.published(values, item: item))
                text.append(try encoder.encode(line))
                text.append(0x0A)
            }
            try Self.writeDurably(text, to: (partial as NSString).appendingPathComponent("\(itemID).jsonl"))
            counts[itemID] = itemCounts
        }
        let manifest = Manifest(export: export.id, asOf: export.asOf, createdAt: export.createdAt, pipeline: pipeline,
                                items: counts)
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        pretty.keyEncodingStrategy = .convertToSnakeCase
        try Self.writeDurably(try pretty.encode(manifest), to: (partial as NSString).appendingPathComponent("manifest.json"))
        try Self.sync(directory: partial)
        KillPoint.publicationWritten.reach()
        // The ledger says what this number holds: a folder of that name left from elsewhere goes.
        if FileManager.default.fileExists(atPath: final) { try FileManager.default.removeItem(atPath: final) }
        try FileManager.default.moveItem(atPath: partial, toPath: final)
        try Self.sync(directory: root)
        return counts
    }

    /// A record as it may be published: empty values left out; personal data masked as reports
    /// mask it (``PersonalValues``: a natural person's name and ID numbers wherever they stand).
    static func published(_ values: [String?], item: CatalogItem) -> [String: String] {
        let present = item.fields.indices.compactMap { index in values[index].map { (name: item.fields[index].id, value: $0) } }
        let personal = PersonalValues(item: item, values: present)
        return Dictionary(uniqueKeysWithValues: present.map { ($0.name, personal.shown($0.name, $0.value)) })
    }

    static func writeDurably(_ data: Data, to path: String) throws {
        try data.write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw POSIXError(errno: errno, path: path, doing: "opening to flush") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw POSIXError(errno: errno, path: path, doing: "flushing to disk") }
    }

    static func sync(directory: String) throws {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw POSIXError(errno: errno, path: directory, doing: "opening to flush") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw POSIXError(errno: errno, path: directory, doing: "flushing to disk") }
    }

    /// A failed system call, with what was being done to which path.
    struct POSIXError: Error, CustomStringConvertible {
        let errno: Int32
        let path: String
        let doing: String
        var description: String { "\(path): \(doing): \(String(cString: strerror(errno)))" }
    }
}
