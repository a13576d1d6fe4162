/// A department file as the pipeline sees it: where it is and what it claims to hold.
public struct SourceFile: Sendable, Hashable {
    /// The path as given to the run (absolute or relative to the working directory).
    public var path: String
    /// The path shown to people: relative to the inbox when the file came from one.
    public var displayPath: String

    public init(path: String, displayPath: String? = nil) {
        self.path = path
        self.displayPath = displayPath ?? path
    }
}

/// Where one record starts inside its file, so any archived value leads back to its source.
public struct Provenance: Sendable, Hashable {
    /// 1-based line number of the record's first byte.
    public var line: Int
    /// 0-based byte offset of the record's first byte.
    public var byteOffset: Int64

    public init(line: Int, byteOffset: Int64) {
        self.line = line
        self.byteOffset = byteOffset
    }
}
