import CreditCore
import CreditHistory
import Testing

/// One record of a test batch, as the record checks and normalization leave it.
struct TestRecord {
    var key: UInt8?
    var decision: UInt8?
    var content: UInt8 = 0
    var rejected = false
    var withdrawn = false
    var timeliness = TimelinessVerdict.none
    var subject: (code: UInt8, name: UInt8)?
}

func digest(_ byte: UInt8) -> KeyDigest { KeyDigest([byte]) }

/// A checked batch of `records`: accepted ones normalized, in order.
func batch(_ records: [TestRecord]) -> CheckedBatch {
    var checked = CheckedBatch(fieldCount: 1)
    for (index, record) in records.enumerated() {
        checked.outcome.rejected.append(record.rejected)
        if record.rejected { checked.outcome.rejectedCount += 1 }
        checked.outcome.pendingKeys.append(record.key.map(digest))
        checked.outcome.decisions.append(record.decision.map(digest))
        checked.outcome.timelinessVerdicts.append(record.timeliness)
        checked.outcome.subjectProbes.append(record.subject.map { SubjectProbe(code: digest($0.code), name: digest($0.name)) })
        guard !record.rejected else { continue }
        checked.normalized.sourceRecords.append(index)
        checked.normalized.contentDigests.append(digest(record.content))
        checked.normalized.withdrawn.append(record.withdrawn)
    }
    return checked
}

func decide(_ records: [TestRecord], prior: PriorState = PriorState()) -> HistoryVerdicts {
    var verdicts = HistoryVerdicts()
    History.decide(batch(records), prior: prior, into: &verdicts)
    return verdicts
}

@Suite struct HistoryTests {
    @Test func aKeyTheArchiveNeverAcceptedIsNewAndItsFirstVersion() {
        let verdicts = decide([TestRecord(key: 1, content: 7), TestRecord(key: nil, content: 8)])
        #expect(verdicts.records.map(\.fate) == [.new, .new])
        #expect(verdicts.records.map(\.version) == [1, 1])
        #expect(verdicts.records.map(\.key) == [digest(1), nil])
        #expect(verdicts.counts == HistoryCounts(new: 2))
    }

    @Test func theSameContentIsUnchangedAndOtherContentIsTheNextVersion() {
        var prior = PriorState()
        prior.keys[digest(1)] = KeyHistory(version: 2, content: digest(7), currentRow: 40)
        prior.keys[digest(2)] = KeyHistory(version: 1, content: digest(7), currentRow: 41)
        let verdicts = decide([TestRecord(key: 1, content: 7, timeliness: .late),
                               TestRecord(key: 2, content: 9, timeliness: .timely)], prior: prior)
        #expect(verdicts.records[0].fate == .unchanged)
        #expect(verdicts.records[0].isStored == false)
        #expect(verdicts.records[1] == RecordVerdict(fate: .version, key: digest(2), version: 2, previousRow: 41))
        #expect(verdicts.counts == HistoryCounts(versions: 1, unchanged: 1))
        // Both were accepted before: judged for timeliness then, not again.
        #expect(verdicts.unjudged == [0, 1])
    }

    @Test func aKeyCarriedEarlierInTheFileIsARepeatThatLeavesNoDecisionPending() {
        var prior = PriorState()
        prior.keys[digest(1)] = KeyHistory(carriedByThisFile: true)
        let verdicts = decide([TestRecord(key: 1, decision: 5, content: 1),
                               TestRecord(key: 2, decision: 6, content: 2),
                               TestRecord(key: 2, decision: 6, content: 3)], prior: prior)
        #expect(verdicts.records.map(\.fate) == [.duplicate, .new, .duplicate])
        #expect(verdicts.duplicates == [0, 2])
        #expect(verdicts.records[0].key == nil)
        #expect(verdicts.rejectedDecisions.isEmpty)
        #expect(verdicts.counts == HistoryCounts(new: 1))
    }

    @Test func aRejectedRecordCarriesItsKeyAndLeavesItsDecisionPendingOnce() {
        let verdicts = decide([TestRecord(key: 1, decision: 5, rejected: true),
                               TestRecord(key: 2, decision: 5, rejected: true)])
        #expect(verdicts.records.map(\.fate) == [.rejected, .rejected])
        #expect(verdicts.records.map(\.key) == [digest(1), digest(2)])
        #expect(verdicts.rejectedDecisions == [digest(5)])
        #expect(verdicts.counts == HistoryCounts())
    }

