/// Why a file could not be read. The whole file is stopped (nothing of it is archived); the run
/// goes on with the next file.
public struct AdapterError: Error, Sendable, CustomStringConvertible {
    enum Code: Sendable {
        case cannotOpen
        case readFailed
        case malformed
        case noHeader
    }

    let code: Code
    /// The file as shown to people.
    public var file: String
    /// 1-based line of the problem, when known.
    public var line: Int?
    /// 1-based column (in characters) of the problem, when known.
    public var column: Int?
    /// What went wrong and what to do.
    public var message: String

    init(_ code: Code, file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// A first line that names no column the stages know: a file without its header row, or in
    /// a layout its feed does not map.
    public static func unknownHeader(file: String, message: String) -> AdapterError {
        AdapterError(.noHeader, file: file, line: 1, message: message)
    }

    /// Reading was given up because the run is ending (a signal): the file is left for the next
    /// run, not failed.
    public static func stopped(file: String) -> AdapterError {
        AdapterError(.readFailed, file: file, message: "reading stopped: the run is ending; the file is left for the next run")
    }

    /// True when the file's content is at fault (as opposed to the file system): the department
    /// must send a corrected file.
    public var isMalformedInput: Bool { code == .malformed || code == .noHeader }

    /// `file:line:column: message`, one line.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}
