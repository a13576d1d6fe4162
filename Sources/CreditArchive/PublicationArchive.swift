import CreditCatalog
import CreditCore

/// What `credit-etl publish` reads from and records in an archive: the current version of every
/// key of an item, beside what the publication ledger last exported of it; the exports and their
/// changes. The ledger is what makes each change leave exactly once: an export's changes and the
/// ledger's new state are recorded in one transaction before its files are written, and an export
/// whose files were not yet in place is written again from what was recorded.
public protocol PublicationArchive: AnyObject {
    var location: String { get }
    /// Every key's current version of `item` (withdrawn ones included), with the values of
    /// `fields` in that order and what the ledger holds for the key, in no particular order.
    func forEachPublicationCandidate(of item: CatalogItem, fields: [String],
                                     _ body: (PublicationCandidate) -> Void) throws(ArchiveError)
    /// Records an export of `changes` as of `asOf` (`YYYY-MM-DD`) and the ledger's new state, in
    /// one transaction; returns the export as recorded.
    func recordExport(asOf: String, changes: [PublicationChange]) throws(ArchiveError) -> PublicationExportRecord
    /// The latest export recorded, written or not.
    func lastExport() throws(ArchiveError) -> PublicationExportRecord?
    /// Exports recorded whose files were not said to be in place, oldest first.
    func unwrittenExports() throws(ArchiveError) -> [PublicationExportRecord]
    func markExportWritten(_ id: Int64) throws(ArchiveError)
    /// The changes an export recorded, by item and key.
    func changes(ofExport id: Int64) throws(ArchiveError) -> [PublicationChange]
    /// The values of `fields` of the given rows of `item`, by row.
    func rows(_ rows: [Int64], of item: CatalogItem, fields: [String]) throws(ArchiveError) -> [Int64: [String?]]
    /// Records of `item` first exported in `window`: for 公示及时率.
    func firstExports(of item: CatalogItem, in window: ExportWindow) throws(ArchiveError) -> [FirstExport]
    /// Every change of one key of `item`, oldest first: its publication history.
    func publicationHistory(of item: String, key: KeyDigest) throws(ArchiveError) -> [PublicationChange]
    /// What the public saw of `item` on `day` (`YYYY-MM-DD`): for each key the exports up to that
    /// day left public, the change that last made it so (its `asOf` the day of that export), by key.
    func publicRecords(of item: String, on day: String) throws(ArchiveError) -> [PublicationChange]
    /// Where `item`'s exported keys stood after the exports up to `day`: their last change (not a
    /// refusal), counted by the department that sent the record, action, reason and mark.
    func publicationStanding(of item: CatalogItem, on day: String) throws(ArchiveError) -> [PublicationTally]
    /// The changes of `item` exported on days from `first` to `last`, counted the same way.
    func publicationChanges(of item: CatalogItem, from first: String, through last: String) throws(ArchiveError) -> [PublicationTally]
}

/// A count of ledger changes of one kind from one department (``PublicationArchive``'s report
/// figures).
public struct PublicationTally: Sendable, Hashable {
    public var department: String
    public var action: PublicationChange.Action
    public var reason: PublicationChange.Reason?
    public var marked: Bool
    public var count: Int

    public init(department: String, action: PublicationChange.Action, reason: PublicationChange.Reason?, marked: Bool,
                count: Int) {
        self.department = department
        self.action = action
        self.reason = reason
        self.marked = marked
        self.count = count
    }

    /// A tally from its row's texts; nil when the action or reason does not read (a damaged ledger).
    public init?(department: String, action: String, reason: String?, marked: Bool, count: Int) {
        guard let action = PublicationChange.Action(rawValue: action) else { return nil }
        var why: PublicationChange.Reason?
        if let reason, !reason.isEmpty {
            guard let known = PublicationChange.Reason(rawValue: reason) else { return nil }
            why = known
        }
        self.init(department: department, action: action, reason: why, marked: marked, count: count)
    }
}

