import CreditCore

/// The canonical form every check takes: full-width forms folded to ASCII, upper case, with
/// spaces, tabs and hyphens removed (`９１３３０２００-ma2el6266c` → `91330200MA2EL6266C`).
public enum IdentifierText {
    public static func canonical(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var text = text
        text.withUTF8 { CodeCanonicalForm.append($0, to: &output) }
        return output
    }
}
