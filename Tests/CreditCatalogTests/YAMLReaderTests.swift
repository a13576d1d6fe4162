import CreditCatalog
import Testing

/// The reader takes every scalar as text (Yams' `.basic` resolver, no tag guessing by regular
/// expressions) and converts it itself: what a value means must not change with that, and a key
/// written twice is still refused with its line.
@Suite struct YAMLReaderTests {
    @Test func valuesAreConvertedFromTheirText() throws {
        let reader = YAMLReader(file: "test.yaml")
        var root = try #require(reader.root("""
            flag: true
            off: false
            count: 12
            rate: 0.7
            whole_rate: 92
            name: 宁波
            code: "0123"
            empty:
            list: [a, "1", 2]

            """))
        #expect(root.bool("flag") == true)
        #expect(root.bool("off") == false)
        #expect(root.int("count") == 12)
        #expect(root.double("rate") == 0.7)
        #expect(root.double("whole_rate") == 92)
        #expect(root.string("name") == "宁波")
        #expect(root.string("code") == "0123", "a quoted number stays its text, leading zero and all")
        #expect(root.string("empty") == "")
        #expect(root.strings("list") == ["a", "1", "2"])
        #expect(reader.problems.isEmpty, "\(reader.problems)")
        // Text where a number or a flag is wanted is a problem named by its key.
        #expect(root.int("name") == nil)
        #expect(root.bool("count") == nil)
        #expect(reader.problems.map(\.keyPath) == ["name", "count"])
    }

    @Test func aKeyWrittenTwiceIsRefusedWithItsLine() {
        let reader = YAMLReader(file: "test.yaml")
        #expect(reader.root("a: 1\nb: 2\na: 3\n") == nil)
        #expect(reader.problems.count == 1)
        let problem = reader.problems.first
        #expect(problem?.message.contains("`a` written twice") == true, "\(reader.problems)")
        #expect(problem?.location.line == 1, "the mapping's first key: \(reader.problems)")
    }
}
