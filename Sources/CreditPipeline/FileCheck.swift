import CreditAdapters
import CreditArchive
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

    /// Reads `path` with `feed`'s adapter and validates every record. Throws when the file cannot
    /// be read (malformed, wrong encoding); findings about its content are results, not errors.
    public static func run(path: String, displayPath: String, feed: Feed, item: CatalogItem, catalog: Catalog,
                           today: CivilDate) throws(AdapterError) -> FileCheck {
        var check = FileCheck()
        let source = try FeedFile.open(path: path, displayPath: displayPath, feed: feed, item: item)
        check.header = source.header
        let mapping = item.layout(forHeader: source.header, columnNames: feed.columns)
        let settings = ValidationSettings(identifiers: catalog.identifiers, today: today,
                                          submitted: SubmissionDate.fromFileName(displayPath) ?? today,
                                          calendar: catalog.calendar)
        let validator = Validator(item: item, layout: mapping.layout, settings: settings)
        let headerFindings = HeaderRules.findings(mapping, item: item)
        check.findings = headerFindings.map { Located(line: nil, record: nil, finding: $0) }
        var seen = 0
        check.counts.add(records: 0, rejected: 0, findings: headerFindings)
        // Keys and names go to a scratch file, so that checking a huge file stays in bounded memory.
        let scratch = try? ScratchStore(besideArchive: NSTemporaryDirectory() + "/credit-etl-validate")
        var state = ValidationState(memory: scratch ?? InMemoryRunMemory())
        state.startFile()
        var batch = RecordBatch()
        var outcome = ValidationOutcome()
        while try source.next(into: &batch) {
            validator.validate(batch, into: &outcome, state: &state)
            let provenance = batch.provenance
            check.findings += outcome.findings.map { finding in
                Located(line: finding.record.map { provenance[$0].line }, record: finding.record.map { seen + $0 + 1 },
                        finding: finding)
            }
            seen += batch.count
            check.counts.add(records: batch.count, rejected: outcome.rejectedCount, findings: outcome.findings)
            check.counts.timeliness += outcome.timeliness
        }
        return check
    }
}
