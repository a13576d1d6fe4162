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
    /// Prints each record (``RecordPrinter``) when the settings name their catalog: records
    /// byte-identical to their key's current version are then known before they are checked.
    let printer: RecordPrinter?

    public init(header: [String], feed: Feed, item catalogItem: CatalogItem, settings: ValidationSettings) {
        item = catalogItem.applying(feed)
        self.header = header
        submitted = settings.submitted
        futureNamedDate = settings.futureNamedDate
        mapping = item.layout(forHeader: header, columnNames: feed.columns)
        validator = Validator(item: item, layout: mapping.layout, settings: settings)
        normalizer = Normalizer(item: item, header: header, mapping: mapping)
        printer = settings.catalogDigest.map { catalog in
            RecordPrinter(parts: [catalog.hex, ProgramIdentity.text, feed.id, catalogItem.id,
                                  header.joined(separator: "\u{1E}")])
        }
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
    /// `prints` are the current versions' prints of the file's feed when the archive has loaded
    /// them (a large file of a feed that re-sends its table): records among them are not checked.
    public func run<Sink: BatchSink>(_ source: any RecordSource, into sink: inout Sink, prints: FeedPrints? = nil,
                                     stop: () -> Bool = { false })
        throws(Failure<Sink.Failure>)
    {
        do {
            try sink.append(fileFindings: headerFindings)
        } catch {
            throw .sink(error)
        }
        var checked = CheckedBatch(fieldCount: item.fields.count)
        var scratch = RecordScratch()
        var history = HistoryStage(prints: prints?.current)
        var marker = RepeatMarker(printer: printer, prints: prints, layout: mapping.layout)
        while true {
            if stop() { throw .stopped }
            do {
                guard try source.next(into: &checked.records) else { break }
            } catch {
                throw .source(error)
            }
            check(&checked, marker: &marker, scratch: &scratch)
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
        // The archiver says, once it has begun the file, which prints its feed's records hold.
        guard let provided = handoff.waitForPrints() else { return }
        var marker = RepeatMarker(printer: printer, prints: provided.set, layout: mapping.layout)
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
            check(&checked, marker: &marker, scratch: &scratch)
            guard handoff.put(.batch(checked)) else { return }
        }
    }

    /// The archiving half: the history stage and the sink, for each batch `handoff` brings. The
    /// same steps in the same order per batch as ``run(_:into:stop:)``, so the archive is the
    /// same as a one-thread run's (a test compares them).
    func archive<Sink: BatchSink>(from handoff: BatchHandoff, into sink: inout Sink, prints: FeedPrints?,
                                  stop: () -> Bool)
        throws(Failure<Sink.Failure>)
    {
        handoff.providePrints(prints)
        do {
            try sink.append(fileFindings: headerFindings)
        } catch {
            throw .sink(error)
        }
        var history = HistoryStage(prints: prints?.current)
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

extension FileFlow {
    /// The reading side's work on one batch: each record's print and whether it is a candidate
    /// re-send, then the checks and normalization of the others.
    func check(_ checked: inout CheckedBatch, marker: inout RepeatMarker, scratch: inout RecordScratch) {
        marker.mark(&checked)
        validator.check(checked.records, into: &checked.outcome, scratch: &scratch, skipping: checked.repeats.fates)
        normalizer.normalize(checked.records, rejected: checked.outcome.rejected, skipping: checked.repeats.fates,
                             into: &checked.normalized)
    }
}

/// Prints a file's records and marks, in record order, those whose print is a current version's
/// of the feed (``PrintSet``): the first record with a given print is a candidate and is not
/// checked; a second with the same print is checked as usual (the history stage then finds its
/// key carried). A record whose CSV line had a bare quote is always checked, for its warning.
struct RepeatMarker {
    let printer: RecordPrinter?
    let prints: FeedPrints?
    let layout: FieldLayout
    /// Per entry of the current prints: whether a candidate of this file had that print.
    private var seen: [Bool]

    init(printer: RecordPrinter?, prints: FeedPrints?, layout: FieldLayout) {
        self.printer = printer
        self.prints = printer == nil ? nil : prints
        self.layout = layout
        seen = [Bool](repeating: false, count: self.prints?.current.count ?? 0)
    }

    mutating func mark(_ checked: inout CheckedBatch) {
        checked.repeats.removeAll()
        guard let printer else { return }
        let records = checked.records
        let count = records.count
        // Into a local array (its storage reused), not through `checked` inside the closure.
        var printed: [KeyDigest] = []
        swap(&printed, &checked.repeats.prints)
        printed.reserveCapacity(count)
        let layout = layout
        records.withFields { fields in
            for record in 0..<count { printed.append(printer.print(record, fields, layout: layout)) }
        }
        swap(&printed, &checked.repeats.prints)
        guard let prints else { return }
        var bareQuotes = records.bareQuoteRecords[...]
        for record in 0..<count {
            let print = checked.repeats.prints[record]
            let entry = prints.current.entry(of: print)
            var fate = RepeatMarks.Fate.checked
            if bareQuotes.first == record {
                bareQuotes = bareQuotes.dropFirst()
            } else if entry >= 0, !seen[Int(entry)] {
                seen[Int(entry)] = true
                fate = .candidate
            } else if !prints.rejected.isEmpty, prints.rejected.contains(print) {
                fate = .rejectedBefore
            }
            checked.repeats.entries.append(entry)
            checked.repeats.fates.append(fate)
        }
    }
}

/// The history stage as a file's flow runs it on each batch: the batch's questions, the prior
/// state the sink reads for them, the pure decision (``History/decide(_:prior:into:)``), and
/// validation's wording of it. Its buffers are reused from batch to batch.
///
/// With the feed's prints, it first settles, in record order, what the skipped records are: a
/// candidate whose key this file already carried is a repeat (`DUP_RECORD`), the others are
/// unchanged; a checked record whose key a candidate carried earlier is a repeat too.
struct HistoryStage {
    var questions = HistoryQuestions()
    var prior = PriorState()
    let prints: PrintSet?
    /// Per entry of `prints`: whether a record of this file carried the key whose print it is.
    var carried: [Bool]

    init(prints: PrintSet? = nil) {
        self.prints = prints
        carried = [Bool](repeating: false, count: prints?.count ?? 0)
    }

    mutating func decide<Sink: BatchSink>(_ checked: inout CheckedBatch, validator: Validator, sink: inout Sink)
        throws(Sink.Failure)
    {
        validator.ask(about: checked, registry: sink.consultsRegistry, into: &questions)
        try sink.fetchPrior(questions, into: &prior)
        settleRepeats(&checked)
        History.decide(checked, prior: prior, into: &checked.history)
        validator.applyHistory(to: &checked)
    }

    private mutating func settleRepeats(_ checked: inout CheckedBatch) {
        guard let prints, !checked.repeats.fates.isEmpty else { return }
        for record in 0..<checked.repeats.fates.count {
            switch checked.repeats.fates[record] {
            case .candidate:
                let entry = Int(checked.repeats.entries[record])
                if carried[entry] {
                    checked.repeats.fates[record] = .duplicate
                } else {
                    carried[entry] = true
                    checked.repeats.fates[record] = .unchanged
                }
            case .checked, .rejectedBefore:
                guard let key = checked.outcome.pendingKeys[record], let row = prior.keys[key]?.currentRow else { continue }
                let entry = prints.entry(ofRow: row)
                guard entry >= 0 else { continue }
                if carried[Int(entry)] {
                    checked.repeats.fates[record] = .keyCarried
                } else {
                    carried[Int(entry)] = true
                }
            case .unchanged, .duplicate, .keyCarried:
                break
            }
        }
    }
}