    @Test func aWithdrawalCountsOnceWhenTheDecisionWasNotWithdrawnAlready() {
        var prior = PriorState()
        prior.keys[digest(1)] = KeyHistory(version: 1, content: digest(1), currentRow: 10)
        prior.keys[digest(2)] = KeyHistory(version: 1, content: digest(1), currentRow: 11, withdrawn: true)
        let verdicts = decide([TestRecord(key: 1, content: 2, withdrawn: true),
                               TestRecord(key: 2, content: 2, withdrawn: true)], prior: prior)
        #expect(verdicts.records.map(\.withdrawn) == [true, true])
        #expect(verdicts.counts == HistoryCounts(versions: 2, withdrawn: 1))
    }

    @Test func anAcceptedDecisionAnEarlierFileRejectedIsACorrectionOnce() {
        var prior = PriorState()
        prior.rejectedDecisions[digest(5)] = false
        prior.rejectedDecisions[digest(6)] = true
        let verdicts = decide([TestRecord(key: 1, decision: 5, content: 1),
                               TestRecord(key: 2, decision: 5, content: 2),
                               TestRecord(key: 3, decision: 6, content: 3)], prior: prior)
        #expect(verdicts.counts.corrected == 1)
        #expect(verdicts.settledDecisions == [digest(5)])
    }

    @Test func aDecisionCorrectedAndRejectedAgainInOneBatchStaysRejected() {
        var prior = PriorState()
        prior.rejectedDecisions[digest(5)] = false
        let verdicts = decide([TestRecord(key: 2, decision: 5, content: 2),
                               TestRecord(key: 1, decision: 5, rejected: true)], prior: prior)
        #expect(verdicts.counts.corrected == 1)
        #expect(verdicts.settledDecisions == [digest(5)])
        #expect(verdicts.rejectedDecisions == [digest(5)])
    }

    @Test func aFileDoesNotCorrectWhatItRejectedItself() {
        var prior = PriorState()
        prior.rejectedDecisions[digest(5)] = false
        let verdicts = decide([TestRecord(key: 1, decision: 5, rejected: true),
                               TestRecord(key: 2, decision: 5, content: 2)], prior: prior)
        #expect(verdicts.counts.corrected == 0)
        #expect(verdicts.settledDecisions.isEmpty)
        #expect(verdicts.rejectedDecisions == [digest(5)])
    }

    @Test func aCodeIsNamedOnceAndAnotherNameIsAConflictWithTheFirst() {
        var prior = PriorState()
        prior.firstNames[digest(20)] = SubjectName(key: digest(1), name: "甲公司")
        prior.registered[digest(21)] = SubjectName(key: digest(3), name: "丙公司")
        let records = [TestRecord(key: 1, content: 1, subject: (20, 2)),
                       TestRecord(key: 2, content: 1, subject: (21, 2)),
                       TestRecord(key: 3, content: 1, subject: (21, 4)),
                       TestRecord(key: 4, content: 1, subject: (21, 2)),
                       TestRecord(key: 5, content: 1, subject: (20, 1))]
        let verdicts = decide(records), withPrior = decide(records, prior: prior)
        // Without a prior state, each code is named by its first record.
        #expect(verdicts.firstNames == [FirstName(code: digest(20), key: digest(2), record: 0),
                                        FirstName(code: digest(21), key: digest(2), record: 1)])
        #expect(verdicts.nameConflicts == [NameNote(record: 2, name: "", namedBy: 1),
                                           NameNote(record: 4, name: "", namedBy: 0)])
        // With one: code 20 had its first name (record 0 conflicts, record 4 agrees), the
        // registry knows code 21 under another name.
        #expect(withPrior.firstNames == [FirstName(code: digest(21), key: digest(2), record: 1)])
        #expect(withPrior.nameConflicts == [NameNote(record: 0, name: "甲公司"), NameNote(record: 2, name: "", namedBy: 1)])
        #expect(withPrior.registryMismatches == [NameNote(record: 1, name: "丙公司"), NameNote(record: 2, name: "丙公司"),
                                                 NameNote(record: 3, name: "丙公司")])
    }
}
