import CreditArchive
import CreditCatalog
import CreditCore
import Foundation

/// The publication ledger on PostgreSQL: the same tables and answers as the SQLite archive's
/// (`Archive+Publication`), through the SQL both share where the dialects agree.
extension PostgresArchive: PublicationArchive {
    public func forEachPublicationCandidate(of item: CatalogItem, fields: [String],
                                            _ body: (PublicationCandidate) -> Void) throws(ArchiveError) {
        let table = ArchiveSchema.tableName(forItem: item.id)
        guard try connection.query("SELECT to_regclass($1)::text", [table]).first?[0] != nil else { return }
        let columns = fields.map { ", t.\($0)" }.joined()
        for row in try connection.query("""
            SELECT t._id, encode(t._key, 'hex'), t._withdrawn, f.submitted, s.row_id, s.public, s.marked\(columns)
            FROM \(table) t JOIN files f ON f.id = t._file
            LEFT JOIN publication_state s ON s.item = $1 AND s.key = t._key
            WHERE t._current = 1 AND t._key IS NOT NULL
            """, [item.id]) {
            guard let hex = row[1], let key = KeyDigest(hex: hex) else { continue }
            var exported: (row: Int64, isPublic: Bool)?
            if let exportedRow = try PostgresText.number(row[4], location: location) {
                exported = (exportedRow, try PostgresText.count(row[5], location: location) != 0)
            }
            var candidate = PublicationCandidate(
                key: key, row: try PostgresText.id(row[0], location: location),
                withdrawn: try PostgresText.count(row[2], location: location) != 0, received: row[3],
                values: fields.indices.map { row[7 + $0] },
                exported: exported)
            candidate.exportedMarked = try PostgresText.count(row[6], location: location) == 1
            body(candidate)
        }
    }

    public func recordExport(asOf: String, changes: [PublicationChange]) throws(ArchiveError) -> PublicationExportRecord {
        let createdAt = Timestamp.string(Date())
        return try transaction { () throws(ArchiveError) -> PublicationExportRecord in
            let export = try PostgresText.id(try connection.query(
                PublicationLedgerSQL.numbered(PublicationLedgerSQL.insertExport) + " RETURNING id",
                [asOf, createdAt]).first?[0], location: location)
            try connection.copy(into: "publication_changes",
                                columns: ["export_id", "item", "key", "action", "reason", "row_id", "public_from", "public_until",
                                          "marked"],
                                rows: changes.map { change in
                                    ["\(export)", change.item, "\\x" + change.key.hex, change.action.rawValue,
                                     change.reason?.rawValue, "\(change.row)", change.from, change.until, change.marked ? "1" : "0"]
                                })
            _ = try connection.execute(PublicationLedgerSQL.numbered(PublicationLedgerSQL.applyChanges), ["\(export)"])
            return PublicationExportRecord(id: export, asOf: asOf, createdAt: createdAt)
        }
    }

    public func lastExport() throws(ArchiveError) -> PublicationExportRecord? {
        try connection.query("SELECT id, as_of, created_at FROM publication_exports ORDER BY id DESC LIMIT 1")
            .first.map { row throws(ArchiveError) in try exportRecord(row) }
    }

    public func unwrittenExports() throws(ArchiveError) -> [PublicationExportRecord] {
        try connection.query("SELECT id, as_of, created_at FROM publication_exports WHERE written = 0 ORDER BY id")
            .map { row throws(ArchiveError) in try exportRecord(row) }
    }

    public func markExportWritten(_ id: Int64) throws(ArchiveError) {
        guard try connection.execute("UPDATE publication_exports SET written = 1 WHERE id = $1", ["\(id)"]) == 1 else {
            throw ArchiveError(path: location, message: "no publication export \(id) to mark written")
        }
    }

    public func changes(ofExport id: Int64) throws(ArchiveError) -> [PublicationChange] {
        try ledgerChanges(PublicationLedgerSQL.changesOfExport, ["\(id)"])
    }

    public func publicationHistory(of item: String, key: KeyDigest) throws(ArchiveError) -> [PublicationChange] {
        try ledgerChanges(PublicationLedgerSQL.historyOfKey, [item, "\\x" + key.hex])
    }

    public func publicRecords(of item: String, on day: String) throws(ArchiveError) -> [PublicationChange] {
        try ledgerChanges(PublicationLedgerSQL.publicOnDay, [item, day])
    }

