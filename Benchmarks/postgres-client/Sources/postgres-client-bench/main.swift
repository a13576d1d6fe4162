import CLibPQ
import Foundation
import Logging
import NIOCore
import PostgresNIO

// postgres-client-bench <socket-folder> <port> <user> <rows> <tsv-out>
// Loads the same rows (about 340 bytes each, like a 行政处罚 record) three times into a fresh
// table: with libpq's COPY, with PostgresNIO's copyFrom, and writes them as a TSV for `psql \copy`.
let arguments = CommandLine.arguments
guard arguments.count == 6, let port = Int(arguments[2]), let count = Int(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: postgres-client-bench <socket-folder> <port> <user> <rows> <tsv-out>\n".utf8))
    exit(64)
}
let (folder, user, tsv) = (arguments[1], arguments[3], arguments[5])

/// Row `index` in COPY's text format, tab-separated, newline-terminated.
func row(_ index: Int) -> String {
    let code = String(format: "91330203MA%08X", index)
    return "\(index)\t宁波某某\(index)贸易有限公司\t\(code)\t甬市监罚〔2026〕\(index)号\t2026-10-\(10 + index % 18)\t"
        + "罚款\t\(Double(index % 997) / 10)\t销售超过保质期的食品，违反《中华人民共和国食品安全法》第三十四条第十项的规定，依据第一百二十四条处罚\t"
        + "宁波市市场监督管理局\t113302000028765169\n"
}
let columns = "id bigint, name text, code text, doc text, decided date, kind text, amount numeric, facts text, authority text, authority_code text"

func chunks(_ body: ([UInt8]) throws -> Void) rethrows {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 20)
    for index in 0..<count {
        buffer += Array(row(index).utf8)
        if buffer.count >= 1 << 20 { try body(buffer); buffer.removeAll(keepingCapacity: true) }
    }
    if !buffer.isEmpty { try body(buffer) }
}

/// The rows in 1 MiB chunks, made before any timing: both clients send the same bytes, and
/// neither is credited or charged for making them.
let prepared: [[UInt8]] = {
    var all: [[UInt8]] = []
    chunks { all.append($0) }
    return all
}()

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

// libpq
let connection = PQconnectdb("host=\(folder) port=\(port) user=\(user) dbname=postgres")!
guard PQstatus(connection) == CONNECTION_OK else { fail(String(cString: PQerrorMessage(connection))) }
func exec(_ sql: String, _ wanted: ExecStatusType = PGRES_COMMAND_OK) {
    let result = PQexec(connection, sql)
    defer { PQclear(result) }
    guard PQresultStatus(result) == wanted else { fail("\(sql): \(String(cString: PQerrorMessage(connection)))") }
}
func loadWithLibpq() -> Double {
    exec("DROP TABLE IF EXISTS libpq_rows; SET client_min_messages = warning; CREATE UNLOGGED TABLE libpq_rows (\(columns))")
    return seconds {
        exec("COPY libpq_rows FROM STDIN", PGRES_COPY_IN)
        for bytes in prepared {
            let sent = bytes.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) } }
            if sent != 1 { fail(String(cString: PQerrorMessage(connection))) }
        }
        guard PQputCopyEnd(connection, nil) == 1 else { fail(String(cString: PQerrorMessage(connection))) }
        let result = PQgetResult(connection)
        guard PQresultStatus(result) == PGRES_COMMAND_OK else { fail(String(cString: PQerrorMessage(connection))) }
        PQclear(result)
        while let extra = PQgetResult(connection) { PQclear(extra) }
    }
}

let logger = Logger(label: "bench")
let configuration = PostgresConnection.Configuration(unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: user,
                                                     password: nil, database: "postgres")
func loadWithNIO() async throws -> Double {
    exec("DROP TABLE IF EXISTS nio_rows; CREATE UNLOGGED TABLE nio_rows (\(columns))")
    let client = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    let start = ContinuousClock.now
    try await client.copyFrom(table: "nio_rows", logger: logger) { writer in
        for bytes in prepared { try await writer.write(ByteBuffer(bytes: bytes)) }
    }
    let elapsed = ContinuousClock.now - start
    try await client.close()
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

// Alternating rounds; the first of each warms the server, the medians are reported.
var libpqTimes: [Double] = [], nioTimes: [Double] = []
for _ in 0..<3 {
    libpqTimes.append(loadWithLibpq())
    nioTimes.append(try await loadWithNIO())
}
let libpq = libpqTimes.sorted()[1], nio = nioTimes.sorted()[1]

// The TSV for psql \copy, and the row counts.
guard FileManager.default.createFile(atPath: tsv, contents: nil), let handle = FileHandle(forWritingAtPath: tsv) else {
    fail("\(tsv): cannot create it")
}
for bytes in prepared { try handle.write(contentsOf: bytes) }
try handle.close()
for table in ["libpq_rows", "nio_rows"] {
    let result = PQexec(connection, "SELECT count(*) FROM \(table)")
    guard PQresultStatus(result) == PGRES_TUPLES_OK else { fail(String(cString: PQerrorMessage(connection))) }
    let stored = String(cString: PQgetvalue(result, 0, 0))
    PQclear(result)
    guard stored == String(count) else { fail("\(table) holds \(stored) rows, not \(count)") }
}
PQfinish(connection)
print(String(format: "libpq COPY:           %6.2f s  %6.0f k rows/s (median of 3)", libpq, Double(count) / libpq / 1000))
print(String(format: "PostgresNIO copyFrom: %6.2f s  %6.0f k rows/s (median of 3)", nio, Double(count) / nio / 1000))
