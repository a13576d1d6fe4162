import CreditArchive
import CreditCatalog
import CreditCore

/// `credit-etl publish`: what changed in publication since the last export, as one more export.
///
/// Exactly once, whatever kills it: the export's changes and the ledger's new state are recorded
/// in one transaction first; its folder is then written beside its place and renamed; the ledger
/// then says it is written. A publish that finds an export recorded but not said to be written
/// writes its folder again from what was recorded (or, if the folder is already in place, only
/// says so) before anything else, so no change is lost or exported twice.
public struct Publisher {
    public let catalog: Catalog
    public let archive: any PublicationArchive
    public let folder: ExportFolder
    /// The pipeline's name, in each manifest.
    public let pipeline: String

    public init(catalog: Catalog, archive: any PublicationArchive, folder: ExportFolder, pipeline: String) {
        self.catalog = catalog
        self.archive = archive
        self.folder = folder
        self.pipeline = pipeline
    }

    /// What one publish did.
    public struct Outcome: Sendable {
        /// Exports an earlier, interrupted publish had recorded, now in place.
        public var recovered: [Int64] = []
        /// This publish's export; nil when nothing changed.
        public var export: Int64?
        public var counts: [String: ExportFolder.Counts] = [:]
    }

    /// Why a publish refuses to start.
    public enum Refusal: Error, CustomStringConvertible {
        /// An export as of a later day exists: publishing an earlier day would undo what the
        /// public already saw.
        case beforeLastExport(asked: String, last: String, export: Int64)

        public var description: String {
            switch self {
            case .beforeLastExport(let asked, let last, let export):
                "--as-of \(asked) is before export \(export), which was as of \(last); publish as of \(last) or later"
            }
        }
    }

    public func publish(asOf day: CivilDate) throws -> Outcome {
        var outcome = Outcome()
        for export in try archive.unwrittenExports() {
            if !folder.exists(export.id) {
                _ = try folder.write(export, changes: try archive.changes(ofExport: export.id), catalog: catalog,
                                     archive: archive, pipeline: pipeline)
            }
            try archive.markExportWritten(export.id)
            outcome.recovered.append(export.id)
        }
        if let last = try archive.lastExport(), last.asOf > day.description {
            throw Refusal.beforeLastExport(asked: day.description, last: last.asOf, export: last.id)
        }
        let changes = try PublicationPlan.changes(catalog: catalog, archive: archive, on: day)
        guard !changes.isEmpty else { return outcome }
        let record = try archive.recordExport(asOf: day.description, changes: changes)
        KillPoint.publicationRecorded.reach()
        // Written from what the ledger recorded, exactly as a recovery would write it.
        outcome.counts = try folder.write(record, changes: try archive.changes(ofExport: record.id), catalog: catalog,
                                          archive: archive, pipeline: pipeline)
        try archive.markExportWritten(record.id)
        outcome.export = record.id
        return outcome
    }
}
