import CreditAdapters
import CreditCatalog
import CreditCore
import Foundation

/// A byte source over bytes in memory, handing out at most `chunk` bytes per read so tests can
/// cut input at every possible boundary.
public final class MemoryByteSource: ByteSource {
    let bytes: [UInt8]
    let chunk: Int
    var position = 0

    public init(_ text: String, chunk: Int = .max) {
        self.bytes = Array(text.utf8)
        self.chunk = chunk
    }

    public init(bytes: [UInt8], chunk: Int = .max) {
        self.bytes = bytes
        self.chunk = chunk
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AdapterError) -> Int {
        let count = min(buffer.count, chunk, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes[position..<position + count].withUnsafeBytes { source in
            buffer.copyMemory(from: source)
        }
        position += count
        return count
    }
}

/// Paths inside the repository, for tests that read the shipped catalog and samples.
public enum Repository {
    public static var root: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
        }
        return FileManager.default.currentDirectoryPath
    }

    public static func path(_ relative: String) -> String {
        (root as NSString).appendingPathComponent(relative)
    }

    public static func catalog() throws -> Catalog {
        try Catalog.load(directory: path("catalogs"))
    }
}

/// A fresh temporary folder, removed by the caller with `remove()`.
public struct TemporaryDirectory {
    public let path: String

    public init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("credit-etl-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ relative: String) -> String {
        (path as NSString).appendingPathComponent(relative)
    }

    @discardableResult
    public func write(_ relative: String, _ text: String) throws -> String {
        let target = file(relative)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Reads all of a CSV text into one batch (header excluded).
public func readCSV(_ text: String, chunk: Int = .max, readSize: Int = 1 << 20, batchSize: Int = 4096)
    throws -> (header: [String], records: [[String]], lines: [Int], offsets: [Int64])
{
    var source = try CSVSource(bytes: MemoryByteSource(text, chunk: chunk), file: SourceFile(path: "test.csv"),
                               configuration: CSVConfiguration(batchSize: batchSize, readSize: readSize))
    let header = try source.header()
    var batch = RecordBatch()
    var records: [[String]] = []
    var lines: [Int] = []
    var offsets: [Int64] = []
    while try source.next(into: &batch) {
        batch.withFields { fields in
            for record in 0..<fields.count {
                records.append((0..<fields.fieldCount(record)).map { ByteText.string(fields.field(record, column: $0)!) })
            }
        }
        lines += batch.provenance.map(\.line)
        offsets += batch.provenance.map(\.byteOffset)
    }
    return (header, records, lines, offsets)
}

/// `text` encoded in GB18030: department exports as office software writes them.
public func gb18030(_ text: String) -> [UInt8] {
    (try? GB18030Encoder())?.encode(Array(text.utf8)) ?? []
}

/// The Python interpreter of the test venv (`.build/python`, made by `make test` through
/// scripts/test-python.sh with python-stdnum and jsonschema), or `CREDIT_ETL_PYTHON`.
public enum TestPython {
    public static func interpreter() -> String? {
        if let configured = ProcessInfo.processInfo.environment["CREDIT_ETL_PYTHON"], !configured.isEmpty {
            return configured
        }
        let venv = Repository.path(".build/python/bin/python3")
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }
}

/// An SQLite database read and written from outside the product (Python's sqlite3, which every
/// Debian has), for tests that plant rows or check the schema without linking SQLite themselves.
public enum SQLiteShell {
    /// Runs `sql` (several statements allowed) and returns the last statement's rows, a line each,
    /// columns joined by `|`, NULL as `∅`. Throws when Python reports an error.
    @discardableResult
    public static func run(_ database: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            statements = [s for s in sys.argv[2].split(';') if s.strip()]
            rows = []
            for s in statements:
                rows = c.execute(s).fetchall()
            c.commit()
            print('\\n'.join('|'.join('∅' if v is None else str(v) for v in r) for r in rows))
            """, database, sql]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problem = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: String(decoding: problem, as: UTF8.self)])
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
