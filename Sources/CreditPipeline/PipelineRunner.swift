import CreditAdapters
import CreditArchive
import CreditCatalog
import CreditCore
import CreditNormalization
import CreditReports
import CreditValidation
import Foundation
import Logging

/// Runs a pipeline once over its inbox.
///
/// Files are handled one at a time, each in one archive transaction: a file that turns out to
/// be malformed half-way leaves nothing behind and the run goes on with the next one.
public struct PipelineRunner {
    public let configuration: PipelineConfiguration
    let logger: Logger
    /// The run's date in Asia/Shanghai: dates after it (births, decisions) are errors.
    let today: CivilDate

    public init(configuration: PipelineConfiguration, logger: Logger, today: CivilDate = .today()) {
        self.configuration = configuration
        self.logger = logger
        self.today = today
    }

    public func run() throws(PipelineError) -> RunSummary {
        let catalog: Catalog
        do {
            catalog = try Catalog.load(directory: configuration.catalog)
        } catch {
            throw .configuration(error)
        }
        let archive: Archive
        let runID: Int64
        do {
            archive = try Archive(path: configuration.archive)
            try archive.prepare(items: Array(catalog.items.values))
            runID = try archive.startRun(pipeline: configuration.name, at: Date())
        } catch {
            throw .archive(error)
        }
        var logger = self.logger
        logger[metadataKey: "credit.run"] = "\(runID)"
        logger.info("run started", metadata: ["credit.pipeline": "\(configuration.file)"])

        var files: [RunSummary.FileSummary] = []
        var totals = QualityCounts()
        do throws(PipelineError) {
            let entries: [Inbox.Entry]
            do {
                entries = try Inbox(directory: configuration.inbox).entries(feeds: catalog.feeds)
            } catch let error as PipelineError {
                throw error
            } catch {
                throw PipelineError("\(configuration.inbox): cannot list the inbox (\(error))")
            }
            // The subject registry's feeds go first, so the other items of the run are compared with it.
            let ordered = entries.filter { isRegistry($0, catalog) } + entries.filter { !isRegistry($0, catalog) }
            let registry: RegistryLookup
            do {
                registry = try RegistryLookup(archive: archive)
            } catch {
                throw .archive(error)
            }
            var states: [String: ValidationState] = [:]
            for entry in ordered {
                let summary = try process(entry, catalog: catalog, archive: archive, run: runID, logger: logger,
                                          registry: registry, states: &states)
                if let counts = summary.counts { totals += counts }
                files.append(summary)
            }
        } catch {
            try? archive.finishRun(runID, status: .failed, at: Date(), error: error.description)
            logger.error("run failed", metadata: ["credit.error": "\(error)"])
            throw error
        }

        let status: RunStatus = files.contains { $0.outcome.kind == .failed } ? .completedWithFailures : .completed
        do {
            try archive.finishRun(runID, status: status, at: Date())
        } catch {
            throw .archive(error)
        }
        let reportDirectory = try ReportWriter(root: configuration.reports)
            .write(run: runID, archive: archive, catalog: catalog, language: configuration.language, today: today)
        logger.info("run finished", metadata: ["credit.status": "\(status.rawValue)",
                                               "credit.records": "\(totals.records)"])
        return RunSummary(runID: runID, status: status, files: files, totals: totals,
                          archivePath: configuration.archive, reportDirectory: reportDirectory)
    }

