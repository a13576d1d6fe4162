import CreditArchive
import CLibPQ
import Foundation

/// One connection to a PostgreSQL server through libpq, with every result checked: the first
/// piece of the archive's PostgreSQL backend (issue 13). Synchronous, like the SQLite archive's
/// writer thread, and `COPY … FROM STDIN` for bulk rows rather than one INSERT per row.
///
/// Errors never carry what the server said about a row's values (its DETAIL, or messages that
/// quote an input value): they name the SQLSTATE, the table, column and constraint, and say
/// what to do.
public final class PostgresConnection {
    private let connection: OpaquePointer
    /// Where it is connected, without any password: what errors name.
    public let location: String

    /// Connects with a libpq connection string or URL (`postgresql://credit@db:5432/credit`,
    /// `host=/run/pg port=5432 dbname=credit`); the password comes from `PGPASSWORD`, a
    /// `~/.pgpass`-style file (`PGPASSFILE`) or the server's trust, never from the pipeline file.
    public init(_ conninfo: String) throws(ArchiveError) {
        guard let handle = PQconnectdb(conninfo) else {
            throw ArchiveError(.open, path: "postgresql", message: "libpq could not allocate a connection")
        }
        let host = String(cString: PQhost(handle) ?? PQdb(handle))
        let location = "postgresql://\(String(cString: PQuser(handle)))@\(host):\(String(cString: PQport(handle)))/\(String(cString: PQdb(handle)))"
        // Checked before the properties are set: once they are, a throwing init runs deinit too,
        // which would finish the connection a second time.
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw ArchiveError(.open, path: location,
                               message: "cannot connect to the PostgreSQL archive; check that the server runs, the "
                                   + "address and the user, and that the password is in PGPASSWORD or PGPASSFILE",
                               cause: reason)
        }
        connection = handle
        self.location = location
        canceller = PostgresCanceller(PQgetCancel(handle))
    }

    deinit { PQfinish(connection) }

    /// Asks the server to cancel what this connection is running, from any thread (a signal's):
    /// the statement then fails with SQLSTATE 57014, and its transaction can be rolled back.
    public let canceller: PostgresCanceller

    /// Runs statements that return no rows (`CREATE`, `INSERT`, `BEGIN`…).
    public func execute(_ sql: String) throws(ArchiveError) {
        try check(PQexec(connection, sql), expecting: PGRES_COMMAND_OK, doing: "running a statement")
    }

    /// Runs one statement with parameters (text, nil for NULL) that returns no rows; returns how
    /// many rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?]) throws(ArchiveError) -> Int {
        let result = try withParameters(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, expecting: PGRES_COMMAND_OK, doing: "writing", clear: false)
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// The rows of a query, each column as text (nil for NULL).
    public func query(_ sql: String, _ parameters: [String?] = []) throws(ArchiveError) -> [[String?]] {
        let result = try withParameters(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, expecting: PGRES_TUPLES_OK, doing: "reading", clear: false)
        return (0..<PQntuples(result)).map { row in
            (0..<PQnfields(result)).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }

    /// The rows of a query as column name → text; NULL columns are left out.
    public func queryNamed(_ sql: String, _ parameters: [String?] = []) throws(ArchiveError) -> [[String: String]] {
        let result = try withParameters(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, expecting: PGRES_TUPLES_OK, doing: "reading", clear: false)
        let names = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
        return (0..<PQntuples(result)).map { row in
            var values: [String: String] = [:]
            for (column, name) in names.enumerated() where PQgetisnull(result, row, Int32(column)) == 0 {
                values[name] = String(cString: PQgetvalue(result, row, Int32(column)))
            }
            return values
        }
    }

    /// Loads rows into `table` with one `COPY … FROM STDIN` (text format); returns how many the
    /// server stored. Either every row is stored or none.
    @discardableResult
    public func copy(into table: String, columns: [String], rows: some Sequence<[String?]>) throws(ArchiveError) -> Int {
        var data: [UInt8] = []
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { data.append(0x09) }
                Self.appendCopyText(value, to: &data)
            }
            data.append(0x0A)
        }
        return try copy(into: table, columns: columns, data: data)
    }

    /// Loads rows already in COPY's text format (tab between values, a newline after each row,
    /// ``appendCopyText(_:to:)``) into `table`, sending them in chunks of 1 MiB. The archive's
    /// sink builds `data` from a batch's bytes in a buffer it reuses.
    @discardableResult
    public func copy(into table: String, columns: [String], data: [UInt8]) throws(ArchiveError) -> Int {
        let names = columns.map(Self.quoted).joined(separator: ", ")
        try check(PQexec(connection, "COPY \(Self.quoted(table)) (\(names)) FROM STDIN"), expecting: PGRES_COPY_IN,
                  doing: "starting a bulk load")
        var start = 0
        while start < data.count {
            let end = min(start + (1 << 20), data.count)
            let sent = data.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) {
                    PQputCopyData(connection, $0.baseAddress! + start, Int32(end - start))
                }
            }
            guard sent == 1 else {
                let reason = String(cString: PQerrorMessage(connection))
                // End the COPY and collect its (failed) result, so the connection is not left in COPY mode.
                if PQputCopyEnd(connection, "the client stopped") == 1 {
                    while let result = PQgetResult(connection) { PQclear(result) }
                }
                throw Self.connectionLost(doing: "a bulk load into \(table)", location: location, cause: reason)
            }
            start = end
        }
        guard PQputCopyEnd(connection, nil) == 1 else {
            throw Self.connectionLost(doing: "ending a bulk load into \(table)", location: location,
                                      cause: String(cString: PQerrorMessage(connection)))
        }
        let result = PQgetResult(connection)
        defer {
            PQclear(result)
            // Drain: libpq hands out a final NULL after the COPY's result.
            while let extra = PQgetResult(connection) { PQclear(extra) }
        }
        try check(result, expecting: PGRES_COMMAND_OK, doing: "a bulk load into \(table)", clear: false)
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    // MARK: Helpers

    /// A value in COPY's text format: `\N` for NULL; backslash, tab, newline and carriage return escaped.
    public static func appendCopyText(_ value: String?, to buffer: inout [UInt8]) {
        guard var value else {
            buffer.append(contentsOf: [0x5C, 0x4E])
            return
        }
        value.withUTF8 { appendCopyText(bytes: $0, to: &buffer) }
    }

    /// Bytes (UTF-8 text) as a COPY text value; nil is NULL.
    @inline(__always)
    public static func appendCopyText(bytes: UnsafeBufferPointer<UInt8>?, to buffer: inout [UInt8]) {
        guard let bytes else {
            buffer.append(contentsOf: [0x5C, 0x4E])
            return
        }
        for byte in bytes {
            switch byte {
            case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
            case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
            default: buffer.append(byte)
            }
        }
    }

    /// An identifier quoted for SQL (`"item_admin_penalty"`).
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func withParameters<R>(_ parameters: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) throws(ArchiveError) -> R {
        let storage = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for pointer in storage { free(pointer) } }
        // strdup gives NULL only when memory runs out: the parameter would go as SQL NULL.
        for (value, copy) in zip(parameters, storage) where value != nil && copy == nil {
            throw ArchiveError(.io, path: location, message: "out of memory copying a query parameter; the statement was not sent")
        }
        return body(storage.map { $0.map { UnsafePointer($0) } })
    }

    /// Checks a result's status; on failure, an error naming the SQLSTATE and the objects involved
    /// but no values (DETAIL and messages about input quote the data).
    private func check(_ result: OpaquePointer?, expecting wanted: ExecStatusType, doing: String,
                       clear: Bool = true) throws(ArchiveError) {
        defer { if clear { PQclear(result) } }
        guard let result else {
            throw Self.connectionLost(doing: doing, location: location, cause: String(cString: PQerrorMessage(connection)))
        }
        guard PQresultStatus(result) != wanted else { return }
        // A server stopped or unreachable mid-statement leaves no SQLSTATE: say what happened.
        if PQstatus(connection) == CONNECTION_BAD {
            throw Self.connectionLost(doing: doing, location: location,
                                      cause: String(cString: PQerrorMessage(connection)))
        }
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        let state = field(Int32(UInt8(ascii: "C"))) ?? "?????"
        if state == "57014" { throw Self.cancelled(doing: doing, location: location) }
        var cause = "SQLSTATE \(state)"
        for (name, code) in [("table", "t"), ("column", "c"), ("constraint", "n")] {
            if let value = field(Int32(UInt8(ascii: Unicode.Scalar(code)!))) { cause += ", \(name) \(value)" }
        }
        // Syntax and connection messages are about the SQL and the server, not the data.
        if state.hasPrefix("42") || state.hasPrefix("08"), let message = field(Int32(UInt8(ascii: "M"))) {
            cause += ": \(message)"
        }
        throw ArchiveError(Self.code(forState: state), path: location, message: "\(doing) failed: \(Self.advice(forState: state))",
                           cause: cause)
    }

    /// The error of a statement the server cancelled at this client's request (a signal).
    static func cancelled(doing: String, location: String) -> ArchiveError {
        ArchiveError(.cancelled, path: location, message: "\(doing) was cancelled: the process was asked to stop")
    }

    /// The error of a statement whose connection went away (the server stopped, the network
    /// dropped): the transaction is gone with it, so nothing of it was kept.
    static func connectionLost(doing: String, location: String, cause: String) -> ArchiveError {
        ArchiveError(.io, path: location, message: "\(doing) failed: the connection to the server was lost (the server "
            + "stopped or the network dropped); its transaction was rolled back by the server; run again when the "
            + "server is back", cause: cause.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func code(forState state: String) -> ArchiveError.Code {
        switch state {
        case "53100": .full
        case "58030": .io
        case "40001", "40P01", "55P03": .busy
        case "XX001", "XX002": .corrupt
        case _ where state.hasPrefix("08"), _ where state.hasPrefix("28"), _ where state.hasPrefix("3D"): .open
        default: .statement
        }
    }

    static func advice(forState state: String) -> String {
        switch code(forState: state) {
        case .full: "the PostgreSQL server's disk is full; free space there and run again"
        case .io: "the PostgreSQL server could not read or write its files; check its disk and log"
        case .busy: "another transaction holds what this one needs; run again"
        case .corrupt: "the PostgreSQL server reports damaged data; check its log and restore from a backup"
        case .cancelled: "it was cancelled at this process's request; run again"
        case .open: "check the connection, the user and the database name"
        case .statement: "this is likely a bug; keep the database as it is and report the message"
        }
    }
}

/// libpq's cancel request for one connection: `PQcancel` is safe to call from another thread
/// (a signal handler's queue) while the connection's own thread waits on the server.
public final class PostgresCanceller: @unchecked Sendable {
    private let handle: OpaquePointer?

    init(_ handle: OpaquePointer?) {
        self.handle = handle
    }

    deinit { if let handle { PQfreeCancel(handle) } }

    /// Sends the cancel request; false when it could not be sent (the statement then runs on).
    public func cancel() -> Bool {
        guard let handle else { return false }
        var message = [CChar](repeating: 0, count: 256)
        return PQcancel(handle, &message, Int32(message.count)) == 1
    }
}
