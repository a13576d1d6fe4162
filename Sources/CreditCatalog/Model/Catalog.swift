import CreditCore
import CreditIdentifiers

/// The whole catalog: items, departments and feeds, cross-checked when loaded.
public struct Catalog: Sendable {
    public private(set) var items: [String: CatalogItem]
    public private(set) var departments: [String: Department]
    public private(set) var feeds: [Feed]
    /// The reference tables identifier checks consult: `reference/*.csv` of the catalog folder,
    /// or the copies compiled into the binary for tables the folder does not carry.
    public var identifiers: IdentifierReference
    /// The official working-day calendar (`reference/cn-official-calendar.csv`); without it every
    /// timeliness verdict is unknown.
    public var calendar: WorkingCalendar?
    /// The directory it was loaded from.
    public var directory: String
    /// A digest of every file the catalog was read from (items, departments, feeds, reference
    /// tables, calendar): what a record's checks depend on besides the record and the program.
    public var digest: KeyDigest

    public init(items: [CatalogItem], departments: [Department], feeds: [Feed],
                identifiers: IdentifierReference = .standard, calendar: WorkingCalendar? = nil,
                directory: String = "<memory>", digest: KeyDigest? = nil) {
        // A catalog made in memory is told apart by its items as printed: at worst two equal
        // catalogs get two digests, and re-sends are checked again (never the reverse).
        self.digest = digest ?? KeyDigest(Array(String(describing: items.sorted { $0.id < $1.id }).utf8))
        self.calendar = calendar
        self.items = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.departments = Dictionary(departments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.feeds = feeds
        self.identifiers = identifiers
        self.directory = directory
    }
}
