import CreditIdentifiers
import Testing

/// The mod-31 check character catches every single-character substitution (the weights are
/// non-zero residues modulo the prime 31) and every adjacent transposition (neighbouring weights
/// differ, including position 17 against the check character's own weight of 1).
@Suite struct USCCPropertyTests {
    static let pool = Array("0123456789ABCDEFGHJKLMNPQRTUWXYIOZSV".utf8)

    @Test func everySingleSubstitutionIsDetected() {
        var generator = CodeGenerator(seed: 2024)
        for _ in 0..<1_000 {
            let code = Array(generator.uscc().utf8)
            for position in 0..<18 {
                for replacement in Self.pool where replacement != code[position] {
                    var mutated = code
                    mutated[position] = replacement
                    let result = mutated.withUnsafeBufferPointer { USCC.check($0) }
                    #expect(result.status == .invalid, "\(String(decoding: mutated, as: UTF8.self))")
                }
            }
        }
    }

    @Test func everyAdjacentTranspositionIsDetected() {
        var generator = CodeGenerator(seed: 2025)
        for _ in 0..<5_000 {
            let code = Array(generator.uscc().utf8)
            for position in 0..<17 where code[position] != code[position + 1] {
                var mutated = code
                mutated.swapAt(position, position + 1)
                let result = mutated.withUnsafeBufferPointer { USCC.check($0) }
                #expect(result.status == .invalid, "\(String(decoding: mutated, as: UTF8.self))")
            }
        }
    }
}