    public func publicationStanding(of item: CatalogItem, on day: String) throws(ArchiveError) -> [PublicationTally] {
        try tallies(item, PublicationLedgerSQL.standing(table: ArchiveSchema.tableName(forItem: item.id)), [item.id, day])
    }

    public func publicationChanges(of item: CatalogItem, from first: String,
                                   through last: String) throws(ArchiveError) -> [PublicationTally] {
        try tallies(item, PublicationLedgerSQL.changesInDays(table: ArchiveSchema.tableName(forItem: item.id)),
                    [item.id, first, last])
    }

    private func tallies(_ item: CatalogItem, _ sql: String, _ parameters: [String?]) throws(ArchiveError) -> [PublicationTally] {
        guard try connection.query("SELECT to_regclass($1)::text", [ArchiveSchema.tableName(forItem: item.id)]).first?[0] != nil
        else { return [] }
        return try connection.query(PublicationLedgerSQL.numbered(sql), parameters).map { row throws(ArchiveError) in
            guard let tally = PublicationTally(department: row[0] ?? "", action: row[1] ?? "", reason: row[2],
                                               marked: try PostgresText.count(row[3], location: location) != 0,
                                               count: try PostgresText.count(row[4], location: location)) else {
                throw ArchiveError(path: location, message: "a publication change does not read (action or reason); the ledger is damaged")
            }
            return tally
        }
    }

    public func firstExports(of item: CatalogItem, in window: ExportWindow) throws(ArchiveError) -> [FirstExport] {
        let table = ArchiveSchema.tableName(forItem: item.id)
        guard try connection.query("SELECT to_regclass($1)::text", [table]).first?[0] != nil else { return [] }
        return try connection.query(PublicationLedgerSQL.numbered(PublicationLedgerSQL.firstExports(table: table, window: window)),
                                    [item.id] + window.bounds)
            .map { FirstExport(department: $0[0] ?? "", decided: $0[1], exported: $0[2] ?? "") }
    }

    public func rows(_ rows: [Int64], of item: CatalogItem, fields: [String]) throws(ArchiveError) -> [Int64: [String?]] {
        guard !rows.isEmpty else { return [:] }
        let table = ArchiveSchema.tableName(forItem: item.id)
        var result: [Int64: [String?]] = [:]
        for row in try connection.query("""
            SELECT _id\(fields.map { ", \($0)" }.joined()) FROM \(table) WHERE _id = ANY(string_to_array($1, ',')::bigint[])
            """, [rows.map(String.init).joined(separator: ",")]) {
            result[try PostgresText.id(row[0], location: location)] = Array(row.dropFirst())
        }
        return result
    }

    private func exportRecord(_ row: [String?]) throws(ArchiveError) -> PublicationExportRecord {
        PublicationExportRecord(id: try PostgresText.id(row[0], location: location), asOf: row[1] ?? "", createdAt: row[2] ?? "")
    }

    /// Ledger rows with the key as hex; a row that does not read is a damaged ledger, said so.
    private func ledgerChanges(_ sql: String, _ parameters: [String?]) throws(ArchiveError) -> [PublicationChange] {
        let select = PublicationLedgerSQL.numbered(sql)
            .replacingOccurrences(of: "SELECT item, key,", with: "SELECT item, encode(key, 'hex'),")
            .replacingOccurrences(of: "SELECT c.item, c.key,", with: "SELECT c.item, encode(c.key, 'hex'),")
        return try connection.query(select, parameters).map { row throws(ArchiveError) in
            guard let change = PublicationLedgerSQL.change(
                item: row[0] ?? "", keyHex: row[1] ?? "", action: row[2] ?? "", reason: row[3],
                row: try PostgresText.id(row[4], location: location), from: row[5], until: row[6],
                export: try PostgresText.id(row[7], location: location),
                marked: try PostgresText.count(row[8], location: location) != 0, asOf: row.count > 9 ? row[9] : nil) else {
                throw ArchiveError(path: location, message: "a publication change does not read (key, action or reason); the ledger is damaged")
            }
            return change
        }
    }
}

extension PostgresArchive {
    /// The advisory lock one publish holds on a server for its session (released when the
    /// connection closes, whatever ends the process).
    static let publicationLock: Int64 = 0x6372_6564_7075_6231

    /// Takes the publication lock without waiting; false when another publish holds it.
    public func takePublicationLock() throws(ArchiveError) -> Bool {
        try connection.query("SELECT pg_try_advisory_lock(\(Self.publicationLock))").first?[0] == "t"
    }
}
