import CreditCore
import Testing
import TestSupport

/// A record's print (``RecordPrinter``) tells apart what its checks would tell apart, and the
/// feed's prints (``PrintSet``) find every version by its print and by its row.
@Suite struct RecordPrintTests {
    /// A batch of `records` (each a list of fields; nil leaves a short row), after `padding`
    /// records of other bytes, so the same record sits at other offsets of the arena.
    static func batch(_ records: [[String?]], padding: Int = 0) -> RecordBatch {
        var batch = RecordBatch()
        for index in 0..<padding {
            for field in ["填充\(index)", "x"] { Array(field.utf8).withUnsafeBytes { batch.appendField($0) } }
            batch.finishRecord(Provenance(line: index + 2, byteOffset: 0))
        }
        for (index, record) in records.enumerated() {
            for field in record {
                guard let field else { break }
                Array(field.utf8).withUnsafeBytes { batch.appendField($0) }
            }
            batch.finishRecord(Provenance(line: padding + index + 2, byteOffset: 0))
        }
        return batch
    }

    static func prints(_ records: [[String?]], padding: Int = 0, layout: FieldLayout? = nil,
                       printer: RecordPrinter = RecordPrinter(parts: ["catalog", "build", "feed", "header"])) -> [KeyDigest] {
        let layout = layout ?? FieldLayout(columns: [0, 1, 2], headerCount: 3)
        let batch = batch(records, padding: padding)
        return batch.withFields { fields in (padding..<fields.count).map { printer.print($0, fields, layout: layout) } }
    }

    @Test func thePrintFollowsTheFieldsNotWhereTheyLie() {
        let record: [String?] = ["宁波甬江食品有限公司", "91330203MA2GQ8R191", "甬市监罚〔2026〕102号"]
        #expect(Self.prints([record]) == Self.prints([record], padding: 7))
        // A header in another order, mapped to the same fields, prints the same.
        let swapped: [String?] = [record[1], record[0], record[2]]
        #expect(Self.prints([swapped], layout: FieldLayout(columns: [1, 0, 2], headerCount: 3)) == Self.prints([record]))
    }

    @Test func whatAChecksCanTellApartPrintsApart() {
        let cases: [[String?]] = [
            ["ab", "c", "d"], ["a", "bc", "d"],            // a byte moved across a field's end
            ["abcdefgh", "", "d"], ["abcdefg", "h", "d"],  // at a word's end
            ["", "", ""], ["", "", nil],                   // empty, and absent (a short row)
            ["x", "y", "z"], ["x", "y", "z "], ["x", "y", "Z"],
            ["甬市监罚〔2026〕102号", "y", "z"], ["甬市监罚〔2026〕103号", "y", "z"],
        ]
        let printed = Self.prints(cases)
        #expect(Set(printed).count == cases.count, "\(printed)")
        // Another catalog, build, feed or header: other prints for the same bytes.
        let other = Self.prints(cases, printer: RecordPrinter(parts: ["catalog", "build", "feed", "another header"]))
        #expect(Set(printed).isDisjoint(with: other))
    }

    /// One byte changed anywhere in a long record changes its print.
    @Test func everyByteCounts() {
        var random = SeededGenerator.forTest("everyByteCounts")
        let base = (0..<3).map { _ in String((0..<Int.random(in: 1...40, using: &random)).map { _ in
            Character(Unicode.Scalar(UInt8.random(in: 0x21...0x7E, using: &random)))
        }) }
        var seen: Set<KeyDigest> = Set(Self.prints([base]))
        for field in 0..<3 {
            for index in base[field].indices {
                var changed = base
                var bytes = Array(changed[field].utf8)
                bytes[base[field].distance(from: base[field].startIndex, to: index)] ^= 0x01
                changed[field] = String(decoding: bytes, as: UTF8.self)
                #expect(seen.insert(Self.prints([changed])[0]).inserted, "seed \(random.seed)")
            }
        }
    }

    @Test func aPrintSetFindsEveryVersionByPrintAndByRow() {
        var random = SeededGenerator.forTest("aPrintSetFindsEveryVersionByPrintAndByRow")
        let count = 5_000
        var rows = Set<Int64>()
        while rows.count < count { rows.insert(Int64.random(in: 1...1_000_000_000, using: &random)) }
        let versions = rows.shuffled(using: &random).map { row in
            (row: row, print: KeyDigest(high: random.next(), low: random.next()))
        }
        let set = PrintSet(versions)
        #expect(set.count == count)
        for version in versions {
            let byPrint = set.entry(of: version.print), byRow = set.entry(ofRow: version.row)
            #expect(byPrint >= 0 && byPrint == byRow, "seed \(random.seed)")
        }
        #expect(set.entry(of: KeyDigest(high: random.next(), low: random.next())) == -1)
        #expect(set.entry(ofRow: 0) == -1)
        // A print that shares its first half with one in the set (the table's slot) is still told apart.
        let first = versions[0].print
        #expect(set.entry(of: KeyDigest(high: first.high, low: first.low &+ 1)) == -1)
        #expect(PrintSet.empty.entry(of: first) == -1)
    }
}