/// The publication ledger's SQL both backends share (placeholders: `?` becomes `$n` on PostgreSQL).
public enum PublicationLedgerSQL {
    /// The column a later migration added to both ledger tables: whether the record went out
    /// marked as disputed (异议处理中).
    public static let markedColumns = """
        ALTER TABLE publication_changes ADD COLUMN marked INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE publication_state ADD COLUMN marked INTEGER NOT NULL DEFAULT 0
        """

    /// The column a later migration added to the exports: the last run started when the export
    /// was recorded, so that a run's report counts exactly the exports since the run before it
    /// (timestamps of a second's precision could not tell a publish from a run begun that second).
    public static let afterRunColumn = "ALTER TABLE publication_exports ADD COLUMN after_run INTEGER"

    /// An export's row (parameters: its day and time); `after_run` from the runs as they stand.
    public static let insertExport = """
        INSERT INTO publication_exports (as_of, created_at, after_run) VALUES (?, ?, (SELECT max(id) FROM runs))
        """

    /// The ledger's tables in a dialect's types: `serial` an auto-numbered key, `blob` bytes,
    /// `integer` a 64-bit number, `withoutRowID` SQLite's clause for a table keyed by its primary key.
    public static func tables(serial: String, blob: String, integer: String, withoutRowID: String) -> String {
        """
        CREATE TABLE publication_exports (
            id \(serial),
            as_of TEXT NOT NULL,
            created_at TEXT NOT NULL,
            written INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE publication_changes (
            id \(serial),
            export_id \(integer) NOT NULL REFERENCES publication_exports(id),
            item TEXT NOT NULL,
            key \(blob) NOT NULL,
            action TEXT NOT NULL,
            reason TEXT,
            row_id \(integer) NOT NULL,
            public_from TEXT,
            public_until TEXT
        );
        CREATE INDEX publication_changes_by_export ON publication_changes(export_id, item);
        CREATE INDEX publication_changes_by_key ON publication_changes(item, key);
        CREATE TABLE publication_state (
            item TEXT NOT NULL,
            key \(blob) NOT NULL,
            row_id \(integer) NOT NULL,
            public INTEGER NOT NULL,
            export_id \(integer) NOT NULL REFERENCES publication_exports(id),
            PRIMARY KEY (item, key)
        )\(withoutRowID)
        """
    }

    /// The ledger's new state from an export's changes (parameter: the export).
    public static let applyChanges = """
        INSERT INTO publication_state (item, key, row_id, public, marked, export_id)
        SELECT item, key, row_id, CASE WHEN action IN ('remove', 'refuse') THEN 0 ELSE 1 END, marked, export_id
        FROM publication_changes WHERE export_id = ?
        ON CONFLICT (item, key) DO UPDATE SET row_id = excluded.row_id, public = excluded.public,
            marked = excluded.marked, export_id = excluded.export_id
        """

    /// An export's changes, in a stable order (parameter: the export).
    public static let changesOfExport = """
        SELECT item, key, action, reason, row_id, public_from, public_until, export_id, marked
        FROM publication_changes WHERE export_id = ? ORDER BY item, key
        """

    /// One key's changes, oldest first, with the day of each export (parameters: the item, the key).
    public static let historyOfKey = """
        SELECT c.item, c.key, c.action, c.reason, c.row_id, c.public_from, c.public_until, c.export_id, c.marked, e.as_of
        FROM publication_changes c JOIN publication_exports e ON e.id = c.export_id
        WHERE c.item = ? AND c.key = ? ORDER BY c.id
        """

    /// The last add or update of each key of an item exported on or before a day, for keys whose
    /// last change by then was not a take-down (parameters: the item, the day). Exports are
    /// numbered in the order of their days (an earlier day is refused), so "on or before the
    /// day" is a prefix of the ledger.
    public static let publicOnDay = """
        SELECT item, key, action, reason, row_id, public_from, public_until, export_id, marked, as_of FROM (
            SELECT c.item AS item, c.key AS key, c.action AS action, c.reason AS reason, c.row_id AS row_id,
                   c.public_from AS public_from, c.public_until AS public_until, c.export_id AS export_id,
                   c.marked AS marked, e.as_of AS as_of,
                   row_number() OVER (PARTITION BY c.key ORDER BY c.id DESC) AS latest
            FROM publication_changes c JOIN publication_exports e ON e.id = c.export_id
            WHERE c.item = ? AND e.as_of <= ? AND c.action <> 'refuse'
        ) AS last_change
        WHERE latest = 1 AND action IN ('add', 'update') ORDER BY key
        """

