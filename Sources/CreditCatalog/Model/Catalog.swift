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

    public init(items: [CatalogItem], departments: [Department], feeds: [Feed],
                identifiers: IdentifierReference = .standard, calendar: WorkingCalendar? = nil,
                directory: String = "<memory>") {
        self.calendar = calendar
        self.items = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.departments = Dictionary(departments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.feeds = feeds
        self.identifiers = identifiers
        self.directory = directory
    }
}
