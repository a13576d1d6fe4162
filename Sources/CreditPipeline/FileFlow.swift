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
    let validator: Validator
    let normalizer: Normalizer

    public init(header: [String], feed: Feed, item catalogItem: CatalogItem, settings: ValidationSettings) {
        item = catalogItem.applying(feed)
        self.header = header
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

    /// Findings about the header (missing, unknown, repeated columns).
    public var headerFindings: [Finding] { HeaderRules.findings(mapping, item: item) }

    /// Thrown when `stop` asked the flow to end before the file did.
    public struct Stopped: Error {}

    /// Reads every batch of `source` into `sink`. Errors of the source (a malformed file), of
    /// the memory or of the sink propagate, and ``Stopped`` when `stop` says so before a batch:
    /// the caller rolls the file back.
    ///
    /// With `overlapping`, a second thread reads, checks and normalizes the next batches while
    /// this one notes keys in the archive's memory and archives: the same steps in the same
    /// order per batch, so the archive is the same as a sequential run's (a test compares them).
    public func run(_ source: any RecordSource, into sink: inout some BatchSink, state: inout ValidationState,
                    overlapping: Bool = false, stop: () -> Bool = { false }) throws
    {
        try sink.append(fileFindings: headerFindings)
        if overlapping { return try runOverlapping(source, into: &sink, state: &state, stop: stop) }
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

    private func runOverlapping(_ source: any RecordSource, into sink: inout some BatchSink,
                                state: inout ValidationState, stop: () -> Bool) throws {
        let handoff = BatchHandoff()
        let reading = HandedOver(source)
        let validator = self.validator, normalizer = self.normalizer, fieldCount = item.fields.count
        let initialScratch = state.scratch
        let reader = Thread {
            defer { handoff.readerDidFinish() }
            var scratch = initialScratch
            while true {
                var checked = handoff.batchToFill(fieldCount: fieldCount)
                do {
                    guard try reading.value.next(into: &checked.records) else {
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
        reader.stackSize = 8 << 20
        reader.start()
        defer { handoff.cancelAndWaitForReader() }
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
