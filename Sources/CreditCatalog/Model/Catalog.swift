/// The whole catalog: items, departments and feeds, cross-checked when loaded.
public struct Catalog: Sendable {
    public private(set) var items: [String: CatalogItem]
    public private(set) var departments: [String: Department]
    public private(set) var feeds: [Feed]
    /// The directory it was loaded from.
    public var directory: String

    public init(items: [CatalogItem], departments: [Department], feeds: [Feed], directory: String = "<memory>") {
        self.items = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.departments = Dictionary(departments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.feeds = feeds
        self.directory = directory
    }
}
