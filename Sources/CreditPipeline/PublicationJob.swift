import CreditArchive
import CreditArchivePostgres
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
        let archive: any PublicationArchive
        // One publish at a time: the archive's run lock on SQLite (no run writes meanwhile either),
        // an advisory lock on a server.
        var lock: RunLock?
        defer { withExtendedLifetime(lock) {} }
        if let url = configuration.postgresURL {
            do {
                let server = try PostgresArchive(url, name: "credit-etl publish")
                guard try server.takePublicationLock() else {
                    throw PipelineError(.locked, "\(server.location): another publish is running; try again when it ends")
                }
                archive = server
            } catch let error as ArchiveError {
                throw PipelineError(.archive, error.description)
            } catch let error as PipelineError {
                throw error
            } catch {
                throw PipelineError(.archive, "\(error)")
            }
        } else {
            guard FileManager.default.fileExists(atPath: configuration.archive) else {
                throw PipelineError(.inbox, "\(configuration.archive): no archive yet; run `credit-etl run \(configuration.file)` first")
            }
            lock = try RunLock(archive: configuration.archive)
            do {
                archive = try Archive(path: configuration.archive)
            } catch {
                throw PipelineError(.archive, error.description)
            }
        }
        // Made only once the archive is open and locked: a refused publish leaves no folder behind.
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw PipelineError(.report, "\(folder): cannot create the publication folder (\(error))")
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
