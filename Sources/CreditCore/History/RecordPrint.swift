/// A record's print: a digest of its catalog fields' bytes as received, seeded with everything
/// else its checks depend on (the catalog's files, the feed, the header, the program).
///
/// Two records with the same print would pass the same checks the same way and normalize to the
/// same content. So a record whose print is that of its key's current version (a department
/// re-sending its whole table) is known unchanged before it is checked: the reader skips its
/// checks, the history stage counts it, the archive writes nothing of it (``PrintSet``).
public struct RecordPrinter: Sendable {
    public let seed: KeyDigest

    /// `parts` name what the checks depend on besides the record: different parts, different prints.
    public init(parts: [String]) {
        seed = KeyDigest(Array(parts.joined(separator: "\u{1F}").utf8))
    }

    /// The print of `record`: its field count and each catalog field (absent, or its bytes),
    /// through the two FNV-1a passes of ``KeyDigest``, seeded.
    @inlinable
    public func print(_ record: Int, _ fields: RecordBatch.Fields, layout: FieldLayout) -> KeyDigest {
        var forward = seed.high ^ 0xCBF2_9CE4_8422_2325, backward = seed.low ^ 0x6C62_272E_07BB_0142
        let prime: UInt64 = 0x0000_0100_0000_01B3
        @inline(__always) func mix(_ value: inout UInt64, _ byte: UInt8) { value = (value ^ UInt64(byte)) &* prime }
        let count = fields.fieldCount(record)
        mix(&forward, UInt8(truncatingIfNeeded: count))
        mix(&forward, UInt8(truncatingIfNeeded: count >> 8))
        let fieldCount = layout.columns.count
        for field in 0..<fieldCount {
            guard let value = fields.field(record, field, in: layout) else {
                mix(&forward, 0x1E)
                continue
            }
            for byte in value { mix(&forward, byte) }
            mix(&forward, 0x1F)
        }
        // The second pass runs backwards, so two records differing only in where a byte sits
        // between fields do not collide in both halves.
        var field = fieldCount
        while field > 0 {
            field -= 1
            guard let value = fields.field(record, field, in: layout) else {
                mix(&backward, 0x1E)
                continue
            }
            mix(&backward, 0x1F)
            var index = value.count
            while index > 0 {
                index -= 1
                mix(&backward, value[index])
            }
        }
        mix(&backward, UInt8(truncatingIfNeeded: count))
        return KeyDigest(high: forward, low: backward)
    }
}

/// The prints of the current versions one feed's records hold, with their rows, loaded by the
/// archive before a large file of that feed is read: a record whose print is here is a
/// byte-identical re-send of a current version (``RecordPrinter``).
///
/// An entry is a current version: found by its print (the reader) or by its row (the history
/// stage, from a key's state). Read-only once built, so the reading thread and the archiving
/// thread share it. 28 bytes an entry.
public final class PrintSet: Sendable {
    /// The versions' rows, ascending: an entry's number is its place here.
    public let rows: [Int64]
    /// The prints, ascending by (high, low), each with its entry.
    private let prints: [KeyDigest]
    private let entries: [UInt32]

    /// The versions as two matching arrays (as the archive reads them: in row order, so usually no
    /// sort by row is needed). At its peak it holds 44 bytes a version.
    public init(rows: consuming [Int64], prints: consuming [KeyDigest]) {
        precondition(rows.count == prints.count, "a print per row")
        if !rows.indices.dropFirst().allSatisfy({ rows[$0 - 1] < rows[$0] }) {
            let byRow = rows.indices.sorted { rows[$0] < rows[$1] }
            rows = byRow.map { rows[$0] }
            prints = byRow.map { prints[$0] }
        }
        var order = (0..<UInt32(prints.count)).map { $0 }
        order.sort { (prints[Int($0)].high, prints[Int($0)].low) < (prints[Int($1)].high, prints[Int($1)].low) }
        self.prints = order.map { prints[Int($0)] }
        self.rows = rows
        entries = order
    }

    /// `versions` in any order (tests, small sets).
    public convenience init(_ versions: [(row: Int64, print: KeyDigest)]) {
        self.init(rows: versions.map(\.row), prints: versions.map(\.print))
    }

    public static let empty = PrintSet([])

    public var count: Int { rows.count }

    /// The entry of a version whose print is `print`, or -1.
    public func entry(of print: KeyDigest) -> Int32 {
        var low = 0, high = prints.count
        while low < high {
            let middle = (low + high) >> 1
            let candidate = prints[middle]
            if (candidate.high, candidate.low) < (print.high, print.low) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < prints.count && prints[low] == print ? Int32(entries[low]) : -1
    }

    /// The entry of the version stored at `row`, or -1.
    public func entry(ofRow row: Int64) -> Int32 {
        var low = 0, high = rows.count
        while low < high {
            let middle = (low + high) >> 1
            if rows[middle] < row { low = middle + 1 } else { high = middle }
        }
        return low < rows.count && rows[low] == row ? Int32(low) : -1
    }
}

/// What the archive knows of a feed's prints before a large file of it is read: its current
/// versions' (``PrintSet``), and the records its last file of that size rejected.
public struct FeedPrints: Sendable {
    public let current: PrintSet
    /// The records the feed's last file of this size rejected (their rows are 0).
    public let rejected: PrintSet

    public init(current: PrintSet, rejected: PrintSet) {
        self.current = current
        self.rejected = rejected
    }
}

/// What the reader found of each record's print, and what the history stage made of it.
public struct RepeatMarks: Sendable {
    /// What a record is to the prints of its feed.
    public enum Fate: UInt8, Sendable {
        /// Checked as usual.
        case checked
        /// The reader found its print among the current versions' and skipped its checks; the
        /// history stage decides whether it is unchanged or a repeat of a key this file carried.
        case candidate
        /// A byte-identical re-send of its key's current version: counted, nothing written.
        case unchanged
        /// A candidate whose key was carried earlier in this file: `DUP_RECORD`, kept as received.
        case duplicate
        /// Checked as usual, but its key was carried earlier in this file by a skipped record:
        /// `DUP_RECORD`, as if that record had been checked.
        case keyCarried
        /// Checked as usual; the feed's last full file rejected the same bytes, so if rejected
        /// again its subject is not counted again in the code figures (重错码率).
        case rejectedBefore
    }

    /// Per record, its print; empty when the file is read without a printer.
    public var prints: [KeyDigest] = []
    /// Per record, the ``PrintSet`` entry of its print, or -1; empty when there is no set.
    public var entries: [Int32] = []
    /// Per record, its fate; empty when there is no set.
    public var fates: [Fate] = []
    /// How many records are candidates.
    public var candidates = 0

    public init() {}

    public mutating func removeAll() {
        prints.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        fates.removeAll(keepingCapacity: true)
        candidates = 0
    }

    /// Whether `record`'s checks were skipped (a candidate, whatever the history stage decided).
    @inlinable public func skipped(_ record: Int) -> Bool {
        guard !fates.isEmpty else { return false }
        let fate = fates[record]
        return fate == .candidate || fate == .unchanged || fate == .duplicate
    }
}
