/// The columns (CSV) or keys (XML, JSON) 问题数据反馈 adds after a department's own, in Chinese
/// and in English. When a department sends its feedback back corrected, they are recognised and
/// not archived: but only all three together, so a department's own column of such a name is
/// never dropped.
public enum FeedbackColumns {
    public static let chinese = ["原行号", "问题规则", "问题说明"]
    public static let english = ["source_line", "rules", "problems"]

    public static func names(_ language: Language) -> [String] { language == .zh ? chinese : english }

    /// Whether `key` is one of the six names.
    public static func contains(_ key: String) -> Bool { chinese.contains(key) || english.contains(key) }

    /// Whether `keys` hold one language's three names.
    public static func complete(_ keys: some Sequence<String>) -> Bool {
        let set = Set(keys)
        return chinese.allSatisfy(set.contains) || english.allSatisfy(set.contains)
    }
}
