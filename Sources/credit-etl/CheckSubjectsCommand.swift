import ArgumentParser
import CreditCore
import CreditPipeline
import CreditTools
import Foundation

struct CheckSubjectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-subjects",
        abstract: "Check a list of subjects against the archive (信用核查): found or not, and each standing with its basis.",
        discussion: """
            The list is a CSV (UTF-8 or GB18030) or an Excel workbook (.xlsx) whose first row names \
            its columns: a code column (统一社会信用代码, or 身份证号码 for persons) and/or a name column \
            (名称), found as `catalog map` finds a feed's. Every row gets an answer in the list's \
            order: found, not found, a name with several codes, an invalid code, a repeated row. \
            Writes check-subjects.csv and check-subjects.html into --out. ID numbers and natural \
            persons' names are masked unless --unmasked.

            Exit codes: 0 the results are written (whatever they say); 2 the list cannot be read; \
            65 the list has no code or name column (the results, each row saying so, are written); \
            66 no archive; 73 the results cannot be written; 74 the archive fails; 78 configuration.

            Examples:
              credit-etl check-subjects bidders.xlsx --out checks/2026-12-07
              credit-etl check-subjects 申请人名单.csv --on 2026-11-30 --pipeline pipelines/nightly.yaml
            """)

    @Argument(help: "The list of subjects: a .csv or .xlsx file.")
    var list: String

    @Option(name: .long, help: "The folder the results are written into.")
    var out = "."

    @Option(name: .long, help: "The day standings are judged on (YYYY-MM-DD; default: today).")
    var on: String?

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let day = try parsedDay(on, option: "--on") ?? .today()
        let (configuration, catalog) = try ArchiveOptions.load(pipeline: archive.pipeline)
        let subjects: SubjectList
        do {
            subjects = try SubjectList.read(path: list, today: day, reference: catalog.identifiers)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let store = try ArchiveOptions.openArchive(configuration)
        let results: [SubjectCheck.Result]
        do {
            results = try SubjectCheck(catalog: catalog, archive: store, on: day).check(subjects)
        } catch {
            printError(error.description)
            throw ExitCode(PipelineError.Code.archive.exitCode)
        }
        let language = archive.resolvedLanguage(configuration)
        let output = SubjectCheckOutput(list: subjects, results: results, catalog: catalog, day: day, language: language,
                                        unmasked: archive.unmasked)
        let written: (csv: String, html: String)
        do {
            written = try output.write(into: out)
        } catch {
            printError("cannot write the results into \(out): \(error.localizedDescription)")
            throw ExitCode(PipelineError.Code.output.exitCode)
        }
        var counts: [SubjectCheck.Verdict: Int] = [:]
        for result in results { counts[result.verdict, default: 0] += 1 }
        let summary = SubjectCheck.Verdict.allCases.compactMap { verdict in
            counts[verdict].map { "\(verdict.text(language)) \($0)" }
        }.joined(separator: ", ")
        print("\(results.count) rows: \(summary)")
        print(written.csv)
        print(written.html)
        if subjects.codeColumn == nil, subjects.idColumn == nil, subjects.nameColumn == nil {
            printError("\(list): no column of the list reads as a code (统一社会信用代码, 身份证号码) or a name (名称); "
                       + "name them in the first row")
            throw ExitCode(65)
        }
    }
}
