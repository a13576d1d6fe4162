import CreditArchive
import CreditArchivePostgres
import CreditArchiveSQLite
import CreditCatalog
import CreditCore
import CreditPipeline
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What an operator checks before trusting a night to the job: libraries, catalog, the calendar's
/// years, the archive's integrity, free disk, the run lock, runs left unfinished.
/// `credit-etl doctor` prints it; problems make it exit 1, warnings do not.
public struct Doctor {
    public enum Status: String, Sendable { case ok, warning, problem }

    public struct Check: Sendable {
        public var name: String
        public var status: Status
        public var detail: String
    }

    public private(set) var checks: [Check] = []

    public var hasProblems: Bool { checks.contains { $0.status == .problem } }

    /// Runs every check for the pipeline file (its catalog and archive) as of `today`.
    public init(pipeline file: String, today: CivilDate) {
        for (name, version) in LinkedLibraries.versions {
            add("library \(name)", .ok, version)
        }
        let (configuration, problems) = PipelineCheck.problems(file: file)
        if problems.isEmpty {
            add("pipeline file", .ok, file)
        } else {
            add("pipeline file", .problem, "\(problems.count) problem(s); run `credit-etl check-pipeline \(file)`:\n"
                + problems.prefix(5).map { "    \($0)" }.joined(separator: "\n"))
        }
        guard let configuration else { return }
        if let catalog = try? Catalog.load(directory: configuration.catalog) {
            add("catalog", .ok, "\(catalog.items.count) items, \(catalog.feeds.count) feeds, "
                + "\(catalog.departments.count) departments (\(configuration.catalog))")
            checkCalendar(catalog, today: today)
        }
        checkArchive(configuration)
    }

    private mutating func add(_ name: String, _ status: Status, _ detail: String) {
        checks.append(Check(name: name, status: status, detail: detail))
    }

    /// Deadlines fall up to a few weeks after decisions: from December, next year must be covered.
    private mutating func checkCalendar(_ catalog: Catalog, today: CivilDate) {
        guard let calendar = catalog.calendar else {
            add("working-day calendar", .problem, "the catalog has none: every timeliness verdict is unknown")
            return
        }
        let covered = "\(calendar.years.lowerBound)–\(calendar.years.upperBound)"
        let howTo = "add the State Council's holiday notice for that year to catalogs/reference/cn-official-calendar.csv "
            + "(see catalogs/README.md), then `credit-etl catalog check catalogs`"
        if !calendar.years.contains(today.year) {
            add("working-day calendar", .problem, "covers \(covered), not this year (\(today.year)): timeliness is "
                + "unknown; \(howTo)")
        } else if !calendar.years.contains(today.year + 1) {
            let lateInYear = today.month == 12 || (today.month == 11 && today.day >= 15)
            add("working-day calendar", lateInYear ? .warning : .ok, "covers \(covered)"
                + (lateInYear ? "; decisions from mid-December have deadlines in \(today.year + 1), which will be "
                    + "unknown: \(howTo)" : ""))
        } else {
            add("working-day calendar", .ok, "covers \(covered)")
        }
    }

    private mutating func checkArchive(_ configuration: PipelineConfiguration) {
        if let url = configuration.postgresURL { return checkPostgres(url) }
        let path = configuration.archive
        let folder = (path as NSString).deletingLastPathComponent
        var fs = statvfs()
        if statvfs(FileManager.default.fileExists(atPath: folder) ? folder : "/", &fs) == 0 {
            let free = Double(fs.f_bavail) * Double(fs.f_frsize)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Double) ?? 0
            // A night's transaction and its WAL need room beside the archive.
            let low = free < 1_073_741_824 || free < size
            add("free disk", low ? .warning : .ok, String(format: "%.1f GiB free beside the archive (archive %.1f GiB)",
                                                          free / 1_073_741_824, size / 1_073_741_824))
        }
        guard FileManager.default.fileExists(atPath: path) else {
            add("archive", .ok, "\(path): not created yet; the first run creates it")
            return
        }
        do {
            let inspection = try ArchiveInspection(path: path)
            let result = inspection.integrity
            add("archive integrity", result == ["ok"] ? .ok : .problem,
                result == ["ok"] ? path : "\(path): " + result.joined(separator: "; ") + "; restore it from a backup")
            let unfinished = inspection.unfinishedRuns
            add("unfinished runs", unfinished.isEmpty ? .ok : .warning,
                unfinished.isEmpty ? "none" : unfinished.joined(separator: "; ")
                    + ": their committed files are kept; the next run adopts them and reports them")
        } catch {
            add("archive integrity", .problem, "\(path): cannot be read (\(error))")
        }
        checkLock(path + ".lock")
    }

    /// The PostgreSQL archive: the server answers, the schema is there, and whether a run is open
    /// (its workers' files still pending). Read only: the first worker creates the schema.
    private mutating func checkPostgres(_ url: String) {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(url)
        } catch {
            add("archive", .problem, error.description)
            return
        }
        do {
            guard try connection.query("SELECT to_regclass('schema_migrations')::text").first?[0] != nil else {
                add("archive", .ok, "\(connection.location): empty; the first worker creates the tables")
                return
            }
            let applied = try connection.query("SELECT name FROM schema_migrations ORDER BY name").compactMap { $0[0] }
            add("archive", .ok, "\(connection.location): schema \(applied.joined(separator: ", "))")
            let open = try connection.query("""
                SELECT r.id, r.started_at, count(q.seq) FILTER (WHERE q.state = 'pending'), count(q.seq)
                FROM runs r LEFT JOIN run_queue q ON q.run_id = r.id
                WHERE r.status = 'running' GROUP BY r.id, r.started_at ORDER BY r.id
                """).map { "run \($0[0] ?? "?") (started \($0[1] ?? "?")): \($0[2] ?? "?") of \($0[3] ?? "?") files pending" }
            add("unfinished runs", open.isEmpty ? .ok : .warning, open.isEmpty ? "none"
                : open.joined(separator: "; ") + "; start a worker to finish it if none is running")
        } catch {
            add("archive", .problem, error.description)
        }
    }

    /// Whether a run holds the lock now: tried without taking it for long.
    private mutating func checkLock(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            add("run lock", .ok, "free (no run has taken it yet)")
            return
        }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        let holder = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : "a run"
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            add("run lock", .ok, "free")
        } else {
            add("run lock", .warning, "held: \(holder) is in progress")
        }
    }
}