    /// Each key's last change (not a refusal) in exports on or before a day, counted by the
    /// sending department, action, reason and mark (parameters: the item, the day).
    public static func standing(table: String) -> String {
        """
        SELECT f.department, l.action, l.reason, l.marked, count(*) FROM (
            SELECT c.row_id AS row_id, c.action AS action, c.reason AS reason, c.marked AS marked,
                   row_number() OVER (PARTITION BY c.key ORDER BY c.id DESC) AS latest
            FROM publication_changes c JOIN publication_exports e ON e.id = c.export_id
            WHERE c.item = ? AND e.as_of <= ? AND c.action <> 'refuse'
        ) AS l
        JOIN \(table) t ON t._id = l.row_id JOIN files f ON f.id = t._file
        WHERE l.latest = 1
        GROUP BY f.department, l.action, l.reason, l.marked
        """
    }

    /// The changes of exports whose day is within `?`…`?`, counted by the sending department,
    /// action, reason and mark (parameters: the item, the first and last day).
    public static func changesInDays(table: String) -> String {
        """
        SELECT f.department, c.action, c.reason, c.marked, count(*)
        FROM publication_changes c JOIN publication_exports e ON e.id = c.export_id
        JOIN \(table) t ON t._id = c.row_id JOIN files f ON f.id = t._file
        WHERE c.item = ? AND e.as_of >= ? AND e.as_of <= ?
        GROUP BY f.department, c.action, c.reason, c.marked
        """
    }

    /// Each record's first export (a record taken down and added again counts once) with the
    /// department that sent it, its decision (the window's start) and the export's day, for
    /// exports in `window` (parameters: the item, then ``ExportWindow/bounds``).
    public static func firstExports(table: String, window: ExportWindow) -> String {
        let condition = switch window {
        case .days: "e.as_of >= ? AND e.as_of <= ?"
        case .afterRun: "e.after_run = ?"
        }
        return """
        SELECT f.department, c.public_from, e.as_of
        FROM publication_changes c
        JOIN publication_exports e ON e.id = c.export_id
        JOIN \(table) t ON t._id = c.row_id
        JOIN files f ON f.id = t._file
        WHERE c.item = ? AND c.action = 'add' AND \(condition)
          AND NOT EXISTS (SELECT 1 FROM publication_changes p
                          WHERE p.item = c.item AND p.key = c.key AND p.action = 'add' AND p.id < c.id)
        """
    }

    /// `?` placeholders numbered `$1`, `$2`… for PostgreSQL.
    public static func numbered(_ sql: String) -> String {
        var result = "", number = 0
        for character in sql {
            if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A change from its row's texts (the columns of ``changesOfExport``, the key as 32 hex
    /// digits); nil when the row does not read (a damaged ledger).
    public static func change(item: String, keyHex: String, action: String, reason: String?, row: Int64,
                              from: String?, until: String?, export: Int64, marked: Bool = false,
                              asOf: String? = nil) -> PublicationChange? {
        guard let key = KeyDigest(hex: keyHex), let action = PublicationChange.Action(rawValue: action) else { return nil }
        var why: PublicationChange.Reason?
        if let reason {
            guard let known = PublicationChange.Reason(rawValue: reason) else { return nil }
            why = known
        }
        var change = PublicationChange(item: item, key: key, action: action, reason: why, row: row, from: from,
                                       until: until, export: export)
        change.asOf = asOf
        change.marked = marked
        return change
    }
}

/// One key's current version, with what the ledger last said of the key.
public struct PublicationCandidate: Sendable {
    public var key: KeyDigest
    /// The current version's row in the item table.
    public var row: Int64
    public var withdrawn: Bool
    /// The day the version arrived (its file's submission day): when a withdrawal took effect.
    public var received: String?
    /// The values asked for, normalized as archived.
    public var values: [String?]
    /// The row the ledger last exported for the key, and whether it was public then; nil when the
    /// key was never exported.
    public var exported: (row: Int64, isPublic: Bool)?
    /// Whether it last went out marked as disputed (异议处理中).
    public var exportedMarked = false

    public init(key: KeyDigest, row: Int64, withdrawn: Bool, received: String?, values: [String?],
                exported: (row: Int64, isPublic: Bool)?) {
        self.key = key
        self.row = row
        self.withdrawn = withdrawn
        self.received = received
        self.values = values
        self.exported = exported
    }
}

/// One change an export carries: a record added to, updated in or removed from publication.
public struct PublicationChange: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        case add, update, remove
        /// A credit repair that was not applied (its record is the repair), with the reason.
        case refuse
    }

