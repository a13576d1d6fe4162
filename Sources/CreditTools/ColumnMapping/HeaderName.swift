import CreditCatalog

/// How much a department's column name says about a catalog field, from 0 to 1, and why.
///
/// Departments name columns in four ways, tried in this order: the catalog's own names and
/// aliases (sure); the field's id in pinyin initials, with or without the item's prefix and
/// separators (`XDRMC` for `cf_xdr_mc`); English abbreviations of the Chinese name
/// (`PUNISH_DOC_NO` for 行政处罚决定书文号, compared word by word with the field's `name_en`);
/// and Chinese names of their own (`作出处罚决定日期`, compared by shared character pairs).
struct NameEvidence: Sendable, Hashable {
    enum Kind: String, Sendable {
        case catalogName = "catalog name"
        case pinyinID = "pinyin id"
        case englishName = "English name"
        case chineseName = "Chinese name"
    }

    var score: Double
    var kind: Kind

    static func of(header: String, field: FieldSpec, item: CatalogItem) -> NameEvidence? {
        if item.fieldIndex(forHeader: header).map({ item.fields[$0].id == field.id }) == true {
            return NameEvidence(score: 1, kind: .catalogName)
        }
        var best: NameEvidence?
        func consider(_ evidence: NameEvidence?) {
            if let evidence, evidence.score > (best?.score ?? 0) { best = evidence }
        }
        consider(pinyin(header: header, field: field, prefix: HeaderWords.prefix(of: item)))
        consider(english(header: header, field: field))
        consider(chinese(header: header, field: field))
        return best
    }

    /// `XDR_MC`, `xdrmc`, `CF_XDRMC` for `cf_xdr_mc`: the id's letters, separators and the item's
    /// prefix dropped. Only ASCII ids and aliases count (cf_xzjg, the 2016 id of cf_cfjg).
    static func pinyin(header: String, field: FieldSpec, prefix: String?) -> NameEvidence? {
        let folded = HeaderWords.alphanumerics(header)
        guard !folded.isEmpty else { return nil }
        for id in [field.id] + field.aliases where id.unicodeScalars.allSatisfy(\.isASCII) {
            let full = HeaderWords.alphanumerics(id)
            var forms = [full]
            if let prefix, id.hasPrefix(prefix + "_") { forms.append(HeaderWords.alphanumerics(String(id.dropFirst(prefix.count + 1)))) }
            if forms.contains(folded) { return NameEvidence(score: 0.95, kind: .pinyinID) }
        }
        return nil
    }

    /// Word by word against `name_en`: how many of the header's words the name explains, and how
    /// much of the name they cover. A header must match at least one word that says which field
    /// it is (`penalty`, `party`), not only what kind of value (`date`, `code`, `name`).
    static func english(header: String, field: FieldSpec) -> NameEvidence? {
        guard let nameEnglish = field.nameEnglish else { return nil }
        let headerWords = HeaderWords.split(header)
        guard !headerWords.isEmpty else { return nil }
        let nameWords = HeaderWords.nameWords(nameEnglish)
        guard !nameWords.isEmpty else { return nil }
        var matchedHeader = 0, distinctive = false
        var matchedName = Set<Int>()
        for word in headerWords {
            let hits = nameWords.indices.filter { HeaderWords.matches(word, nameWords[$0]) }
            if !hits.isEmpty {
                matchedHeader += 1
                matchedName.formUnion(hits)
                if hits.contains(where: { !HeaderWords.generic.contains(nameWords[$0]) }) { distinctive = true }
            } else if HeaderWords.saysKind(word, of: field.type) {
                // `DATE` in `VALID_DATE` says what the column holds, which the values confirm.
                matchedHeader += 1
            }
        }
        guard distinctive else { return nil }
        let score = 0.6 * Double(matchedHeader) / Double(headerWords.count)
            + 0.4 * Double(matchedName.count) / Double(nameWords.count)
        return NameEvidence(score: score, kind: .englishName)
    }

