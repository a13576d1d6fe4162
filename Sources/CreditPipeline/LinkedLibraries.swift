import CreditAdapters
import CreditArchive
import CreditArchiveSQLite

/// Versions of the system C libraries in use: the first thing support asks for when a
/// department's file parses differently on two machines.
public enum LinkedLibraries {
    public static var versions: [(name: String, version: String)] {
        [("libcsv", CSVLibrary.version), ("libxml2", XMLLibrary.version), ("SQLite", Archive.sqliteVersion)]
    }
}