    /// Why a record left publication (or, for an add or update, nil).
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        /// Its publication period ended (or a licence's validity).
        case expired
        /// A version withdrew it (当前状态 撤销/无效).
        case withdrawn
        /// A new version moved it out of publication (its decision date now lies ahead).
        case changed
        /// An approved credit repair (信用修复) ended it early.
        case repaired
        /// A repair naming no record the archive holds (refused).
        case unknownDecision = "unknown_decision"
        /// A repair dated before the publication's minimum period ended (refused).
        case tooEarly = "too_early"
        /// Withheld while an objection (异议) is open, by the platform's policy.
        case objectionOpen = "objection_open"
        /// An objection was upheld.
        case objectionUpheld = "objection_upheld"
    }

    public var item: String
    public var key: KeyDigest
    public var action: Action
    public var reason: Reason?
    /// The version exported (an add or update) or the last one that was public (a remove).
    public var row: Int64
    /// Public from, and the first day it is no longer (`YYYY-MM-DD`; nil: no end).
    public var from: String?
    public var until: String?
    /// The export that carried it (0 before it is recorded).
    public var export: Int64 = 0
    /// The day of that export (in a record's publication history).
    public var asOf: String?
    /// Public but marked as disputed: an objection is open (异议处理中).
    public var marked = false

    public init(item: String, key: KeyDigest, action: Action, reason: Reason?, row: Int64, from: String?,
                until: String?, export: Int64 = 0) {
        self.item = item
        self.key = key
        self.action = action
        self.reason = reason
        self.row = row
        self.from = from
        self.until = until
        self.export = export
    }
}

extension KeyDigest: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let digest = KeyDigest(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a key digest"))
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// Which exports a 公示及时率 counts: a period's days (`YYYY-MM-DD`, both included), or those
/// recorded while a run was the last one started: a run's report counts the exports recorded
/// since the run before it began (a nightly job: the previous night's publish).
public enum ExportWindow: Sendable, Hashable {
    case days(from: String, through: String)
    /// Exports recorded after run `run` started and before the next one did.
    case afterRun(Int64)

    /// The window's bounds, as the SQL's parameters.
    public var bounds: [String] {
        switch self {
        case .days(let first, let last): [first, last]
        case .afterRun(let run): [String(run)]
        }
    }
}

/// A record's first export: who sent it, its decision date (`public_from`) and the export's day.
public struct FirstExport: Sendable, Hashable {
    public var department: String
    public var decided: String?
    public var exported: String

    public init(department: String, decided: String?, exported: String) {
        self.department = department
        self.decided = decided
        self.exported = exported
    }
}

/// An export as the ledger holds it.
public struct PublicationExportRecord: Sendable, Hashable {
    public var id: Int64
    public var asOf: String
    public var createdAt: String

    public init(id: Int64, asOf: String, createdAt: String) {
        self.id = id
        self.asOf = asOf
        self.createdAt = createdAt
    }
}
