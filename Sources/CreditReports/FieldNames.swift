import CreditCatalog
import CreditCore
import CreditValidation

/// Gives findings the catalog's names of their fields and their rules' summaries, so that the
/// report reads `处罚决定日期` where the archive stores `cf_jdrq`, and the HTML needs nothing but
/// `report.json`.
struct FieldNames {
    let catalog: Catalog
    let language: Language

    /// The name of field `id` in `item`, or in the first item (by id) that has it when the finding
    /// is counted over several items; nil when no item has it (a department's unknown column).
    func name(of id: String, item: String?) -> String? {
        let candidates = item.flatMap { catalog.items[$0] }.map { [$0] }
            ?? catalog.items.keys.sorted().compactMap { catalog.items[$0] }
        for candidate in candidates {
            if let field = candidate.fields.first(where: { $0.id == id }) {
                return language == .zh ? field.name : (field.nameEnglish ?? field.name)
            }
        }
        return nil
    }

    func named(_ figures: RunReport.Figures, item: String?) -> RunReport.Figures {
        var figures = figures
        figures.findings = figures.findings.map { count in
            var count = count
            count.fieldName = count.field.flatMap { name(of: $0, item: item) }
            count.summary = RuleDescription.describing(RuleID(count.rule))?.summary.text(language)
            return count
        }
        return figures
    }
}
