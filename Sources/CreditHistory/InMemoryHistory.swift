import CreditCore

/// An archive's memory in dictionaries, for tests and one-off checks of a few batches: which
/// keys the current file carried and the first name of each subject code. What a real archive
/// keeps in its tables (versions, contents, rows) it does not; ``startFile()`` begins another file.
public final class InMemoryHistory {
    private var fileKeys: Set<KeyDigest> = []
    private var firstNames: [KeyDigest: SubjectName] = [:]

    public init() {}

    public func startFile() { fileKeys.removeAll(keepingCapacity: true) }

    public func fetchPrior(_ questions: HistoryQuestions, into prior: inout PriorState) {
        prior.removeAll()
        for key in questions.keys where fileKeys.contains(key) {
            prior.keys[key] = KeyHistory(carriedByThisFile: true)
        }
        for code in questions.codes {
            if let first = firstNames[code] { prior.firstNames[code] = first }
        }
    }

    /// Remembers what a batch's verdicts changed: the keys it carried, the codes it named first.
    public func record(_ checked: CheckedBatch) {
        for verdict in checked.history.records {
            if let key = verdict.key { fileKeys.insert(key) }
        }
        for first in checked.history.firstNames {
            firstNames[first.code] = SubjectName(key: first.key, name: first.name)
        }
    }
}
