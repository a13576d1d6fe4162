import CreditIdentifiers
import Foundation

/// A random number generator whose seed a failing test prints, so the failure can be replayed:
/// `CREDIT_ETL_TEST_SEED=<seed>` gives every test that seed instead of a new one.
public struct SeededGenerator: RandomNumberGenerator {
    public let seed: UInt64
    private var generator: SplitMix64

    public init(seed: UInt64) {
        self.seed = seed
        generator = SplitMix64(seed: seed)
    }

    /// A new seed per run (or the environment's), printed with the test's name.
    public static func forTest(_ name: String) -> SeededGenerator {
        let seed = ProcessInfo.processInfo.environment["CREDIT_ETL_TEST_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64.max)
        print("\(name): random seed \(seed) (CREDIT_ETL_TEST_SEED=\(seed) replays it)")
        return SeededGenerator(seed: seed)
    }

    /// The platform-independent SplitMix64 sequence of the seed.
    public mutating func next() -> UInt64 { generator.next() }
}
