import CreditCore

/// The history stage: what each record of a batch is to the archive, decided once, for both
/// backends, from the batch and what the archive knew before it.
///
/// A pure function: the backend reads the ``PriorState`` of the batch's keys, codes and
/// decisions (``HistoryQuestions``), this decides, validation words the findings, and the sink
/// writes the ``HistoryVerdicts`` without deciding anything again. So the rules of versions,
/// withdrawals, corrections and 重码 live here and nowhere else.
///
/// ```swift
/// questions.ask(about: checked.outcome)
/// try sink.fetchPrior(questions, into: &prior)
/// History.decide(checked, prior: prior, into: &checked.history)
/// ```
public enum History {
    /// Decides the fate of every record of `checked` (records as read, the record checks'
    /// outcome, the normalized accepted records) against `prior`, into `verdicts` (overwritten).
    ///
    /// First, in record order: a key the file carried already is a duplicate (`DUP_RECORD`); a
    /// code without a first name gets this record's, one with another first name is 重码; the
    /// registry's name is compared. Then the accepted records: unchanged (the current version's
    /// content), new, or a new version, withdrawing or not, and whether each corrects a decision
    /// an earlier file rejected. Last, the rejected records leave their decisions pending: after
    /// the corrections, so a decision this batch corrected and rejected again stays rejected.
    public static func decide(_ checked: CheckedBatch, prior: PriorState, into verdicts: inout HistoryVerdicts) {
        verdicts.removeAll()
        let outcome = checked.outcome, normalized = checked.normalized
        let count = outcome.rejected.count
        verdicts.records.reserveCapacity(count)
        // What this batch changed over `prior`: the keys it carried (with their state before it),
        // the codes it named first (by which record), the decisions it settled.
        var carried: [KeyDigest: KeyHistory] = [:]
        var named: [KeyDigest: (key: KeyDigest, record: Int)] = [:]
        var settled = Set<KeyDigest>()

        for record in 0..<count {
            var verdict = RecordVerdict(fate: outcome.rejected[record] ? .rejected : .new)
            if let key = outcome.pendingKeys[record] {
                if carried[key] != nil || prior.keys[key]?.carriedByThisFile == true {
                    verdict.fate = .duplicate
                    verdicts.duplicates.append(record)
                } else {
                    let state = prior.keys[key] ?? KeyHistory()
                    // Accepted before: its timeliness was judged then, on its first submission.
                    if state.version > 0, outcome.timelinessVerdicts[record] != .none { verdicts.unjudged.append(record) }
                    verdict.key = key
                    carried[key] = state
                }
            }
            verdicts.records.append(verdict)
            guard let probe = outcome.subjectProbes[record] else { continue }
            if let first = named[probe.code] {
                if first.key != probe.name {
                    verdicts.nameConflicts.append(NameNote(record: record, name: "", namedBy: first.record))
                }
            } else if let first = prior.firstNames[probe.code] {
                if first.key != probe.name { verdicts.nameConflicts.append(NameNote(record: record, name: first.name)) }
            } else {
                named[probe.code] = (probe.name, record)
                verdicts.firstNames.append(FirstName(code: probe.code, key: probe.name, record: record))
            }
            if let registered = prior.registered[probe.code], registered.key != probe.name {
                verdicts.registryMismatches.append(NameNote(record: record, name: registered.name))
            }
        }

        for index in 0..<normalized.count {
            let record = normalized.sourceRecords[index]
            var verdict = verdicts.records[record]
            // Normalized before the archive's checks: a repeat is not stored.
            guard verdict.fate == .new else { continue }
            if let decision = outcome.decisions[record], !settled.contains(decision),
               prior.rejectedDecisions[decision] == false {
                settled.insert(decision)
                verdicts.settledDecisions.append(decision)
                verdicts.counts.corrected += 1
            }
            let state = verdict.key.flatMap { carried[$0] } ?? KeyHistory()
            if state.version > 0, state.content == normalized.contentDigests[index] {
                verdict.fate = .unchanged
                verdicts.records[record] = verdict
                verdicts.counts.unchanged += 1
                continue
            }
            let withdrawn = normalized.withdrawn[index]
            if state.version == 0 { verdicts.counts.new += 1 } else { verdicts.counts.versions += 1 }
            if withdrawn, !state.withdrawn { verdicts.counts.withdrawn += 1 }
            verdict.fate = state.version == 0 ? .new : .version
            verdict.version = state.version + 1
            verdict.previousRow = state.currentRow
            verdict.withdrawn = withdrawn
            verdicts.records[record] = verdict
        }

        var marked = Set<KeyDigest>()
        for record in 0..<count where verdicts.records[record].fate == .rejected {
            // A repeat leaves no decision pending: it is the file's error, not a decision to correct.
            if let decision = outcome.decisions[record], marked.insert(decision).inserted {
                verdicts.rejectedDecisions.append(decision)
            }
        }
    }
}
