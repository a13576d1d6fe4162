import CreditCore

/// Which prints a file may be a re-send of, and when they are worth loading.
///
/// A print is stored with the feed that sent its version (as a 64-bit number: the feed's id,
/// digested), so a large file of a feed loads its own feed's prints, not the item's.
public enum PrintSource {
    /// The feed's number in `record_keys.print_source`.
    public static func of(feed: String) -> Int64 {
        Int64(bitPattern: KeyDigest(Array(feed.utf8)).high)
    }

    /// A file is read against its feed's prints when it is at least a quarter of the feed's largest
    /// earlier file: a full re-send is, a nightly increment after a first full load is not (it is
    /// checked as usual, at a cost that follows its size).
    public static func worthLoading(fileSize: Int64, largestEarlier: Int64?) -> Bool {
        guard let largestEarlier, largestEarlier > 0 else { return false }
        return fileSize >= largestEarlier / 4
    }

    /// At most this many prints are loaded (16 bytes and a flag each): a feed holding more is
    /// checked as usual, so a run's memory stays flat.
    public static let maximumLoaded = 6_000_000
}
