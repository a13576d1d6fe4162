import ArgumentParser
import CreditCore
import CreditPipeline
import CreditTools

struct CheckPipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-pipeline",
        abstract: "Check a pipeline file without running it: every mistake at once, with file:line:column.",
        discussion: """
            Checks the file's keys, the catalog it names, that the inbox exists and that the archive, \
            reports and quarantine folders can be written. Exit 0 when it is ready, 78 when not.

            Example:
              credit-etl check-pipeline pipelines/nightly.yaml
            """)

    @Argument(help: "The pipeline file.")
    var pipeline: String

    func run() throws {
        let (configuration, problems) = PipelineCheck.problems(file: pipeline)
        guard problems.isEmpty, let configuration else {
            for problem in problems { printError(problem.description) }
            printError("\(pipeline): \(problems.count) problem\(problems.count == 1 ? "" : "s")")
            throw ExitCode(PipelineError.Code.configuration.exitCode)
        }
        print("\(pipeline): ready")
        print("  catalog     \(configuration.catalog)")
        print("  inbox       \(configuration.inbox)")
        print("  archive     \(configuration.archive)")
        print("  reports     \(configuration.reports)")
        print("  quarantine  \(configuration.quarantine)")
    }
}

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what a night's run depends on: libraries, catalog, calendar, archive, disk, lock.",
        discussion: """
            Prints one line per check (ok, warning, problem). Exit 1 when a check found a problem, \
            0 otherwise (warnings included).

            Example:
              credit-etl doctor pipelines/nightly.yaml
            """)

    @Argument(help: "The pipeline file.")
    var pipeline = "pipelines/nightly.yaml"

    @Option(name: .long, help: "Check as of this date (YYYY-MM-DD) instead of today, in Asia/Shanghai.")
    var date: String?

    func run() throws {
        var today = CivilDate.today()
        if let date {
            guard case .date(let parsed, _) = CivilDate.parse(date) else {
                throw ValidationError("--date must be YYYY-MM-DD.")
            }
            today = parsed
        }
        let doctor = Doctor(pipeline: pipeline, today: today)
        let width = doctor.checks.map(\.name.count).max() ?? 0
        for check in doctor.checks {
            let mark = switch check.status {
            case .ok: "ok     "
            case .warning: "warning"
            case .problem: "problem"
            }
            print("\(mark)  \(check.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(check.detail)")
        }
        if doctor.hasProblems { throw ExitCode(1) }
    }
}
