import CreditCatalog
import CreditCore
import Foundation

/// A run as the archive records it.
public struct ArchivedRun: Sendable, Hashable, Codable {
    public var id: Int64
    public var pipeline: String
    public var startedAt: String
    public var finishedAt: String?
    public var status: String
    public var error: String?

    package init(id: Int64, pipeline: String, startedAt: String, finishedAt: String? = nil, status: String, error: String? = nil) {
        self.id = id
        self.pipeline = pipeline
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.error = error
    }
}

/// A file a run saw, with the ledger figures when it was archived.
public struct ArchivedFileOutcome: Sendable, Hashable {
    public var outcome: FileOutcome
    public var department: String?
    public var item: String?
    public var records: Int
    public var compliant: Int
    /// For duplicates: the run that archived this content first.
    public var firstRun: Int64?

    package init(outcome: FileOutcome, department: String? = nil, item: String? = nil, records: Int, compliant: Int, firstRun: Int64? = nil) {
        self.outcome = outcome
        self.department = department
        self.item = item
        self.records = records
        self.compliant = compliant
        self.firstRun = firstRun
    }
}

/// Distinct subject codes of a slice and how many of them are 错码, 重码, or either (重错码), with
/// the names that differ from the registry and 纠正率's two terms.
public struct CodeFigures: Sendable, Hashable, Codable {
    public var distinct = 0
    public var erroneous = 0
    public var duplicated = 0
    public var erroneousOrDuplicated = 0
    /// Codes whose name here differs from the 企业登记注册 registry's (not 重码: a separate figure).
    public var registryMismatches = 0
    /// 纠正率's denominator: distinct codes this slice's earlier runs flagged as 重错码.
    public var flaggedEarlier = 0
    /// 纠正率's numerator: of those, the codes whose records this run resubmitted and had accepted
    /// with another (valid) code or another name.
    public var corrected = 0

    public init(distinct: Int = 0, erroneous: Int = 0, duplicated: Int = 0, erroneousOrDuplicated: Int = 0,
                registryMismatches: Int = 0, flaggedEarlier: Int = 0, corrected: Int = 0) {
        self.distinct = distinct
        self.erroneous = erroneous
        self.duplicated = duplicated
        self.erroneousOrDuplicated = erroneousOrDuplicated
        self.registryMismatches = registryMismatches
        self.flaggedEarlier = flaggedEarlier
        self.corrected = corrected
    }

    /// 重错码率: (错码 ∪ 重码) ÷ distinct codes.
    public var rate: Ratio { Ratio(erroneousOrDuplicated, of: distinct) }
    /// 纠正率: 重错码 flagged earlier and corrected by resubmission ÷ 重错码 flagged earlier.
    public var correctionRate: Ratio { Ratio(corrected, of: flaggedEarlier) }
}

/// One 重码 pair group for human review: a code with its names, or a name with its codes.
public struct DuplicateCodeGroup: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// One code carried with two or more names.
        case codeWithNames = "code_with_names"
        /// One name carried with two or more valid codes.
        case nameWithCodes = "name_with_codes"
    }

    public var kind: Kind
    /// The code (for `codeWithNames`) or the name (for `nameWithCodes`).
    public var subject: String
    /// The names, or the codes, it was seen with across the archive.
    public var seenWith: [String]

    package init(kind: Kind, subject: String, seenWith: [String]) {
        self.kind = kind
        self.subject = subject
        self.seenWith = seenWith
    }
}

public struct ArchivedSlice: Sendable, Hashable {
    public var department: String
    public var item: String
    public var counts: QualityCounts
    public var codes: CodeFigures

    package init(department: String, item: String, counts: QualityCounts, codes: CodeFigures) {
        self.department = department
        self.item = item
        self.counts = counts
        self.codes = codes
    }
}

/// One finding as stored, with where it points.
public struct ArchivedFinding: Sendable, Hashable {
    public var path: String
    public var line: Int?
    public var finding: Finding

    package init(path: String, line: Int? = nil, finding: Finding) {
        self.path = path
        self.line = line
        self.finding = finding
    }
}

/// One record as the archive holds it: an accepted version (normalized values, and the raw
/// values normalization changed) or a rejected submission (values as received), with its
/// lineage: file, line, run.
public struct StoredRecord: Sendable, Hashable, Codable {
    public var item: String
    /// False for a rejected submission.
    public var accepted: Bool
    public var fileID: Int64
    public var path: String
    public var department: String
    public var run: Int64
    public var line: Int
    /// The version number of an accepted record (1 for the first).
    public var version: Int?
    /// True for the current version of its business key.
    public var current: Bool
    public var withdrawn: Bool
    /// The business key's digest (hex), as `trace` takes it.
    public var key: String?
    /// Field id → normalized value (accepted); header name → value as received (rejected).
    public var values: [(name: String, value: String)]
    /// Field id → value as received, where normalization changed it.
    public var raw: [String: String]
    /// Columns the catalog does not know: name → value.
    public var extra: [String: String]

