import CreditCore

/// How a digest is stored: scoped to its item, so that the same key (or code, or decision) in
/// two items is two rows of one table. XOR with the item's digest keeps it 16 bytes and as well
/// spread as the key's, and is its own inverse.
public struct KeyScope: Sendable, Hashable {
    private let item: KeyDigest

    public init(item: String) {
        self.item = KeyDigest(Array(item.utf8))
    }

    /// `digest` as the archive stores it for this item.
    @inline(__always)
    public func callAsFunction(_ digest: KeyDigest) -> KeyDigest {
        KeyDigest(high: digest.high ^ item.high, low: digest.low ^ item.low)
    }
}