    /// Archives one inbox file, or notes why not. Only archive failures escape.
    /// Copies a file that could not be read to `<quarantine>/run-NNNNNN/<path>`, with the reason in
    /// `<path>.error.txt`, so the department's exact bytes are kept for the reply; the inbox is left
    /// as it is. Returns the copy's path, or nil when it could not be made (logged, not fatal).
    private func quarantine(_ entry: Inbox.Entry, run: Int64, reason: String) -> String? {
        let target = ((configuration.quarantine as NSString).appendingPathComponent(ReportWriter.directoryName(run: run))
            as NSString).appendingPathComponent(entry.relativePath)
        do {
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: entry.path, toPath: target)
            try Data((reason + "\n").utf8).write(to: URL(fileURLWithPath: target + ".error.txt"))
            return target
        } catch {
            logger.error("cannot quarantine the file", metadata: ["credit.error": "\(error)"])
            return nil
        }
    }

    /// Whether the file belongs to the subject registry (企业登记注册).
    private func isRegistry(_ entry: Inbox.Entry, _ catalog: Catalog) -> Bool {
        entry.feed.flatMap { catalog.items[$0.item] }?.isRegistry ?? false
    }

    /// Archives one inbox file. `states` carries, per item, what the run has seen (business keys,
    /// names); a file's additions are kept only when the file is archived.
    private func process(_ entry: Inbox.Entry, catalog: Catalog, archive: Archive, run: Int64, logger: Logger,
                         registry: RegistryLookup, states: inout [String: ValidationState])
        throws(PipelineError) -> RunSummary.FileSummary
    {
        var logger = logger
        logger[metadataKey: "credit.file"] = "\(entry.relativePath)"
        func note(_ outcome: FileOutcome, counts: QualityCounts? = nil, firstRun: Int64? = nil)
            throws(PipelineError) -> RunSummary.FileSummary
        {
            do {
                try archive.note(outcome, run: run)
            } catch {
                throw .archive(error)
            }
            return RunSummary.FileSummary(outcome: outcome, counts: counts, firstRun: firstRun)
        }

        guard let feed = entry.feed, let item = catalog.items[feed.item] else {
            logger.warning("no feed matches this file; it was not read")
            return try note(FileOutcome(kind: .unmatched, path: entry.relativePath,
                                        message: "no feed in the catalog matches this path"))
        }
        let hash: (hex: String, size: Int64)
        do {
            hash = try ContentHash.sha256(path: entry.path, displayPath: entry.relativePath)
        } catch {
            logger.error("cannot read the file", metadata: ["credit.error": "\(error)"])
            return try note(FileOutcome(kind: .failed, path: entry.relativePath, feed: feed.id, message: error.message))
        }
        let ledger: LedgerEntry?
        do {
            ledger = try archive.ledgerEntry(sha256: hash.hex)
        } catch {
            throw .archive(error)
        }
        if let ledger {
            logger.info("already archived; skipped", metadata: ["credit.first_run": "\(ledger.run)"])
            return try note(FileOutcome(kind: .duplicate, path: entry.relativePath, sha256: hash.hex,
                                        fileID: ledger.fileID, feed: feed.id,
                                        message: "same content as \(ledger.path), archived in run \(ledger.run)"),
                            firstRun: ledger.run)
        }
        let submitted = SubmissionDate.fromFileName(entry.relativePath) ?? today
        do {
            let source = try FeedFile.open(path: entry.path, displayPath: entry.relativePath, feed: feed, item: item)
            let header = source.header
            let mapping = item.layout(forHeader: header, columnNames: feed.columns)
            let draft = FileDraft(sha256: hash.hex, size: hash.size, path: entry.relativePath, feed: feed.id,
                                  department: feed.department, item: item.id, format: feed.format.rawValue,
                                  header: header, submitted: submitted.description)
            let validator = Validator(item: item, layout: mapping.layout, settings: ValidationSettings(
                identifiers: catalog.identifiers, today: today, submitted: submitted, calendar: catalog.calendar))
            var validation = try states[item.id] ?? ValidationState(
                registry: registry, memory: ScratchStore(besideArchive: configuration.archive + ".\(item.id)"))
            validation.startFile()
            var archivedFile = false
            defer { if !archivedFile { validation.rollbackFile() } }
            let normalizer = Normalizer(item: item, header: header, mapping: mapping)
            let archived = try archive.archiveFile(draft, run: run, item: item) { writer in
                try writer.append(fileFindings: HeaderRules.findings(mapping, item: item))
                var batch = RecordBatch()
                var outcome = ValidationOutcome()
                var normalized = NormalizedBatch(fieldCount: item.fields.count)
                while try source.next(into: &batch) {
                    validator.validate(batch, into: &outcome, state: &validation)
                    normalizer.normalize(batch, rejected: outcome.rejected, into: &normalized)
                    try writer.append(batch, rejected: outcome.rejected, rejectedCount: outcome.rejectedCount,
                                      findings: outcome.findings, normalized: normalized)
                    try writer.append(subjects: outcome.subjects, timeliness: outcome.timeliness)
                }
                return writer.counts
            }
            let counts = archived.result
            validation.commitFile()
            archivedFile = true
            states[item.id] = validation
            logger.info("archived", metadata: ["credit.records": "\(counts.records)",
                                               "credit.rejected": "\(counts.rejected)"])
            return try note(FileOutcome(kind: .archived, path: entry.relativePath, sha256: hash.hex,
                                        fileID: archived.fileID, feed: feed.id), counts: counts)
        } catch let error as AdapterError {
            logger.error("file not archived", metadata: ["credit.error": "\(error)"])
            var message = error.description
            if let copy = quarantine(entry, run: run, reason: error.description) {
                message += " (quarantined: \(copy))"
            }
            return try note(FileOutcome(kind: .failed, path: entry.relativePath, sha256: hash.hex, feed: feed.id,
                                        line: error.line, message: message))
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError("\(configuration.archive): archiving \(entry.relativePath) failed (\(error)); "
                + "nothing of this file was kept")
        }
    }
}