    /// Chinese names by the character pairs they share (Dice coefficient), against the name and
    /// every Chinese alias: `处罚决定书编号` and `行政处罚决定书文号` share 4 of 6 and 8 pairs.
    static func chinese(header: String, field: FieldSpec) -> NameEvidence? {
        let pairs = HeaderWords.hanPairs(header)
        guard !pairs.isEmpty else { return nil }
        var best = 0.0
        for name in [field.name] + field.aliases {
            let other = HeaderWords.hanPairs(name)
            guard !other.isEmpty else { continue }
            let shared = pairs.intersection(other).count
            best = max(best, 2 * Double(shared) / Double(pairs.count + other.count))
        }
        return best >= 0.4 ? NameEvidence(score: best, kind: .chineseName) : nil
    }
}

/// The words of headers and English names, and when two of them mean the same.
enum HeaderWords {
    /// Words that say what kind of value a column holds, not which field it is.
    static let generic: Set<String> = ["date", "time", "day", "code", "number", "name", "type", "category", "kind",
                                       "amount", "current", "data"]

    /// Words English names are built with that carry no meaning for matching.
    static let stopWords: Set<String> = ["of", "the", "and", "or", "a", "an", "in", "on", "for", "by", "to", "s", "yuan",
                                         "with", "as", "its"]

    /// Abbreviations common in database column names, to the words they stand for.
    static let abbreviations: [String: [String]] = [
        "no": ["number"], "num": ["number"], "nbr": ["number"], "nr": ["number"], "amt": ["amount"],
        "dt": ["date"], "tm": ["time"], "cd": ["code"], "nm": ["name"], "org": ["organization", "organ"],
        "reg": ["registration", "registered"], "rep": ["representative"], "repr": ["representative"],
        "id": ["identity", "identification"], "cert": ["certificate"], "doc": ["document"], "dept": ["department"],
        "auth": ["authority"], "admin": ["administrative"], "lic": ["licence"], "desc": ["description"],
        "typ": ["type"], "tp": ["type"], "cat": ["category"], "rmk": ["remark"], "src": ["source"],
        "uni": ["unified"], "soc": ["social"], "ent": ["enterprise"], "corp": ["enterprise"],
        "addr": ["address"], "cap": ["capital"], "pub": ["publication"], "exp": ["expiry"], "info": ["information"],
        "qty": ["quantity"], "ind": ["individual"], "biz": ["business"], "est": ["establishment"],
    ]

    /// Words Chinese government English uses interchangeably.
    static let synonymGroups: [Set<String>] = [
        ["penalty", "punish", "punishment", "penalize", "sanction"],
        ["illegal", "violation", "violate", "unlawful", "offence", "offense", "breach"],
        ["publication", "publicity", "publish", "published", "public", "disclosure", "announcement", "release"],
        ["authority", "organ", "agency", "office", "bureau"],
        ["unit", "department", "institution", "body"],
        ["type", "category", "kind", "class", "sort"],
        ["licence", "license", "permit", "licensing", "permission"],
        ["remark", "note", "comment", "memo"],
        ["status", "state"],
        ["basis", "ground", "according"],
        ["content", "detail", "result"],
        ["party", "counterpart", "subject"],
        ["confiscated", "confiscate", "confiscation", "forfeit", "seized"],
        ["fact", "circumstance"],
        ["end", "until", "deadline", "expiry", "expire", "expiration"],
        ["valid", "validity", "effective"],
        ["start", "begin", "from"],
        ["revoked", "revoke", "revocation", "suspended", "suspend"],
        ["enterprise", "company", "firm", "corporation"],
        ["taxpayer", "tax"],
        ["identity", "identification"],
    ]

    private static let synonyms: [String: Set<String>] = {
        var table: [String: Set<String>] = [:]
        for group in synonymGroups { for word in group { table[word, default: []].formUnion(group) } }
        return table
    }()

