import CreditIdentifiers

/// A stable population of synthetic legal entities, so that several synthetic files (other
/// seeds, other items, other nights) name the same subjects the way real feeds do: subject `i`
/// has the same code and name in every file, and a file's records draw their subjects from it.
///
/// Without one, `synth` gives every record a new code under the name `合成主体<record>有限公司`,
/// so a second night with another seed makes every name a 重码 against the first; benchmarks and
/// tests that span nights or items then measure behaviour no real platform sees.
///
/// ```swift
/// let population = SubjectPopulation(size: 1_200_000)
/// population.subject(41)   // the same (code, name) whatever the file's seed
/// ```
public struct SubjectPopulation: Sendable {
    public let size: Int
    /// What makes subject `i`'s code: fixed, so populations of any size agree on their common subjects.
    static let seed: UInt64 = 0x6372_6564_6974_2D70

    public init(size: Int) {
        precondition(size > 0, "a population has at least one subject")
        self.size = size
    }

    /// Subject `index` (0-based): a valid USCC of an enterprise (not 92, 个体工商户) and its name.
    /// `generator` is only borrowed: its random state is set from the index, so the code does
    /// not depend on the file being written.
    public func subject(_ index: Int, using generator: inout CodeGenerator) -> (code: String, name: String) {
        let saved = generator.random
        defer { generator.random = saved }
        // The index is mixed first: SplitMix64 states a multiple of its increment apart would
        // give subject i+1 the draws of subject i shifted by one.
        var mixer = SplitMix64(seed: Self.seed ^ UInt64(index))
        generator.random = SplitMix64(seed: mixer.next())
        var code: String
        repeat { code = generator.uscc() } while code.hasPrefix("92")
        return (code, "合成主体\(index + 1)有限公司")
    }

    /// The subject of a file's next record. Half of the records name one of the population's
    /// first tenth (the subjects that meet the platform often: repeat licences and penalties),
    /// the other half any subject; a registry lists each subject once, in order (`number` is the
    /// record's 1-based number).
    public func draw(record number: Int, isRegistry: Bool, random: inout SplitMix64) -> Int {
        if isRegistry { return (number - 1) % size }
        let frequent = max(1, size / 10)
        return random.next() & 1 == 0 ? Int(random.next() % UInt64(frequent)) : Int(random.next() % UInt64(size))
    }
}
