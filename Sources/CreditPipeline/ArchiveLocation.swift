import CreditArchive
import CreditArchivePostgres
import CreditArchiveSQLite
import Foundation

/// The one place an archive is opened from a pipeline's `archive:` setting: a file path opens
/// the embedded SQLite archive, a `postgresql://` URL the server's. Commands and reports then
/// ask the archive through its protocols and never name a backend.
public enum ArchiveLocation {
    /// Why an archive could not be opened for reading.
    public enum OpenError: Error, Sendable, CustomStringConvertible {
        /// There is no archive there yet: nothing has run.
        case missing(String)
        case archive(ArchiveError)

        public var description: String {
            switch self {
            case .missing(let message): message
            case .archive(let error): error.description
            }
        }
    }

    /// Opens the pipeline's archive for queries (reports, `subject`, `trace`); refuses a place
    /// where no run has written an archive, saying which command writes one.
    public static func openForQueries(_ configuration: PipelineConfiguration) throws(OpenError) -> any QueryArchive {
        if let url = configuration.postgresURL {
            // Read only: a database without the archive's tables is no archive yet.
            let location: String, exists: Bool
            do {
                let probe = try PostgresConnection(url)
                location = probe.location
                exists = try probe.query("SELECT to_regclass('runs')::text").first?[0] != nil
            } catch {
                throw .archive(error)
            }
            guard exists else {
                throw .missing("\(location): no archive yet; run `credit-etl run --worker \(configuration.file)` first")
            }
            do {
                return try PostgresArchive(url, name: "credit-etl query")
            } catch {
                throw .archive(error)
            }
        }
        guard FileManager.default.fileExists(atPath: configuration.archive) else {
            throw .missing("\(configuration.archive): no archive yet; run `credit-etl run \(configuration.file)` first")
        }
        do {
            return try Archive(path: configuration.archive)
        } catch {
            throw .archive(error)
        }
    }
}
