import CreditAdapters
import CreditCatalog
import CreditCore
import CreditHistory
import CreditNormalization
import CreditValidation
import Foundation

/// The one path a file's records take: source → validation → normalization → sink.
///
/// `run`, `validate` and the benchmarks all use it, so what they report cannot drift apart.
/// Built once per file from the item (with the feed's own enum codes applied) and the file's
/// header; the sink decides what happens to each checked batch (the archive, or a collector of
/// findings).
public struct FileFlow {
    /// The item as this feed sends it.
    public let item: CatalogItem
    public let header: [String]
    public let mapping: HeaderMapping
    /// When the file was submitted (its name's date, else the run's), as its records are checked.
    public let submitted: CivilDate
    let validator: Validator
    let normalizer: Normalizer

    public init(header: [String], feed: Feed, item catalogItem: CatalogItem, settings: ValidationSettings) {
        item = catalogItem.applying(feed)
        self.header = header
        submitted = settings.submitted
        futureNamedDate = settings.futureNamedDate
        mapping = item.layout(forHeader: header, columnNames: feed.columns)
        validator = Validator(item: item, layout: mapping.layout, settings: settings)
        normalizer = Normalizer(item: item, header: header, mapping: mapping)
    }

    /// Refuses a header none of whose columns names a field of the item: a file sent without its
    /// header row (whose first record would become "unknown column" names in the report, ID numbers
    /// included) or in a layout the feed does not map. Nothing of the header is echoed.
    public func checkHeaderMatches(feed: Feed, file: String) throws(AdapterError) {
        guard !mapping.layout.columns.contains(where: { $0 >= 0 }) else { return }
        throw AdapterError.unknownHeader(file: file,
                           message: "no column of the first line names a field of \(item.name) (\(item.id)), so it is "
                               + "not a header this feed (\(feed.id)) knows: is the header row missing, or does the "
                               + "department use its own column names? `credit-etl catalog map <file> --item \(item.id)` "
                               + "proposes a `columns:` mapping to paste under the feed in catalogs/feeds.yaml")
    }

    /// A name's date after the run's, replaced by the run's date.
    let futureNamedDate: CivilDate?

    /// Findings about the file as a whole: its header (missing, unknown, repeated columns) and a
    /// name dated after the run.
    public var headerFindings: [Finding] {
        HeaderRules.findings(mapping, item: item)
            + (futureNamedDate.map { [HeaderRules.fileDate(named: $0, run: submitted)] } ?? [])
    }

    /// Why a file's flow ended before the file did: its source could not be read, its sink (the
    /// archive) failed, or `stop` asked it to end. The caller rolls the file back in each case.
    public enum Failure<SinkFailure: Error>: Error {
        case source(AdapterError)
        case sink(SinkFailure)
        case stopped
    }

    /// Reads every batch of `source` into `sink` on this thread: the record checks and
    /// normalization, then the history stage against what `sink` knew before the batch.
    public func run<Sink: BatchSink>(_ source: any RecordSource, into sink: inout Sink, stop: () -> Bool = { false })
        throws(Failure<Sink.Failure>)
    {
        do {
            try sink.append(fileFindings: headerFindings)
        } catch {
            throw .sink(error)
        }
        var checked = CheckedBatch(fieldCount: item.fields.count)
        var scratch = RecordScratch()
        var history = HistoryStage()
        while true {
            if stop() { throw .stopped }
            do {
                guard try source.next(into: &checked.records) else { break }
            } catch {
                throw .source(error)
            }
            validator.check(checked.records, into: &checked.outcome, scratch: &scratch)
            normalizer.normalize(checked.records, rejected: checked.outcome.rejected, into: &checked.normalized)
            do {
                try history.decide(&checked, validator: validator, sink: &sink)
                try sink.append(checked)
            } catch {
                throw .sink(error)
            }
        }
    }

    /// The reading half of a file split over two threads: reads, checks and normalizes every
    /// batch of `source` into `handoff`, then runs `finish` (the rest of the file into its hash)
    /// before it says the file ended. Returns early when the archiver cancels.
    func read(_ source: any RecordSource, into handoff: BatchHandoff, finish: () throws(AdapterError) -> Void) {
        var scratch = RecordScratch()
        while true {
            var checked = handoff.batchToFill(fieldCount: item.fields.count)
            do {
                guard try source.next(into: &checked.records) else {
                    try finish()
                    handoff.put(.end)
                    return
                }
            } catch {
                handoff.put(.failure(error))
                return
            }
            validator.check(checked.records, into: &checked.outcome, scratch: &scratch)
            normalizer.normalize(checked.records, rejected: checked.outcome.rejected, into: &checked.normalized)
            guard handoff.put(.batch(checked)) else { return }
        }
    }

    /// The archiving half: the history stage and the sink, for each batch `handoff` brings. The
    /// same steps in the same order per batch as ``run(_:into:stop:)``, so the archive is the
    /// same as a one-thread run's (a test compares them).
    func archive<Sink: BatchSink>(from handoff: BatchHandoff, into sink: inout Sink, stop: () -> Bool)
        throws(Failure<Sink.Failure>)
    {
        do {
            try sink.append(fileFindings: headerFindings)
        } catch {
            throw .sink(error)
        }
        var history = HistoryStage()
        while true {
            if stop() { throw .stopped }
            switch handoff.take() {
            case .end:
                return
            case .failure(let error):
                throw .source(error)
            case .batch(var checked):
                do {
                    try history.decide(&checked, validator: validator, sink: &sink)
                    try sink.append(checked)
                } catch {
                    throw .sink(error)
                }
                handoff.recycle(consume checked)
            }
        }
    }
}

/// The history stage as a file's flow runs it on each batch: the batch's questions, the prior
/// state the sink reads for them, the pure decision (``History/decide(_:prior:into:)``), and
/// validation's wording of it. Its buffers are reused from batch to batch.
struct HistoryStage {
    var questions = HistoryQuestions()
    var prior = PriorState()

    mutating func decide<Sink: BatchSink>(_ checked: inout CheckedBatch, validator: Validator, sink: inout Sink)
        throws(Sink.Failure)
    {
        validator.ask(about: checked, registry: sink.consultsRegistry, into: &questions)
        try sink.fetchPrior(questions, into: &prior)
        History.decide(checked, prior: prior, into: &checked.history)
        validator.applyHistory(to: &checked)
    }
}
