import CreditCore

/// Validation's memory on the PostgreSQL archive: the same `record_keys` and `subject_names`
/// as ``ArchiveMemory``, read for a whole batch in one round trip (``prefetch(keys:codes:)``)
/// and written back in one bulk load after the batch is archived (``flush()``), inside the
/// file's transaction.
///
/// What it answers between the two lives in dictionaries for one batch only: a key the file
/// carried in an earlier batch comes back from the server with `seen_file` = this file, so
/// `DUP_RECORD` across batches is the server's answer, not a set growing with the file. Files
/// of one item never run at the same time (``PostgresArchive``), so no other worker changes
/// these rows meanwhile; the primary keys would refuse it if one did.
public final class PostgresMemory: RunMemory {
    struct KeyRow {
        var seenFile: Int64
        var version: Int64
        var content: KeyDigest?
        var currentRow: Int64?
        var withdrawn: Bool
    }

    private let connection: PostgresConnection
    /// The item's digest, which scopes keys and codes (``ArchiveMemory/scoped(_:item:)``).
    private let scope: KeyDigest
    private let fileID: Int64
    /// The batch's keys as the server knew them (scoped), then as this file left them.
    private var keys: [KeyDigest: KeyRow] = [:]
    /// Keys noted or changed in this batch, to write back.
    private var changedKeys: [KeyDigest] = []
    private var names: [KeyDigest: (key: KeyDigest, name: String)] = [:]
    private var newNames: [KeyDigest] = []
    private var buffer: [UInt8] = []

    init(connection: PostgresConnection, item: String, fileID: Int64) {
        self.connection = connection
        scope = KeyDigest(Array(item.utf8))
        self.fileID = fileID
    }

    public var wantsPrefetch: Bool { true }

