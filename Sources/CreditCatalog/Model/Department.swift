/// A unit that sends data to the platform (a city bureau, a court, a county counterpart).
public struct Department: Sendable, Hashable {
    /// Short id such as `nb-scjg`, used in file layouts and reports.
    public var id: String
    public var name: String
    /// 市级 or 区县.
    public var level: String
    public var district: String?
    public var uscc: String?

    public init(id: String, name: String, level: String, district: String? = nil, uscc: String? = nil) {
        self.id = id
        self.name = name
        self.level = level
        self.district = district
        self.uscc = uscc
    }
}

/// A department's regular delivery of one item: which files in the inbox it is, and their format.
public struct Feed: Sendable, Hashable {
    public var id: String
    public var department: String
    public var item: String
    public var format: SourceFormat
    public var encoding: String
    /// Glob relative to the inbox (`nb-scjg/admin_penalty*.csv`).
    public var files: String
    /// Field delimiter of CSV files.
    public var delimiter: UInt8
    /// Whether a quote inside an unquoted CSV value stops the file (strict RFC 4180), instead of
    /// being read literally with a `CSV_BARE_QUOTE` warning (`12"`, `37°36'37.8"N`), as
    /// spreadsheets and most readers do. `strict_quotes: true` in the feed.
    public var strictQuotes = false
    /// How often the department is expected to send it (``FeedCadence``); nil: as events occur,
    /// never called overdue.
    public var cadence: FeedCadence?
    /// This department's own column names for item fields (`处罚决定书编号: cf_wsh`), tried before
    /// the item's names and aliases.
    public var columns: [String: String]
    /// For XML, the record element's path (`/DATA/ROW`); for JSON, the keys leading to the record
    /// array (`data.list`). Nil: XML records are the root's children, JSON is an array or JSON Lines.
    public var recordPath: String?
    /// This feed's own enum codes per field id (`xk_zt: {"0": 有效, "1": 撤销}`), tried before
    /// the item's `value_aliases`.
    public var valueAliases: [String: [String: String]]

    public init(id: String, department: String, item: String, format: SourceFormat, encoding: String = "auto",
                files: String, delimiter: UInt8 = UInt8(ascii: ","), columns: [String: String] = [:],
                recordPath: String? = nil, valueAliases: [String: [String: String]] = [:]) {
        self.valueAliases = valueAliases
        self.columns = columns
        self.recordPath = recordPath
        self.id = id
        self.department = department
        self.item = item
        self.format = format
        self.encoding = encoding
        self.files = files
        self.delimiter = delimiter
    }
}

/// File formats departments send.
public enum SourceFormat: String, Sendable, Hashable, CaseIterable {
    case csv
    case xml
    case json
}
