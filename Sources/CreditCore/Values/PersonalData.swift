/// Masks personal data (ID numbers, natural persons' names) before it leaves the archive.
///
/// Reports, feedback files and logs are read by many people; only the restricted archive keeps
/// the full value. The pattern keeps enough to let a department find its own record.
public enum PersonalData {
    /// `330203199001011234` → `3302**********1234`; short values keep one character each end.
    public static func maskIdentifier(_ value: String) -> String {
        let characters = Array(value)
        let keep = characters.count >= 12 ? 4 : (characters.count >= 4 ? 1 : 0)
        guard characters.count > keep * 2 else { return String(repeating: "*", count: characters.count) }
        let hidden = characters.count - keep * 2
        return String(characters.prefix(keep)) + String(repeating: "*", count: hidden) + String(characters.suffix(keep))
    }

    /// `张三` → `张*`, `欧阳娜娜` → `欧***`.
    public static func maskName(_ value: String) -> String {
        guard let first = value.first else { return value }
        return String(first) + String(repeating: "*", count: max(value.count - 1, 1))
    }
}
