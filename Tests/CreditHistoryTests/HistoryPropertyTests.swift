import CreditCore
import CreditHistory
import Testing
import TestSupport

/// An archive reduced to what the history stage reads, applying verdicts as a sink writes them:
/// the oracle that lets a file decided in one batch be compared with the same file in many.
final class ModelArchive {
    var keys: [KeyDigest: (seenFile: Int, history: KeyHistory)] = [:]
    var names: [KeyDigest: SubjectName] = [:]
    var rejected: [KeyDigest: Int] = [:]
    var nextRow: Int64 = 0

    func prior(of questions: HistoryQuestions, file: Int) -> PriorState {
        var prior = PriorState()
        for key in questions.keys {
            guard var known = keys[key] else { continue }
            known.history.carriedByThisFile = known.seenFile == file
            prior.keys[key] = known.history
        }
        for code in questions.codes { prior.firstNames[code] = names[code] }
        for decision in questions.decisions { prior.rejectedDecisions[decision] = rejected[decision].map { $0 == file } }
        return prior
    }

    func apply(_ checked: CheckedBatch, file: Int, nameOf: (Int) -> String) {
        let history = checked.history
        for index in 0..<checked.normalized.count {
            let record = checked.normalized.sourceRecords[index]
            let verdict = history.records[record]
            guard verdict.isStored, let key = verdict.key else { continue }
            nextRow += 1
            keys[key] = (file, KeyHistory(version: verdict.version, content: checked.normalized.contentDigests[index],
                                          currentRow: nextRow, withdrawn: verdict.withdrawn))
        }
        for verdict in history.records where !verdict.isStored {
            guard let key = verdict.key else { continue }
            keys[key, default: (file, KeyHistory())].seenFile = file
        }
        for first in history.firstNames { names[first.code] = SubjectName(key: first.key, name: nameOf(first.record)) }
        for decision in history.settledDecisions { rejected[decision] = nil }
        for decision in history.rejectedDecisions { rejected[decision] = file }
    }
}

@Suite struct HistoryPropertyTests {
    /// What a file's records came to, comparable however the file was cut into batches.
    struct Fates: Equatable {
        var fates: [RecordVerdict.Fate] = []
        var versions: [Int64] = []
        var duplicates: [Int] = []
        var conflicts: [String] = []
        var mismatches = 0
        var unjudged: [Int] = []
        var counts = HistoryCounts()
    }

    /// Decides `files` in order, each cut into batches at `cuts` (record offsets), against `model`.
    static func run(_ files: [[TestRecord]], cuts: [Set<Int>], model: ModelArchive) -> [Fates] {
        var results: [Fates] = []
        for (number, records) in files.enumerated() {
            var result = Fates()
            var start = 0
            while start < records.count {
                var end = start + 1
                while end < records.count, !cuts[number].contains(end) { end += 1 }
                let part = Array(records[start..<end])
                var checked = batch(part)
                var questions = HistoryQuestions()
                questions.ask(about: checked.outcome)
                History.decide(checked, prior: model.prior(of: questions, file: number + 1), into: &checked.history)
                let nameOf = { (record: Int) in "n\(part[record].subject!.name)" }
                let history = checked.history
                result.fates += history.records.map(\.fate)
                result.versions += history.records.map(\.version)
                result.duplicates += history.duplicates.map { $0 + start }
                result.conflicts += history.nameConflicts.map { note in
                    "\(note.record + start):" + (note.namedBy.map(nameOf) ?? note.name)
                }
                result.mismatches += history.registryMismatches.count
                result.unjudged += history.unjudged.map { $0 + start }
                result.counts += history.counts
                model.apply(checked, file: number + 1, nameOf: nameOf)
                start = end
            }
            results.append(result)
        }
        return results
    }

    /// Three files of up to 40 records from small domains.
    static func draw(_ random: inout SeededGenerator) -> [[TestRecord]] {
        (0..<3).map { _ in
            (0..<Int(random.next() % 40 + 1)).map { _ in
                TestRecord(key: random.next() % 5 == 0 ? nil : UInt8(random.next() % 12),
                           decision: UInt8(random.next() % 6), content: UInt8(random.next() % 3),
                           rejected: random.next() % 4 == 0, withdrawn: random.next() % 5 == 0,
                           timeliness: random.next() % 2 == 0 ? .timely : .none,
                           subject: random.next() % 3 == 0 ? nil : (UInt8(random.next() % 4), UInt8(random.next() % 3)))
            }
        }
    }

    /// Three files of records drawn from small domains (so keys, decisions, codes and contents
    /// repeat within and across files), each decided whole and cut into random batches: the
    /// fates, versions, repeats, 重码 notes and counts are the same.
    @Test(arguments: 1...40)
    func aFileCutIntoBatchesComesToWhatItDoesInOne(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let files = Self.draw(&random)
        let whole = Self.run(files, cuts: files.map { _ in [] }, model: ModelArchive())
        let cuts = files.map { records in Set((1..<max(records.count, 1)).filter { _ in random.next() % 3 == 0 }) }
        let cut = Self.run(files, cuts: cuts, model: ModelArchive())
        #expect(whole == cut, "seed \(seed)")
    }

    /// Across the 40 draws, every fate and note occurs: the property is not vacuous.
    @Test func theDrawsCoverEveryFate() {
        var seen = Set<RecordVerdict.Fate>(), conflicts = 0, corrected = 0, unjudged = 0
        for seed in 1...40 {
            var random = SeededGenerator(seed: UInt64(seed))
            let files = Self.draw(&random)
            for result in Self.run(files, cuts: files.map { _ in [] }, model: ModelArchive()) {
                seen.formUnion(result.fates)
                conflicts += result.conflicts.count
                corrected += result.counts.corrected
                unjudged += result.unjudged.count
            }
        }
        #expect(seen == [.rejected, .duplicate, .unchanged, .new, .version])
        #expect(conflicts > 0 && corrected > 0 && unjudged > 0)
    }
}
