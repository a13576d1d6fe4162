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
    /// registry's name is compared. Then, in record order again: an accepted record is unchanged
    /// (the current version's content), new, or a new version, withdrawing or not, and corrects
    /// a decision an earlier file rejected and nothing corrected since (纠正); a rejected record
    /// leaves its decision pending, by this file (a file does not correct itself). Nothing
    /// depends on where the file's batches begin and end (a property test cuts files at random).
    ///
    /// A record the reader skipped (byte-identical to its key's current version,
    /// ``RepeatMarks``) comes settled by the stage: unchanged, or a repeat of a key this file
    /// carried; a checked record whose key a skipped one carried earlier is a repeat too. A
    /// repeat is not judged for timeliness: it is not another submission of its decision.
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

        let repeats = checked.repeats.fates
        for record in 0..<count {
            var carriedBySkipped = false
            if !repeats.isEmpty {
                // A skipped record (its print is its key's current version's): unchanged, or a
                // repeat of a key this file carried, as the stage decided in record order.
                switch repeats[record] {
                case .unchanged, .candidate:
                    verdicts.records.append(RecordVerdict(fate: .unchanged))
                    verdicts.counts.unchanged += 1
                    continue
                case .duplicate:
                    verdicts.records.append(RecordVerdict(fate: .duplicate))
                    verdicts.duplicates.append(record)
                    continue
                case .keyCarried:
                    carriedBySkipped = true
                case .checked, .rejectedBefore:
                    break
                }
            }
            var verdict = RecordVerdict(fate: outcome.rejected[record] ? .rejected : .new)
            if let key = outcome.pendingKeys[record] {
                if carriedBySkipped || carried[key] != nil || prior.keys[key]?.carriedByThisFile == true {
                    verdict.fate = .duplicate
                    verdicts.duplicates.append(record)
                    // A repeat in one file is not another submission of its decision: judged once.
                    if outcome.timelinessVerdicts[record] != .none { verdicts.unjudged.append(record) }
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

        // Then every record again, in order: accepted ones take their place in their key's history
        // and may correct a decision; rejected ones leave theirs pending. In record order, so that
        // where a file's batches begin and end changes nothing.
        var pending: [KeyDigest: Bool] = [:]
        var marked = Set<KeyDigest>()
        var normalizedIndex = 0
        for record in 0..<count {
            var verdict = verdicts.records[record]
            let decision = outcome.decisions[record]
            if verdict.fate == .rejected {
                if let decision {
                    pending[decision] = true
                    if marked.insert(decision).inserted { verdicts.rejectedDecisions.append(decision) }
                }
                continue
            }
            // Normalized before the archive's checks: a repeat is not stored (nor found there).
            while normalizedIndex < normalized.count, normalized.sourceRecords[normalizedIndex] < record {
                normalizedIndex += 1
            }
            guard verdict.fate == .new, normalizedIndex < normalized.count,
                  normalized.sourceRecords[normalizedIndex] == record else { continue }
            let index = normalizedIndex
            if let decision, !settled.contains(decision), (pending[decision] ?? prior.rejectedDecisions[decision]) == false {
                // An earlier file rejected it and nothing corrected it since: this record does.
                settled.insert(decision)
                verdicts.settledDecisions.append(decision)
                verdicts.counts.corrected += 1
            }
            let state = verdict.key.flatMap { carried[$0] } ?? KeyHistory()
            if state.version > 0, state.content == normalized.contentDigests[index] {
                verdict.fate = .unchanged
                verdicts.records[record] = verdict
                verdicts.counts.unchanged += 1
                // Checked while the feed's prints were loaded, so not its version's print.
                if !repeats.isEmpty, let row = state.currentRow {
                    verdicts.reprinted.append(Reprint(record: record, row: row))
                }
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
    }
}
