import CreditCore
import Testing

@Suite struct QualityTargetsTests {
    @Test(arguments: [("98%", 980_000), ("99.5%", 995_000), ("0.01%", 100), ("100%", 1_000_000), ("0%", 0),
                      (" 97.25% ", 972_500), ("0.0001%", 1)])
    func percentagesAreReadExactly(_ text: String, _ partsPerMillion: Int) {
        #expect(TargetRate(percent: text)?.partsPerMillion == partsPerMillion)
    }

    @Test(arguments: ["98", "101%", "-1%", "98.12345%", "%", ".5%", "98.%", "9 8%", "abc%", "1000%"])
    func anythingElseIsRefused(_ text: String) {
        #expect(TargetRate(percent: text) == nil)
    }

    @Test(arguments: ["98%", "99.5%", "0.01%", "100%", "0%", "12.3456%"])
    func theTextRoundTrips(_ text: String) {
        #expect(TargetRate(percent: text)?.description == text)
    }

    /// 98% of 100 records is 98 compliant: reached; 97.99% is not, even though both print as 98%.
    @Test func reachingIsDecidedOnTheCountsNotOnARoundedPercentage() {
        let target = TargetRate(percent: "98%")!
        #expect(target.isReached(by: Ratio(98, of: 100)) == true)
        #expect(target.isReached(by: Ratio(9_799, of: 10_000)) == false)
        #expect(target.isReached(by: Ratio(0, of: 0)) == nil)
        #expect(Ratio(9_799, of: 10_000).percentText == "97.99%")
        #expect(target.isReached(by: Ratio(979_999_999, of: 1_000_000_000)) == false)
    }

    /// 重错码率 must stay under 0.01%: exactly 1 in 10,000 is not under it.
    @Test func stayingBelowIsStrict() {
        let target = TargetRate(percent: "0.01%")!
        #expect(target.isAbove(Ratio(1, of: 10_000)) == false)
        #expect(target.isAbove(Ratio(1, of: 10_001)) == true)
        #expect(target.isAbove(Ratio(0, of: 5)) == true)
        #expect(target.isAbove(Ratio(0, of: 0)) == nil)
    }

    /// Over every small count, `isReached` and `isAbove` agree with the fractions compared as
    /// doubles (at these sizes two different fractions never round to the same double).
    @Test func reachingAgreesWithTheFractionEverywhere() {
        for partsPerMillion in stride(from: 0, through: 1_000_000, by: 12_500) {
            let target = TargetRate(partsPerMillion: partsPerMillion)
            for denominator in 1...60 {
                for numerator in 0...denominator {
                    let rate = Double(numerator) / Double(denominator), goal = Double(partsPerMillion) / 1_000_000
                    #expect(target.isReached(by: Ratio(numerator, of: denominator)) == (rate >= goal))
                    #expect(target.isAbove(Ratio(numerator, of: denominator)) == (rate < goal))
                }
            }
        }
    }

    @Test func thePlanHoldsLicencesToNinetyNineAndEverythingElseToNinetyEight() {
        let plan = QualityTargets.plan
        #expect(plan.complianceRate(item: "admin_license").description == "99%")
        #expect(plan.complianceRate(item: "admin_penalty").description == "98%")
        #expect(plan.complianceRate(item: "court_dishonest").description == "98%")
        #expect(plan.dupErrorCodeRate.description == "0.01%")
    }
}
