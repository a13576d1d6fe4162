import ArgumentParser
import CreditCatalog
import CreditCore
import CreditPipeline
import CreditTools

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write synthetic records of an item, with planted defects and their ground truth (truth.csv).",
        discussion: """
            Clean records are valid against the catalog by construction; at --defect-rate a record \
            gets one planted defect (REQUIRED, DATE_FORMAT, USCC_CHECK, ENUM_VALUE, DECIMAL_FORMAT, \
            DUP_RECORD), listed in truth.csv as record,line,field,defect,rule. The same seed \
            always writes the same file. XML records are <DATA><ROW>, JSON an array of objects.

            Example:
              credit-etl synth --item admin_penalty --records 100000 --format xml --encoding gb18030 \\
                --defect-rate 0.05 --seed 7 --out /tmp/synth

            Nights that name the same subjects (a 1.2 million-entity city, two nights):
              credit-etl synth --item admin_penalty --records 10000 --population 1200000 --seed 1 \\
                --date 2026-11-20 --out /tmp/night1
              credit-etl synth --item admin_penalty --records 10000 --population 1200000 --seed 2 \\
                --date 2026-11-21 --out /tmp/night2
            """)

    @Option(name: .long, help: "The catalog item, such as admin_penalty.")
    var item: String

    @Option(name: .long, help: "How many records.")
    var records: Int

    @Option(name: .long, help: "csv, xml or json.")
    var format: SourceFormat = .csv

    @Option(name: .long, help: "utf-8 or gb18030.")
    var encoding: String = "utf-8"

    @Option(name: .long, help: "Share of records with a planted defect, 0 to 1.")
    var defectRate: Double = 0.05

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "The submission date the file name carries (YYYY-MM-DD); decisions fall the day before.")
    var date: String?

    @Option(name: .long, help: "Output folder.")
    var out: String

    @Option(name: .long, help: "The catalog folder.")
    var catalog = "catalogs"

    @Option(name: .long, help: ArgumentHelp("Draw subjects from a stable population of this many legal entities.",
                                            discussion: "A subject keeps its code and name whatever the seed, item or night; half the records name one of the population's first tenth (repeat subjects, as in real feeds), and a registry lists each subject once. 0, the default, gives every record a new subject."))
    var population = 0

    func validate() throws {
        guard records >= 0 else { throw ValidationError("Please give --records of at least 0.") }
        guard population >= 0 else { throw ValidationError("Please give --population of at least 0 (0: a new subject per record).") }
        guard (0...1).contains(defectRate) else { throw ValidationError("Please give a --defect-rate from 0 to 1.") }
        guard ["utf-8", "utf8", "gb18030", "gbk"].contains(encoding.lowercased()) else {
            throw ValidationError("Please give --encoding utf-8 or gb18030.")
        }
    }

    func run() throws {
        let (_, item) = try CatalogItemLookup.load(catalog: self.catalog, item: self.item)
        var submitted = CivilDate(year: 2026, month: 11, day: 20)!
        if let date {
            guard case .date(let parsed, _) = CivilDate.parse(date) else { throw ValidationError("--date must be YYYY-MM-DD.") }
            submitted = parsed
        }
        var synthesizer = Synthesizer(item: item, submitted: submitted, defectRate: defectRate, seed: seed,
                                      population: population > 0 ? SubjectPopulation(size: population) : nil)
        let written = try synthesizer.write(count: records, format: format,
                                            gb18030: encoding.lowercased().hasPrefix("gb"), to: out)
        print("\(written.path): \(records) records, \(written.truth.count) with a planted defect (truth.csv beside it)")
    }
}
