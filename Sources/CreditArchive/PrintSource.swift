import CreditCore

/// When a file is read against its feed's prints (``PrintSet``): a print is stored on its
/// version's row (`_print`), and a large file of a feed loads the current versions its feed's
/// files stored, not the whole item's.
public enum PrintSource {
    /// A file is read against its feed's prints when it is at least a quarter of the feed's largest
    /// earlier file: a full re-send is, a nightly increment after a first full load is not (it is
    /// checked as usual, at a cost that follows its size).
    public static func worthLoading(fileSize: Int64, largestEarlier: Int64?) -> Bool {
        guard let largestEarlier, largestEarlier > 0 else { return false }
        return fileSize >= largestEarlier / 4
    }

    /// At most this many prints are loaded (28 bytes each, 44 while loading; ``PrintSet``): a
    /// feed holding more current versions is checked as usual, so a run stays within its memory
    /// (about 150 MB without them, 256 MB in all).
    public static let maximumLoaded = 2_000_000
}
