import ArgumentParser
import CreditPipeline

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version of credit-etl and of the C libraries it is linked with.")

    func run() {
        print("credit-etl \(CreditETLVersion.text)")
        for (name, version) in LinkedLibraries.versions {
            print("  \(name) \(version)")
        }
    }
}

enum CreditETLVersion {
    static let text = "0.1.0"
}
