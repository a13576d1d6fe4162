import ArgumentParser
import CreditCore
import CreditPipeline
import CreditTools
import Foundation

struct CreditReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit-report",
        abstract: "Write a subject's 信用报告: a printable report of what is on record and public about it in a period.",
        discussion: """
            One section per catalog item with the subject's records on record and public in the \
            period, and an explicit statement where there is none (未发现行政处罚记录): what replaces \
            the 无违法违规证明. The report carries a digest of its content and the archive state it \
            was built from; `credit-etl verify-report <file>` says whether the archive still gives \
            the same report. Personal data is masked unless --unmasked.

            Exit codes: 0 written; 1 the archive holds nothing about the code; 64 not a valid USCC; \
            66 no archive; 73 cannot write; 74 the archive fails; 78 configuration.

            Examples:
              credit-etl credit-report 91330200MA2EL6266C --out reports/credit
              credit-etl credit-report 91330200MA2EL6266C --from 2024-01-01 --to 2026-12-31
            """)

    @Argument(help: "The subject's 统一社会信用代码.")
    var code: String

    @Option(name: .long, help: "The folder the report is written into.")
    var out = "."

    @Option(name: .long, help: "The first day covered (YYYY-MM-DD; default: three years before --to).")
    var from: String?

    @Option(name: .long, help: "The last day covered, and the report's date (YYYY-MM-DD; default: today).")
    var to: String?

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let last = try parsedDay(to, option: "--to") ?? .today()
        let first = try parsedDay(from, option: "--from") ?? last.adding(months: -36).adding(days: 1)
        guard first <= last else { throw ValidationError("--from \(first) is after --to \(last)") }
        let (configuration, catalog, store) = try archive.open()
        let parameters = SubjectReport.Parameters(code: code, from: first, to: last,
                                                  language: archive.resolvedLanguage(configuration), unmasked: archive.unmasked)
        let report: SubjectReport
        do {
            report = try SubjectReport.build(parameters, catalog: catalog, archive: store)
        } catch let refusal as SubjectReport.Refusal {
            printError(refusal.description)
            switch refusal {
            case .invalidCode: throw ExitCode(PipelineError.Code.usage.exitCode)
            case .unknownSubject: throw ExitCode(1)
            }
        } catch {
            printError("\(error)")
            throw ExitCode(PipelineError.Code.archive.exitCode)
        }
        let document = SubjectReportDocument(report)
        let path = (out as NSString).appendingPathComponent("credit-report-\(report.parameters.code)-\(last.description.replacingOccurrences(of: "-", with: "")).html")
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try OutputFile.replace(path, with: Data(document.html.utf8))
        } catch {
            printError("cannot write \(path): \(error.localizedDescription)")
            throw ExitCode(PipelineError.Code.output.exitCode)
        }
        print("\(document.number) \(path)")
    }
}

struct VerifyReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-report",
        abstract: "Say whether the archive still gives the same 信用报告 as a report file.",
        discussion: """
            Builds the report again from the archive, with what the file says it was built from \
            (code, period, language, masking), and compares the digests. Exit 0: the same report; \
            1: the archive now gives another report (the sections that differ are named), or the \
            file was changed after it was written; 65: the file is not such a report.

            Example:
              credit-etl verify-report reports/credit/credit-report-91330200MA2EL6266C-20261207.html
            """)

    @Argument(help: "A report written by credit-etl credit-report.")
    var file: String

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let html: String
        do {
            html = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            printError("cannot read \(file): \(error.localizedDescription)")
            throw ExitCode(PipelineError.Code.inbox.exitCode)
        }
        let (_, catalog, store) = try archive.open()
        let outcome: ReportVerification
        do {
            outcome = try ReportVerification.verify(html: html, catalog: catalog, archive: store)
        } catch let problem as ReportFileReading.Problem {
            printError("\(file): \(problem.description)")
            throw ExitCode(65)
        } catch {
            printError("\(error)")
            throw ExitCode(PipelineError.Code.archive.exitCode)
        }
        switch outcome {
        case .same(let digest, let run, let export):
            print("same: the archive (run \(run.map(String.init) ?? "—"), export \(export.map(String.init) ?? "—")) still gives this report (\(digest))")
        case .altered(let expected, let found):
            printError("\(file): altered: its content does not match its digest (\(expected)); it now digests to \(found)")
            throw ExitCode(1)
        case .differs(let sections, let digest):
            printError("\(file): differs: the archive now gives another report (\(digest)); changed: \(sections.joined(separator: ", "))")
            throw ExitCode(1)
        }
    }
}
