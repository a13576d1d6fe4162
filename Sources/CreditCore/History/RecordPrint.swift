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

    /// The print of `record`: its field count, then each catalog field (absent, or its length
    /// and bytes), eight bytes at a time, through two lanes of multiply-rotate mixing with
    /// different constants (128 bits), seeded. About a tenth of the cost of a byte-wise digest:
    /// every record of every archived file is printed.
    @inlinable
    public func print(_ record: Int, _ fields: RecordBatch.Fields, layout: FieldLayout) -> KeyDigest {
        var lanes = PrintLanes(seed: seed)
        lanes.absorb(UInt64(fields.fieldCount(record)))
        for field in 0..<layout.columns.count {
            guard let value = fields.field(record, field, in: layout) else {
                lanes.absorb(UInt64.max)
                continue
            }
            lanes.absorb(UInt64(value.count))
            let bytes = UnsafeRawBufferPointer(value)
            var index = 0
            while index + 8 <= bytes.count {
                lanes.absorb(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index += 8
            }
            if index < bytes.count {
                var tail: UInt64 = 0, shift: UInt64 = 0
                while index < bytes.count {
                    tail |= UInt64(bytes[index]) << shift
                    shift += 8
                    index += 1
                }
                lanes.absorb(tail)
            }
        }
        return lanes.digest
    }
}

/// The two mixing lanes of a print (``RecordPrinter``): each step a bijection of the lane given
/// the word, so two inputs differing in one word never meet in it.
@usableFromInline
struct PrintLanes {
    @usableFromInline var first: UInt64
    @usableFromInline var second: UInt64

    @inlinable init(seed: KeyDigest) {
        first = seed.high ^ 0x9E37_79B9_7F4A_7C15
        second = seed.low ^ 0xC2B2_AE3D_27D4_EB4F
    }

    @inlinable @inline(__always)
    mutating func absorb(_ word: UInt64) {
        first = (first ^ word) &* 0xFF51_AFD7_ED55_8CCD
        first = first << 29 | first >> 35
        second = (second ^ (word &+ 0x1656_67B1_9E37_79F9)) &* 0xC4CE_B9FE_1A85_EC53
        second = second << 37 | second >> 27
    }

    /// Each lane finished with the murmur3 avalanche.
    @inlinable var digest: KeyDigest {
        @inline(__always) func finish(_ value: UInt64) -> UInt64 {
            var value = value
            value ^= value >> 33
            value &*= 0xFF51_AFD7_ED55_8CCD
            value ^= value >> 33
            value &*= 0xC4CE_B9FE_1A85_EC53
            value ^= value >> 33
            return value
        }
        return KeyDigest(high: finish(first), low: finish(second ^ first))
    }
}

/// The prints of the current versions one feed's records hold, with their rows, loaded by the
/// archive before a large file of that feed is read: a record whose print is here is a
/// byte-identical re-send of a current version (``RecordPrinter``).
///
/// An entry is a current version: found by its print (the reader) or by its row (the history
/// stage, from a key's state). Read-only once built, so the reading thread and the archiving
/// thread share it.
public final class PrintSet: Sendable {
    /// The versions' rows, ascending: an entry's number is its place here.
    public let rows: [Int64]
    /// The versions' prints, by entry.
    private let prints: [KeyDigest]
    /// An open-addressing table over `prints`, by the print's first half: entry + 1, 0 when empty.
    private let slots: [UInt32]
    private let mask: Int

    /// The versions as two matching arrays (as the archive reads them: in row order, so usually no
    /// sort is needed). About 36 bytes a version.
    public init(rows: consuming [Int64], prints: consuming [KeyDigest]) {
        precondition(rows.count == prints.count, "a print per row")
        if !rows.indices.dropFirst().allSatisfy({ rows[$0 - 1] < rows[$0] }) {
            let byRow = rows.indices.sorted { rows[$0] < rows[$1] }
            rows = byRow.map { rows[$0] }
            prints = byRow.map { prints[$0] }
        }
        var capacity = 16
        while capacity < prints.count * 2 { capacity <<= 1 }
        var slots = [UInt32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (entry, print) in prints.enumerated() {
            var slot = Int(truncatingIfNeeded: print.high) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(entry + 1)
        }
        self.rows = rows
        self.prints = prints
        self.slots = slots
        self.mask = mask
    }

    /// `versions` in any order (tests, small sets).
    public convenience init(_ versions: [(row: Int64, print: KeyDigest)]) {
        self.init(rows: versions.map(\.row), prints: versions.map(\.print))
    }

    public static let empty = PrintSet([])

    public var count: Int { rows.count }

    /// The entry of a version whose print is `print`, or -1 (the first, if two versions share it).
    public func entry(of print: KeyDigest) -> Int32 {
        var slot = Int(truncatingIfNeeded: print.high) & mask
        while true {
            let occupant = slots[slot]
            if occupant == 0 { return -1 }
            if prints[Int(occupant - 1)] == print { return Int32(occupant - 1) }
            slot = (slot + 1) & mask
        }
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
/// versions' (``PrintSet``), and the prints of the records its last file of that size rejected.
public struct FeedPrints: Sendable {
    public let current: PrintSet
    public let rejected: Set<KeyDigest>

    public init(current: PrintSet, rejected: Set<KeyDigest>) {
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

        /// Whether the record's checks were skipped (a candidate, whatever the history stage
        /// decided of it): it has no outcome and is not normalized.
        @inlinable public var skipsChecks: Bool {
            self == .candidate || self == .unchanged || self == .duplicate
        }
    }

    /// Per record, its print; empty when the file is read without a printer.
    public var prints: [KeyDigest] = []
    /// Per record, the ``PrintSet`` entry of its print, or -1; empty when there is no set.
    public var entries: [Int32] = []
    /// Per record, its fate; empty when there is no set.
    public var fates: [Fate] = []

    public init() {}

    public mutating func removeAll() {
        prints.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        fates.removeAll(keepingCapacity: true)
    }
}
