import CreditArchive
import CreditCatalog
import CreditCore
import Foundation
import GRDB

extension Archive: PublicationArchive {
    public func forEachPublicationCandidate(of item: CatalogItem, fields: [String],
                                            _ body: (PublicationCandidate) -> Void) throws(ArchiveError) {
        let table = ArchiveSchema.tableName(forItem: item.id)
        let columns = fields.map { "t.\($0)" }.joined(separator: ", ")
        try read { db in
            guard try db.tableExists(table) else { return }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT t._id, t._key, t._withdrawn, f.submitted, s.row_id, s.public, s.marked\(columns.isEmpty ? "" : ", " + columns)
                FROM \(table) t JOIN files f ON f.id = t._file
                LEFT JOIN publication_state s ON s.item = ? AND s.key = t._key
                WHERE t._current = 1 AND t._key IS NOT NULL
                """, arguments: [item.id])
            while let row = try rows.next() {
                guard let key = KeyDigest(bytes: [UInt8](row[1] as Data)) else { continue }
                let exportedRow: Int64? = row[4]
                var candidate = PublicationCandidate(
                    key: key, row: row[0], withdrawn: (row[2] as Int64) != 0, received: row[3],
                    values: fields.indices.map { row[7 + $0] },
                    exported: exportedRow.map { ($0, (row[5] as Int64) != 0) })
                candidate.exportedMarked = (row[6] as Int64?) == 1
                body(candidate)
            }
        }
    }

    public func recordExport(asOf: String, changes: [PublicationChange]) throws(ArchiveError) -> PublicationExportRecord {
        let createdAt = Timestamp.string(Date())
        return try write { db in
            try db.execute(sql: PublicationLedgerSQL.insertExport, arguments: [asOf, createdAt])
            let export = db.lastInsertedRowID
            let change = try db.makeStatement(sql: """
                INSERT INTO publication_changes (export_id, item, key, action, reason, row_id, public_from, public_until, marked)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for entry in changes {
                try change.execute(arguments: [export, entry.item, Data(entry.key.bytes), entry.action.rawValue,
                                               entry.reason?.rawValue, entry.row, entry.from, entry.until, entry.marked ? 1 : 0])
            }
            try db.execute(sql: PublicationLedgerSQL.applyChanges, arguments: [export])
            return PublicationExportRecord(id: export, asOf: asOf, createdAt: createdAt)
        }
    }

    public func lastExport() throws(ArchiveError) -> PublicationExportRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, as_of, created_at FROM publication_exports ORDER BY id DESC LIMIT 1")
                .map { PublicationExportRecord(id: $0[0], asOf: $0[1], createdAt: $0[2]) }
        }
    }

    public func unwrittenExports() throws(ArchiveError) -> [PublicationExportRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, as_of, created_at FROM publication_exports WHERE written = 0 ORDER BY id")
                .map { PublicationExportRecord(id: $0[0], asOf: $0[1], createdAt: $0[2]) }
        }
    }

    public func markExportWritten(_ id: Int64) throws(ArchiveError) {
        try write { db in
            try db.execute(sql: "UPDATE publication_exports SET written = 1 WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else {
                throw ArchiveError(path: path, message: "no publication export \(id) to mark written")
            }
        }
    }

    public func changes(ofExport id: Int64) throws(ArchiveError) -> [PublicationChange] {
        try read { db in
            try Row.fetchAll(db, sql: PublicationLedgerSQL.changesOfExport, arguments: [id]).map { try Self.change($0, path: path) }
        }
    }

    public func publicationHistory(of item: String, key: KeyDigest) throws(ArchiveError) -> [PublicationChange] {
        try read { db in
            try Row.fetchAll(db, sql: PublicationLedgerSQL.historyOfKey, arguments: [item, Data(key.bytes)])
                .map { try Self.change($0, path: path) }
        }
    }

    public func publicRecords(of item: String, on day: String) throws(ArchiveError) -> [PublicationChange] {
        try read { db in
            try Row.fetchAll(db, sql: PublicationLedgerSQL.publicOnDay, arguments: [item, day]).map { try Self.change($0, path: path) }
        }
    }

    public func publicationStanding(of item: CatalogItem, on day: String) throws(ArchiveError) -> [PublicationTally] {
        let table = ArchiveSchema.tableName(forItem: item.id)
        return try tallies(table, PublicationLedgerSQL.standing(table: table), [item.id, day])
    }

    public func publicationChanges(of item: CatalogItem, from first: String,
                                   through last: String) throws(ArchiveError) -> [PublicationTally] {
        let table = ArchiveSchema.tableName(forItem: item.id)
        return try tallies(table, PublicationLedgerSQL.changesInDays(table: table), [item.id, first, last])
    }

    private func tallies(_ table: String, _ sql: String, _ arguments: [String]) throws(ArchiveError) -> [PublicationTally] {
        try read { db in
            guard try db.tableExists(table) else { return [] }
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                guard let tally = PublicationTally(department: row[0], action: row[1], reason: row[2],
                                                   marked: (row[3] as Int64) != 0, count: row[4]) else {
                    throw ArchiveError(path: path, message: "a publication change does not read (action or reason); the ledger is damaged")
                }
                return tally
            }
        }
    }

    public func firstExports(of item: CatalogItem, in window: ExportWindow) throws(ArchiveError) -> [FirstExport] {
        let table = ArchiveSchema.tableName(forItem: item.id)
        return try read { db in
            guard try db.tableExists(table) else { return [] }
            return try Row.fetchAll(db, sql: PublicationLedgerSQL.firstExports(table: table, window: window),
                                    arguments: StatementArguments([item.id] + window.bounds))
                .map { FirstExport(department: $0[0], decided: $0[1], exported: $0[2]) }
        }
    }

    public func rows(_ rows: [Int64], of item: CatalogItem, fields: [String]) throws(ArchiveError) -> [Int64: [String?]] {
        let table = ArchiveSchema.tableName(forItem: item.id)
        let columns = fields.joined(separator: ", ")
        return try read { db in
            var result: [Int64: [String?]] = [:]
            // In slices: SQLite limits a statement's parameters.
            for start in stride(from: 0, to: rows.count, by: 500) {
                let slice = Array(rows[start..<min(start + 500, rows.count)])
                let marks = slice.map { _ in "?" }.joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT _id, \(columns) FROM \(table) WHERE _id IN (\(marks))",
                                            arguments: StatementArguments(slice)) {
                    result[row[0]] = fields.indices.map { row[1 + $0] }
                }
            }
            return result
        }
    }

    /// A stored change; a row that does not read is a damaged ledger, said so.
    static func change(_ row: Row, path: String) throws -> PublicationChange {
        let key = KeyDigest(bytes: [UInt8](row[1] as Data))?.hex ?? ""
        guard let change = PublicationLedgerSQL.change(item: row[0], keyHex: key, action: row[2], reason: row[3], row: row[4],
                                                       from: row[5], until: row[6], export: row[7],
                                                       marked: (row[8] as Int64) != 0, asOf: row.count > 9 ? row[9] : nil) else {
            throw ArchiveError(path: path, message: "a publication change does not read (key, action or reason); the ledger is damaged")
        }
        return change
    }
}
