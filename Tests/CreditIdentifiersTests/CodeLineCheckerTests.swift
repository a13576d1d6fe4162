import CreditCore
import CreditIdentifiers
import Testing

@Suite struct CodeLineCheckerTests {
    static let today = CivilDate(year: 2026, month: 11, day: 22)!

    /// The same verdicts whatever the chunk boundaries: lines split across chunks are carried over.
    @Test(arguments: [1, 2, 7, 64, 1 << 16])
    func tabSeparatedVerdicts(chunk: Int) {
        let input = "91330200MA2EL6266C\r\n91330200MA2EL6266D\n91350100M0001TGQXM\n\nMA2EL626-6\n110105491231002"
        let output = Self.run(input, kind: nil, chunk: chunk)
        #expect(output == """
            91330200MA2EL6266C\tvalid\t
            91330200MA2EL6266D\tinvalid\tUSCC_CHECK
            91350100M0001TGQXM\twarning\tUSCC_CHECK_LEGACY
            \tinvalid\tUSCC_EMPTY
            MA2EL626-6\tvalid\t
            110105491231002\tvalid\t

            """)
    }

    @Test func aGivenKindIsUsedForEveryLine() {
        #expect(Self.run("110105491231002\n", kind: .id, chunk: 1 << 16) == "110105491231002\twarning\tID_LEGACY15\n")
        #expect(Self.run("B1330200MA2EL6267X\n", kind: .uscc, chunk: 1 << 16)
            == "B1330200MA2EL6267X\tinvalid\tUSCC_DEPT,USCC_ORGCODE_CHECK,USCC_CHECK\n")
    }

    static func run(_ input: String, kind: IdentifierKind?, chunk: Int) -> String {
        var checker = CodeLineChecker(kind: kind, today: today)
        var output: [UInt8] = []
        let bytes = Array(input.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(start + chunk, bytes.count)
            bytes[start..<end].withUnsafeBufferPointer { checker.feed($0, into: &output) }
            start = end
        }
        checker.finish(into: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
