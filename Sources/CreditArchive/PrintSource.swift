import CreditCore

/// When a file is read against its feed's prints (``PrintSet``): a print is stored on its
/// version's row (`_print`), and a large file of a feed loads the current versions its feed's
/// files stored, not the whole item's.
public enum PrintSource {
    /// A file is read against its feed's prints when it is at least a quarter of the feed's table:
    /// the bytes its files spent on the keys they brought (each file's size × its new records ÷
    /// its records). A full re-send is; a nightly increment after a full load is not, nor is each
    /// file of a backfill cut in many (loading every print before each would cost the archive's
    /// size per file); those are checked as usual, at a cost that follows their size.
    public static func worthLoading(fileSize: Int64, tableBytes: Double) -> Bool {
        tableBytes > 0 && Double(fileSize) * 4 >= tableBytes
    }

    /// Whether a file may still be read against its feed's prints, asked before the files ahead
    /// of it are archived: the feed's table only grows as they are, so "no" is final, and "yes"
    /// (or a feed with nothing archived yet) waits for the archiver's answer when it begins the
    /// file. So what a file's records become does not depend on the timing of the threads.
    public static func mayLoad(fileSize: Int64, tableBytes: Double) -> Bool {
        tableBytes == 0 || worthLoading(fileSize: fileSize, tableBytes: tableBytes)
    }

    /// The feed's table in bytes (``worthLoading(fileSize:tableBytes:)``) over its files archived
    /// so far (a file still being written has no records yet), in SQL both backends read; the
    /// feed is the parameter `feed` (`?1` or `$1`).
    public static func tableBytesSQL(feed parameter: String) -> String {
        """
        SELECT COALESCE(SUM(CAST(size AS DOUBLE PRECISION) * new_records / records), 0) FROM files
        WHERE feed = \(parameter) AND records > 0
        """
    }

    /// At most this many prints are loaded (about 36 bytes each; ``PrintSet``): a feed holding more
    /// current versions is checked as usual, so a run stays within its memory (about 150 MB
    /// without them, 256 MB in all).
    public static let maximumLoaded = 2_000_000
}
