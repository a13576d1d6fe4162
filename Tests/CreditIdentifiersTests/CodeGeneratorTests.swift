import CreditCore
import CreditIdentifiers
import Testing

@Suite struct CodeGeneratorTests {
    static let today = CivilDate(year: 2026, month: 11, day: 22)!

    @Test(arguments: IdentifierKind.allCases)
    func validCodesAreValid(kind: IdentifierKind) {
        var generator = CodeGenerator(seed: 1)
        for _ in 0..<2_000 {
            let code = generator.code(of: kind)
            let result = IdentifierText.canonical(code).withUnsafeBufferPointer { kind.check($0, today: Self.today) }
            #expect(result.status == .valid, "\(code): \(result.defects.map(\.code))")
        }
    }

    /// Every defect the checks know can be produced on purpose, and is then found alone.
    @Test(arguments: IdentifierDefect.allCases)
    func eachDefectIsFoundAlone(defect: IdentifierDefect) {
        var generator = CodeGenerator(seed: UInt64(defect.rawValue) + 100)
        for _ in 0..<300 {
            guard let code = generator.code(with: defect) else {
                Issue.record("no code generated for \(defect.code)")
                return
            }
            let result = Array(code.utf8).withUnsafeBufferPointer { defect.kind.check($0, today: Self.today) }
            #expect(result.defects == [defect], "\(code)")
        }
    }

    @Test func sameSeedSameCodes() {
        var a = CodeGenerator(seed: 99), b = CodeGenerator(seed: 99)
        #expect((0..<50).map { _ in a.uscc() } == (0..<50).map { _ in b.uscc() })
    }
}
