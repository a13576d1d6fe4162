/// A rate that keeps its numerator and denominator, because reviewers audit the counts,
/// not the percentage, and rates over slices must be re-aggregated from counts.
public struct Ratio: Sendable, Hashable, Codable {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, of denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The rate in 0...1, or nil when there is nothing to divide by.
    public var value: Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator)
    }

    /// The rate as a percentage with two decimals (`98.25%`), or `—` when undefined.
    public var percentText: String {
        guard let value else { return "—" }
        let hundredths = (value * 10_000).rounded()
        let whole = Int(hundredths) / 100, fraction = Int(hundredths) % 100
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}