    public static func == (lhs: StoredRecord, rhs: StoredRecord) -> Bool {
        lhs.fileID == rhs.fileID && lhs.line == rhs.line && lhs.accepted == rhs.accepted && lhs.item == rhs.item
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fileID)
        hasher.combine(line)
        hasher.combine(accepted)
    }

    /// The value of field `id`, nil when the record holds none or an empty one. A record holds a
    /// few values: a scan beats hashing them.
    public func value(_ id: String) -> String? {
        for entry in values where entry.name == id { return entry.value.isEmpty ? nil : entry.value }
        return nil
    }

    package enum CodingKeys: String, CodingKey {
        case item, accepted, fileID = "file_id", path, department, run, line, version, current, withdrawn, key, values,
             raw, extra
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(item, forKey: .item)
        try container.encode(accepted, forKey: .accepted)
        try container.encode(fileID, forKey: .fileID)
        try container.encode(path, forKey: .path)
        try container.encode(department, forKey: .department)
        try container.encode(run, forKey: .run)
        try container.encode(line, forKey: .line)
        try container.encodeIfPresent(version, forKey: .version)
        try container.encode(current, forKey: .current)
        try container.encode(withdrawn, forKey: .withdrawn)
        try container.encodeIfPresent(key, forKey: .key)
        try container.encode(Dictionary(values.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }),
                             forKey: .values)
        try container.encode(raw, forKey: .raw)
        try container.encode(extra, forKey: .extra)
    }

    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "stored records are not decoded"))
    }

    package init(item: String, accepted: Bool, fileID: Int64, path: String, department: String, run: Int64, line: Int,
         version: Int?, current: Bool, withdrawn: Bool, key: String?, values: [(name: String, value: String)],
         raw: [String: String], extra: [String: String]) {
        self.item = item
        self.accepted = accepted
        self.fileID = fileID
        self.path = path
        self.department = department
        self.run = run
        self.line = line
        self.version = version
        self.current = current
        self.withdrawn = withdrawn
        self.key = key
        self.values = values
        self.raw = raw
        self.extra = extra
    }
}

/// A completed run's headline figures, recorded as it completed and shown by its report: what
/// trends are drawn from.
public struct RunFigures: Sendable, Hashable, Codable {
    public var run: Int64
    /// The run's civil date (`2026-11-20`).
    public var day: String
    public var records: Int
    public var compliant: Int
    public var timely: Int
    public var late: Int
    public var distinctCodes: Int
    public var dupErrorCodes: Int

    public init(run: Int64, day: String, records: Int, compliant: Int, timely: Int, late: Int, distinctCodes: Int,
                dupErrorCodes: Int) {
        self.run = run
        self.day = day
        self.records = records
        self.compliant = compliant
        self.timely = timely
        self.late = late
        self.distinctCodes = distinctCodes
        self.dupErrorCodes = dupErrorCodes
    }
}

/// A run as the reports' index lists it: what it was, and its figures when it was reported.
public struct RunListing: Sendable, Hashable {
    public var run: ArchivedRun
    public var figures: RunFigures?

    package init(run: ArchivedRun, figures: RunFigures? = nil) {
        self.run = run
        self.figures = figures
    }
}

/// A file of a run with rejected records: what its feedback to the department is written from.
public struct RejectedFile: Sendable, Hashable {
    public var fileID: Int64
    /// The file's path relative to the inbox.
    public var path: String
    public var feed: String
    public var department: String
    public var item: String
    public var format: String
    /// The encoding the department's file was in (`UTF-8` for files archived before it was kept).
    public var encoding: String
    /// The file's own column names (CSV), or the item's field ids and `_extra` (XML, JSON).
    public var header: [String]
    public var rejected: Int

    package init(fileID: Int64, path: String, feed: String, department: String, item: String, format: String, encoding: String, header: [String], rejected: Int) {
        self.fileID = fileID
        self.path = path
        self.feed = feed
        self.department = department
        self.item = item
        self.format = format
        self.encoding = encoding
        self.header = header
        self.rejected = rejected
    }
}

/// One rejected record as received, with the errors that rejected it.
public struct RejectedRow: Sendable, Hashable {
    public var line: Int
    /// The values in ``RejectedFile/header`` order, as the department sent them.
    public var fields: [String]
    public var errors: [Finding]

    package init(line: Int, fields: [String], errors: [Finding]) {
        self.line = line
        self.fields = fields
        self.errors = errors
    }
}

/// What the ledger records of a file about to be archived.
public struct FileDraft: Sendable, Hashable {
    public var sha256: String
    public var size: Int64
    public var path: String
    public var feed: String
    public var department: String
    public var item: String
    public var format: String
    public var header: [String]
    /// ISO date the file was submitted (for timeliness).
    public var submitted: String?
    /// The encoding the file's text was in (`UTF-8`, `GB18030`, an XML prolog's).
    public var encoding: String?

    public init(sha256: String, size: Int64, path: String, feed: String, department: String, item: String,
                format: String, header: [String], submitted: String? = nil, encoding: String? = nil) {
        self.submitted = submitted
        self.encoding = encoding
        self.sha256 = sha256
        self.size = size
        self.path = path
        self.feed = feed
        self.department = department
        self.item = item
        self.format = format
        self.header = header
    }

    package var headerJSON: String {
        var bytes: [UInt8] = [0x5B]
        for (index, name) in header.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            JSONText.appendString(name, to: &bytes)
        }
        bytes.append(0x5D)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Timestamps as stored: ISO 8601 in UTC, to the second.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
            .timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
