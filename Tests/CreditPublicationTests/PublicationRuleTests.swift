import CreditArchive
import CreditCatalog
import CreditCore
import CreditPublication
import Testing
import TestSupport

/// Publication windows by catalog policy (527号: 一般失信行为 3 months–1 year, 严重失信行为
/// 6 months–3 years, counted from the decision; a decision mixing kinds takes the longest).
@Suite struct PublicationRuleTests {
    static func day(_ text: String) -> CivilDate {
        guard case .date(let date, _) = CivilDate.parse(text) else { fatalError("not a date: \(text)") }
        return date
    }

    static let penalty: CatalogItem = {
        var item = CatalogItem(id: "p", name: "处罚", nameEnglish: "Penalty", fields: [
            FieldSpec(id: "jdrq", name: "决定日期", type: .date),
            FieldSpec(id: "gsjzq", name: "公示截止期", type: .date),
            FieldSpec(id: "cflb", name: "处罚类别", type: .enumerationList(["警告", "罚款", "吊销许可证件", "责令关闭"])),
        ])
        item.publication = PublicationPolicy(from: "jdrq", until: "gsjzq", periods: [
            .init(name: "一般失信行为", minimumMonths: 3, maximumMonths: 12),
            .init(name: "严重失信行为", minimumMonths: 6, maximumMonths: 36,
                  when: .contains(field: "cflb", values: ["吊销许可证件", "责令关闭"])),
        ], deadlineWorkingDays: 7)
        return item
    }()

    static let licence: CatalogItem = {
        var item = CatalogItem(id: "l", name: "许可", nameEnglish: "Licence", fields: [
            FieldSpec(id: "jdrq", name: "决定日期", type: .date),
            FieldSpec(id: "yxqzi", name: "有效期至", type: .date),
        ])
        item.publication = PublicationPolicy(from: "jdrq", until: "yxqzi")
        return item
    }()

    let rule = PublicationRule(item: penalty)!

    @Test func aGeneralPenaltyIsPublicForAYearFromItsDecision() {
        let window = rule.window(["2026-01-31", nil, "警告;罚款"])
        #expect(window == PublicationWindow(from: Self.day("2026-01-31"), until: Self.day("2027-01-31"), period: "一般失信行为",
                                            earliestEnd: Self.day("2026-04-30")))
        #expect(window?.contains(Self.day("2027-01-30")) == true)
        #expect(window?.contains(Self.day("2027-01-31")) == false)
        #expect(window?.contains(Self.day("2026-01-30")) == false)
    }

    @Test func aDecisionMixingKindsTakesTheLongestPeriod() {
        let window = rule.window(["2026-03-10", nil, "罚款;吊销许可证件"])
        #expect(window?.until == Self.day("2029-03-10"))
        #expect(window?.period == "严重失信行为")
    }

    /// A stated 公示截止期 is honoured within the period's bounds: not shorter than the minimum, not
    /// longer than the maximum; it is the last public day.
    @Test func aStatedEndIsHonouredWithinThePeriodsBounds() {
        #expect(rule.window(["2026-01-10", "2026-08-31", "警告"])?.until == Self.day("2026-09-01"))
        #expect(rule.window(["2026-01-10", "2026-02-01", "警告"])?.until == Self.day("2026-04-10"))
        #expect(rule.window(["2026-01-10", "2099-12-31", "警告"])?.until == Self.day("2027-01-10"))
    }

    @Test func standingsOnADay() {
        let values: [String?] = ["2026-01-10", nil, "警告"]
        #expect(rule.standing(values, withdrawn: false, on: Self.day("2026-01-09")) == .notYet)
        #expect(rule.standing(values, withdrawn: false, on: Self.day("2026-01-10"))
                == .isPublic(PublicationWindow(from: Self.day("2026-01-10"), until: Self.day("2027-01-10"), period: "一般失信行为",
                                               earliestEnd: Self.day("2026-04-10"))))
        // A repair ends it on its date, unless the period ended first.
        #expect(rule.standing(values, withdrawn: false, repaired: Self.day("2026-05-01"), on: Self.day("2026-05-01")) == .ended(.repaired))
        #expect(rule.standing(values, withdrawn: false, repaired: Self.day("2026-05-01"), on: Self.day("2026-04-30")) != .ended(.repaired))
        #expect(rule.standing(values, withdrawn: false, repaired: Self.day("2027-02-01"), on: Self.day("2027-03-01")) == .ended(.expired))
        #expect(rule.standing(values, withdrawn: false, on: Self.day("2027-01-10")) == .ended(.expired))
        #expect(rule.standing(values, withdrawn: true, on: Self.day("2026-02-01")) == .ended(.withdrawn))
        #expect(rule.standing([nil, nil, "警告"], withdrawn: false, on: Self.day("2026-02-01")) == .undated)
    }

    @Test func aLicenceIsPublicWhileValid() {
        let rule = PublicationRule(item: Self.licence)!
        #expect(rule.window(["2026-05-01", "2026-12-31"]) == PublicationWindow(from: Self.day("2026-05-01"), until: Self.day("2027-01-01")))
        #expect(rule.window(["2026-05-01", nil]) == PublicationWindow(from: Self.day("2026-05-01"), until: nil))
    }

    /// Every day of three years, for many records: the plan's change is what an independent
    /// reading of the rules says, given what was exported before.
    @Test func thePlanAgreesWithAnIndependentReadingOfTheRules() {
        var random = SeededGenerator(seed: 7)
        let categories = ["警告", "罚款", "吊销许可证件", "警告;责令关闭"]
        for _ in 0..<400 {
            let decided = Self.day("2025-01-01").adding(days: Int(random.next() % 700))
            let category = categories[Int(random.next() % 4)]
            let stated: String? = random.next() % 3 == 0 ? decided.adding(days: Int(random.next() % 1500)).description : nil
            let values: [String?] = [decided.description, stated, category]
            let withdrawn = random.next() % 7 == 0
            let exported: (row: Int64, isPublic: Bool)? = random.next() % 2 == 0 ? nil : (Int64(random.next() % 3), random.next() % 2 == 0)
            let row = Int64(random.next() % 3)
            let today = Self.day("2025-01-01").adding(days: Int(random.next() % 1600))
            // The rules, read again: the longest period that applies, a stated last day within it.
            let serious = category.contains("吊销") || category.contains("责令关闭")
            let (minimum, maximum) = serious ? (6, 36) : (3, 12)
            var end = decided.adding(months: maximum)
            if let stated, case .date(let last, _) = CivilDate.parse(stated) {
                end = min(max(last.adding(days: 1), decided.adding(months: minimum)), decided.adding(months: maximum))
            }
            let isPublic = !withdrawn && decided <= today && today < end
            let expected: PublicationChange.Action?
            switch (isPublic, exported) {
            case (true, nil), (true, (_, false)?): expected = .add
            case (true, (let was, true)?): expected = was == row ? nil : .update
            case (false, (_, true)?): expected = .remove
            case (false, _): expected = nil
            }
            let candidate = PublicationCandidate(key: KeyDigest(high: random.next(), low: 1), row: row, withdrawn: withdrawn,
                                                 received: nil, values: values, exported: exported)
            let change = PublicationPlan.change(for: candidate, rule: rule, on: today)
            #expect(change?.action == expected, "\(values) withdrawn \(withdrawn) exported \(String(describing: exported)) on \(today)")
            if change?.action == .remove {
                let reason: PublicationChange.Reason = withdrawn ? .withdrawn : (today < decided ? .changed : .expired)
                #expect(change?.reason == reason)
                #expect(change?.row == exported?.row, "a removal names the row that was public")
            }
        }
    }
}
