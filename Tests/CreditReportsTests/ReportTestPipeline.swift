import CreditCore
import CreditPipeline
import TestSupport

/// The pipeline the report tests run in process: the repository's catalog over `directory/inbox`,
/// an SQLite archive and reports beside it, no settle wait.
enum ReportTestPipeline {
    static func configuration(in directory: TemporaryDirectory, language: Language = .zh) -> PipelineConfiguration {
        PipelineConfiguration(
            file: directory.file("p.yaml"), name: "nightly", catalog: Repository.path("catalogs"),
            inbox: directory.file("inbox"), archive: directory.file("a.sqlite"), reports: directory.file("reports"),
            language: language, settleSeconds: 0)
    }
}
