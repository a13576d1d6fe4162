/// Where something was declared in a catalog or pipeline file.
public struct CatalogLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return text
    }
}

/// One thing wrong in a configuration file (catalog or pipeline), located precisely.
public struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    public var location: CatalogLocation
    /// The key path of the offending value, such as `fields[3].type`.
    public var keyPath: String
    /// What is wrong and what to do about it.
    public var message: String

    public init(location: CatalogLocation, keyPath: String, message: String) {
        self.location = location
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}

/// Every problem found in a set of configuration files: reported together, so that one edit
/// can fix them all instead of one run per mistake.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigurationProblem]

    public init(_ problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