    /// The words of a header: split at anything not a letter or digit, at lower-to-upper case
    /// changes (`decisionDate`) and between letters and digits; lower case; numbers dropped.
    static func split(_ header: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        func flush() {
            if !current.isEmpty, !current.allSatisfy(\.isNumber) { words.append(stem(current.lowercased())) }
            current = ""
        }
        for character in header {
            guard character.isASCII, character.isLetter || character.isNumber else {
                flush()
                previous = nil
                continue
            }
            if let previous, (previous.isLowercase && character.isUppercase) || (previous.isLetter != character.isLetter) {
                flush()
            }
            current.append(character)
            previous = character
        }
        flush()
        return words
    }

    /// The words of an English field name, stop words dropped.
    static func nameWords(_ name: String) -> [String] {
        split(name).filter { !stopWords.contains($0) }
    }

    /// `facts` → `fact`, `remarks` → `remark`; `status` and `basis` stay.
    static func stem(_ word: String) -> String {
        guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is")
        else { return word }
        return String(word.dropLast())
    }

    /// Whether a header word stands for a name word: the same word, an abbreviation, a synonym,
    /// a prefix of at least three letters (`inst`), or its consonants in order (`amt`, `dcsn`).
    static func matches(_ word: String, _ nameWord: String) -> Bool {
        for candidate in [word] + (abbreviations[word] ?? []) {
            if candidate == nameWord || synonyms[candidate]?.contains(nameWord) == true { return true }
            if candidate.count >= 3, nameWord.hasPrefix(candidate) { return true }
            if candidate.count >= 3, candidate.first == nameWord.first, candidate.count * 2 >= nameWord.count,
               isSubsequence(candidate, of: nameWord) { return true }
            if candidate.count >= 4, synonyms[nameWord]?.contains(where: { $0.hasPrefix(candidate) }) == true { return true }
        }
        return false
    }

    /// Whether a header word names the kind of value `type` holds (`date` for dates).
    static func saysKind(_ word: String, of type: FieldType) -> Bool {
        let forms = Set([word] + (abbreviations[word] ?? []))
        switch type {
        case .date: return !forms.isDisjoint(with: ["date", "time", "day"])
        case .code: return !forms.isDisjoint(with: ["code", "number", "identity"])
        case .decimal: return !forms.isDisjoint(with: ["amount", "sum", "money", "value"])
        case .enumeration, .enumerationList: return !forms.isDisjoint(with: ["type", "category", "kind", "class", "status"])
        case .text: return !forms.isDisjoint(with: ["name", "text", "content", "description"])
        }
    }

    static func isSubsequence(_ short: String, of long: String) -> Bool {
        var rest = long[...]
        for character in short {
            guard let index = rest.firstIndex(of: character) else { return false }
            rest = rest[rest.index(after: index)...]
        }
        return true
    }

    /// Letters and digits only, lower case: `CF_XDR_MC` → `cfxdrmc`.
    static func alphanumerics(_ text: String) -> String {
        String(text.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }

    /// The item's id prefix (`cf` for 行政处罚's `cf_…` fields), if most fields share one.
    static func prefix(of item: CatalogItem) -> String? {
        var counts: [String: Int] = [:]
        for field in item.fields {
            if let first = field.id.split(separator: "_").first, field.id.contains("_") { counts[String(first), default: 0] += 1 }
        }
        guard let (prefix, count) = counts.max(by: { $0.value < $1.value }), count * 2 > item.fields.count else { return nil }
        return prefix
    }

    /// Pairs of adjacent Chinese characters.
    static func hanPairs(_ text: String) -> Set<String> {
        let han = text.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }.map(Character.init)
        guard han.count >= 2 else { return [] }
        return Set((0..<(han.count - 1)).map { String(han[$0]) + String(han[$0 + 1]) })
    }
}