    public func prefetch(keys batchKeys: [KeyDigest], codes: [KeyDigest]) throws {
        keys.removeAll(keepingCapacity: true)
        changedKeys.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true)
        newNames.removeAll(keepingCapacity: true)
        if !batchKeys.isEmpty {
            let rows = try connection.query("""
                SELECT encode(key, 'hex'), seen_file, version, encode(content, 'hex'), current_row, withdrawn
                FROM record_keys WHERE key = ANY (\(Self.byteaArray(1)))
                """, [Self.hexList(batchKeys.map { ArchiveMemory.scoped($0, scope) })])
            for row in rows {
                // A key's state that does not read would turn into "a new key": fail instead.
                let location = connection.location
                keys[try digest(row[0], "record_keys")] = KeyRow(
                    seenFile: try PostgresText.id(row[1], location: location),
                    version: try PostgresText.id(row[2], location: location),
                    content: row[3] == nil ? nil : try digest(row[3], "record_keys"),
                    currentRow: try PostgresText.number(row[4], location: location), withdrawn: row[5] == "1")
            }
        }
        if !codes.isEmpty {
            let rows = try connection.query("""
                SELECT encode(code, 'hex'), encode(name_key, 'hex'), name
                FROM subject_names WHERE code = ANY (\(Self.byteaArray(1)))
                """, [Self.hexList(codes.map { ArchiveMemory.scoped($0, scope) })])
            for row in rows {
                names[try digest(row[0], "subject_names")] = (try digest(row[1], "subject_names"), row[2] ?? "")
            }
        }
    }

    /// A digest of the run's memory as hex text; one that does not read is an error, never a key
    /// taken as new.
    private func digest(_ text: String??, _ table: String) throws(ArchiveError) -> KeyDigest {
        guard let digest = text.flatMap({ $0 }).flatMap(KeyDigest.init(hex:)) else {
            throw ArchiveError(.statement, path: connection.location, message: "a row of \(table) does not read as this "
                + "version writes it; the archive may be from another version or damaged: run `credit-etl doctor`")
        }
        return digest
    }

    public func noteKey(_ key: KeyDigest) throws -> KeyState? {
        let scoped = ArchiveMemory.scoped(key, scope)
        guard let known = keys[scoped] else {
            keys[scoped] = KeyRow(seenFile: fileID, version: 0, content: nil, currentRow: nil, withdrawn: false)
            changedKeys.append(scoped)
            return KeyState(key: key)
        }
        if known.seenFile == fileID { return nil }
        keys[scoped]!.seenFile = fileID
        changedKeys.append(scoped)
        return KeyState(key: key, version: known.version, content: known.content, currentRow: known.currentRow,
                        withdrawn: known.withdrawn)
    }

    public func noteName(code: KeyDigest, key: KeyDigest, name: UnsafeBufferPointer<UInt8>?) throws
        -> (key: KeyDigest, name: String)?
    {
        let scoped = ArchiveMemory.scoped(code, scope)
        if let first = names[scoped] { return first.key == key ? nil : first }
        names[scoped] = (key, name.map { String(decoding: $0, as: UTF8.self) } ?? "")
        newNames.append(scoped)
        return nil
    }

    /// The archive's new state of a key this batch noted (its new version).
    func setKey(_ key: KeyDigest, version: Int64, content: KeyDigest, row: Int64, withdrawn: Bool) {
        let scoped = ArchiveMemory.scoped(key, scope)
        keys[scoped] = KeyRow(seenFile: fileID, version: version, content: content, currentRow: row, withdrawn: withdrawn)
    }

    /// Writes the batch's keys and first names back: keys through a temporary table and one
    /// upsert, new names with one COPY (a name is only ever inserted).
    func flush() throws(ArchiveError) {
        if !changedKeys.isEmpty {
            buffer.removeAll(keepingCapacity: true)
            for key in changedKeys {
                guard let row = keys[key] else { continue }
                Self.appendBytea(key, to: &buffer)
                buffer.append(0x09)
                Self.appendNumber(row.seenFile, to: &buffer)
                buffer.append(0x09)
                Self.appendNumber(row.version, to: &buffer)
                buffer.append(0x09)
                if let content = row.content { Self.appendBytea(content, to: &buffer) } else { buffer.append(contentsOf: [0x5C, 0x4E]) }
                buffer.append(0x09)
                if let current = row.currentRow { Self.appendNumber(current, to: &buffer) } else { buffer.append(contentsOf: [0x5C, 0x4E]) }
                buffer.append(0x09)
                buffer.append(row.withdrawn ? 0x31 : 0x30)
                buffer.append(0x0A)
            }
            try connection.copy(into: "staged_keys", columns: ["key", "seen_file", "version", "content", "current_row", "withdrawn"],
                                data: buffer)
            try connection.execute("""
                INSERT INTO record_keys (key, seen_file, version, content, current_row, withdrawn)
                SELECT key, seen_file, version, content, current_row, withdrawn FROM staged_keys
                ON CONFLICT (key) DO UPDATE SET seen_file = excluded.seen_file, version = excluded.version,
                    content = excluded.content, current_row = excluded.current_row, withdrawn = excluded.withdrawn;
                TRUNCATE staged_keys
                """)
            changedKeys.removeAll(keepingCapacity: true)
        }
        if !newNames.isEmpty {
            buffer.removeAll(keepingCapacity: true)
            for code in newNames {
                guard let first = names[code] else { continue }
                Self.appendBytea(code, to: &buffer)
                buffer.append(0x09)
                Self.appendBytea(first.key, to: &buffer)
                buffer.append(0x09)
                PostgresConnection.appendCopyText(first.name, to: &buffer)
                buffer.append(0x0A)
            }
            try connection.copy(into: "subject_names", columns: ["code", "name_key", "name"], data: buffer)
            newNames.removeAll(keepingCapacity: true)
        }
    }

    // MARK: Text forms

    /// `ARRAY(...)` of the bytea values in a comma-separated hex parameter `$n`.
    static func byteaArray(_ parameter: Int) -> String {
        "ARRAY(SELECT decode(h, 'hex') FROM unnest(string_to_array($\(parameter), ',')) AS h)"
    }

    /// Digests as one comma-separated hex parameter.
    static func hexList(_ digests: [KeyDigest]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digests.count * 33)
        for (index, digest) in digests.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            appendHex(digest, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    @inline(__always)
    static func appendHex(_ digest: KeyDigest, to buffer: inout [UInt8]) {
        for word in [digest.high, digest.low] {
            var shift: UInt64 = 60
            for _ in 0..<16 {
                buffer.append(hexDigits[Int((word >> shift) & 0xF)])
                shift &-= 4
            }
        }
    }

    /// A digest as a bytea value in COPY's text format (`\\x` and 32 hex digits: the backslash
    /// doubled, since COPY unescapes it first).
    @inline(__always)
    static func appendBytea(_ digest: KeyDigest, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: [0x5C, 0x5C, 0x78])
        appendHex(digest, to: &buffer)
    }

    @inline(__always)
    static func appendNumber(_ value: Int64, to buffer: inout [UInt8]) {
        if value == 0 {
            buffer.append(0x30)
            return
        }
        var magnitude = value.magnitude
        if value < 0 { buffer.append(0x2D) }
        let start = buffer.count
        while magnitude > 0 {
            buffer.append(UInt8(0x30 + magnitude % 10))
            magnitude /= 10
        }
        buffer[start...].reverse()
    }
}
