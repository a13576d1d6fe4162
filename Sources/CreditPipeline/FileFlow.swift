import CreditAdapters
import CreditCatalog
import CreditCore
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

    /// Thrown when `stop` asked the flow to end before the file did.
    public struct Stopped: Error {}

    /// Reads every batch of `source` into `sink` on this thread. Errors of the source (a malformed
    /// file), of the memory or of the sink propagate, and ``Stopped`` when `stop` says so before a
    /// batch: the caller rolls the file back.
    public func run(_ source: any RecordSource, into sink: inout some BatchSink, state: inout ValidationState,
                    stop: () -> Bool = { false }) throws
    {
        try sink.append(fileFindings: headerFindings)
        var checked = CheckedBatch(fieldCount: item.fields.count)
        while true {
            if stop() { throw Stopped() }
            guard try source.next(into: &checked.records) else { break }
            validator.check(checked.records, into: &checked.outcome, scratch: &state.scratch)
            normalizer.normalize(checked.records, rejected: checked.outcome.rejected, into: &checked.normalized)
            try validator.resolve(checked.records, outcome: &checked.outcome, state: &state)
            try sink.append(checked)
        }
    }

    /// The reading half of a file split over two threads: reads, checks and normalizes every
    /// batch of `source` into `handoff`, then runs `finish` (the rest of the file into its hash)
    /// before it says the file ended. Returns early when the archiver cancels.
    func read(_ source: any RecordSource, into handoff: BatchHandoff, finish: () throws -> Void) {
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

    /// The archiving half: the archive's checks (keys, names, the registry) in record order and
    /// the sink, for each batch `handoff` brings. The same steps in the same order per batch as
    /// ``run(_:into:state:stop:)``, so the archive is the same as a one-thread run's (a test
    /// compares them).
    func archive(from handoff: BatchHandoff, into sink: inout some BatchSink, state: inout ValidationState,
                 stop: () -> Bool) throws {
        try sink.append(fileFindings: headerFindings)
        while true {
            if stop() { throw Stopped() }
            switch handoff.take() {
            case .end:
                return
            case .failure(let error):
                throw error
            case .batch(var checked):
                try validator.resolve(checked.records, outcome: &checked.outcome, state: &state)
                try sink.append(checked)
                handoff.recycle(consume checked)
            }
        }
    }
}
