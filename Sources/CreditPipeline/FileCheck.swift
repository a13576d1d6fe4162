import CreditAdapters
import CreditArchive
import CreditArchiveSQLite
import Foundation
import CreditCatalog
import CreditCore
import CreditValidation

/// Validates one file against an item without touching any archive: what `credit-etl validate`
/// runs, and what a department can run on its export before sending it.
public struct FileCheck {
    /// One finding with the line it is on.
    public struct Located: Sendable {
        public var line: Int?
        /// 1-based number of the record in the file (nil for findings about the file).
        public var record: Int?
        public var finding: Finding
    }

    public private(set) var findings: [Located] = []
    public private(set) var counts = QualityCounts()
    /// The columns the file's records were laid out in.
    public private(set) var header: [String] = []
    /// What the history stage compares each batch with: the keys and names of the file so far.
    private let history: ScratchHistory

    init(history: ScratchHistory) {
        self.history = history
    }

    /// Why a file could not be checked: what `validate` tells apart by its exit code.
    public enum CheckError: Error, CustomStringConvertible {
        /// The file cannot be read (malformed, wrong encoding): exit 2.
        case unreadable(AdapterError)
        /// The temporary database of keys failed (a full disk): exit 74.
        case scratch(ArchiveError)

        public var description: String {
            switch self {
            case .unreadable(let error): error.description
            case .scratch(let error): "credit-etl: validate: \(error)"
            }
        }
    }

    /// Reads `path` with `feed`'s adapter and validates every record through the same flow as
    /// a run, into a collector instead of the archive; findings about its content are results,
    /// not errors.
    public static func run(path: String, displayPath: String, feed: Feed, item: CatalogItem, catalog: Catalog,
                           today: CivilDate) throws(CheckError) -> FileCheck {
        let source: any RecordSource
        let flow: FileFlow
        do {
            source = try FeedFile.open(path: path, displayPath: displayPath, feed: feed, item: item)
            var settings = SubmissionDate.settings(path: displayPath, today: today, catalog: catalog)
            // Nothing is archived, so no record is printed (``RecordPrinter``).
            settings.catalogDigest = nil
            flow = FileFlow(header: source.header, feed: feed, item: item, settings: settings)
            try flow.checkHeaderMatches(feed: feed, file: displayPath)
        } catch {
            throw .unreadable(error)
        }
        // Keys and names go to a temporary database, so that checking a huge file stays in bounded memory.
        var check: FileCheck
        do {
            check = FileCheck(history: try ScratchHistory())
        } catch {
            throw .scratch(error)
        }
        check.header = source.header
        do {
            try flow.run(source, into: &check)
        } catch {
            switch error {
            case .source(let error): throw .unreadable(error)
            case .sink(let error): throw .scratch(error)
            case .stopped: preconditionFailure("`validate` is not stopped between batches")
            }
        }
        return check
    }
}

extension FileCheck: BatchSink {
    public typealias Failure = ArchiveError

    /// `validate` has no registry to compare names with.
    public var consultsRegistry: Bool { false }

    public func fetchPrior(_ questions: HistoryQuestions, into prior: inout PriorState) throws(ArchiveError) {
        try history.fetchPrior(questions, into: &prior)
    }

    public mutating func append(fileFindings: [Finding]) {
        findings += fileFindings.map { Located(line: nil, record: nil, finding: $0) }
        counts.add(records: 0, rejected: 0, findings: fileFindings)
    }

    public mutating func append(_ checked: CheckedBatch) throws(ArchiveError) {
        try history.record(checked.history)
        let provenance = checked.records.provenance
        let seen = counts.records
        findings += checked.outcome.findings.map { finding in
            Located(line: finding.record.map { provenance[$0].line }, record: finding.record.map { seen + $0 + 1 },
                    finding: finding)
        }
        counts.add(records: checked.records.count, rejected: checked.outcome.rejectedCount,
                   findings: checked.outcome.findings)
        counts.timeliness += checked.outcome.timeliness
        counts.editions.merge(checked.outcome.editions, uniquingKeysWith: +)
    }
}
