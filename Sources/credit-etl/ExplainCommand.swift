import ArgumentParser
import CreditCore
import CreditValidation

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "List every validation rule, or explain one: what it checks, how severe it is and why.",
        discussion: """
            Errors make a record non-compliant (合规率); warnings are reported and the record stays \
            compliant.

            Examples:
              credit-etl explain
              credit-etl explain USCC_CHECK
              credit-etl explain TIMELINESS_LATE --language en
            """)

    @Argument(help: "A rule id such as USCC_CHECK (default: list every rule).")
    var rule: String?

    @Option(name: .long, help: "Language: zh or en.")
    var language: Language = .zh

    func run() throws {
        let zh = language == .zh
        guard let rule else {
            let descriptions = RuleDescription.all.values.sorted { $0.id < $1.id }
            let width = descriptions.map(\.id.rawValue.count).max() ?? 0
            for description in descriptions {
                let id = description.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                let severity = description.severity == .error ? (zh ? "错误" : "error  ") : (zh ? "警告" : "warning")
                print("\(id)  \(severity)  \(description.summary.text(language))")
            }
            return
        }
        guard let description = RuleDescription.describing(RuleID(rule.uppercased())) else {
            printError(zh ? "没有规则 \(rule)；运行 credit-etl explain 查看全部规则。"
                          : "no rule \(rule); run credit-etl explain to list them.")
            throw ExitCode(1)
        }
        let severity = description.severity == .error
            ? (zh ? "错误（记录计为不合规）" : "error (the record is non-compliant)")
            : (zh ? "警告（记录仍计为合规）" : "warning (the record stays compliant)")
        print("\(description.id)  \(description.summary.text(language))")
        print((zh ? "级别：" : "Severity: ") + severity)
        print(description.rationale.text(language))
    }
}
