import CreditArchive
import CreditArchiveSQLite
import CreditCatalog
import CreditCore
import CreditPublication
import Foundation

/// `credit-etl publish` for a pipeline: the archive's lock (no run, and no other publish, writes
/// meanwhile), the archive, and the pipeline's `publication:` folder.
public enum PublicationJob {
    public static func publish(configuration: PipelineConfiguration, catalog: Catalog,
                               asOf day: CivilDate) throws(PipelineError) -> Publisher.Outcome {
        guard let folder = configuration.publication else {
            throw PipelineError(.configuration, "\(configuration.file): no `publication:` folder; add one (publication: "
                                + "../var/publication) to say where exports go")
        }
        guard configuration.postgresURL == nil else {
            throw PipelineError(.configuration, "\(configuration.file): publishing from a PostgreSQL archive is not "
                                + "built yet (docs/publication.md); publish from the SQLite archive")
        }
        guard FileManager.default.fileExists(atPath: configuration.archive) else {
            throw PipelineError(.inbox, "\(configuration.archive): no archive yet; run `credit-etl run \(configuration.file)` first")
        }
        // Held until the job returns (released when the lock is freed).
        let lock = try RunLock(archive: configuration.archive)
        defer { withExtendedLifetime(lock) {} }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw PipelineError(.report, "\(folder): cannot create the publication folder (\(error))")
        }
        let archive: Archive
        do {
            archive = try Archive(path: configuration.archive)
        } catch {
            throw PipelineError(.archive, error.description)
        }
        let publisher = Publisher(catalog: catalog, archive: archive, folder: ExportFolder(root: folder),
                                  pipeline: configuration.name)
        do {
            return try publisher.publish(asOf: day)
        } catch let error as ArchiveError {
            throw PipelineError(.archive, error.description)
        } catch let refusal as Publisher.Refusal {
            throw PipelineError(.usage, refusal.description)
        } catch {
            throw PipelineError(.report, "\(folder): cannot write the export (\(error))")
        }
    }
}
