import CLibCSV
import CLibXML2

/// The libcsv the CSV adapter was built against.
public enum CSVLibrary {
    public static let version = "\(CSV_MAJOR).\(CSV_MINOR).\(CSV_RELEASE)"
}

/// The libxml2 the XML adapter was built against.
public enum XMLLibrary {
    public static let version = LIBXML_DOTTED_VERSION
}
