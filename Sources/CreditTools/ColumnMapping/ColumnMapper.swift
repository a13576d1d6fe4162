import CreditAdapters
import CreditCatalog
import CreditCore
import CreditPipeline
import Foundation

/// Proposes a feed's `columns:` for a department's export (`credit-etl catalog map`): which
/// catalog field each column carries, from its name and a sample of its values, with how sure
/// the proposal is and what it could not place.
///
/// ```
/// credit-etl catalog map export.csv --item admin_penalty
///     columns:
///       PUNISH_DOC_NO: cf_wsh  # high 0.91: English name "Penalty decision document number"; values fit text
/// ```
public struct ColumnMapping: Sendable {
    /// One column of the file, placed or not.
    public struct Column: Sendable {
        public var header: String
        /// The field proposed for it, if any.
        public var field: String?
        /// 0–1: how sure the proposal is.
        public var score: Double
        /// Why, in words (English: the output is YAML for the people maintaining the catalog).
        public var reason: String
        /// Another free field the column fits almost as well: a proposal to check by hand.
        public var rival: String?

        public var confidence: String {
            if rival != nil, score < 0.95 { return score >= 0.8 ? "medium" : "low" }
            return score >= 0.8 ? "high" : score >= 0.6 ? "medium" : "low"
        }
    }

    public var item: CatalogItem
    public var columns: [Column]
    /// Records the values were sampled from.
    public var sampled: Int
    /// Fields no column was placed on.
    public var unplacedFields: [FieldSpec] {
        let placed = Set(columns.compactMap(\.field))
        return item.fields.filter { !placed.contains($0.id) }
    }

    /// The least score a proposal needs.
    static let threshold = 0.4

    /// Reads the header and up to `sample` records of `path` as `feed` says, and proposes.
    public static func propose(path: String, feed: Feed, item: CatalogItem, sample: Int = 1000,
                               today: CivilDate) throws(AdapterError) -> ColumnMapping {
        let (header, values, sampled) = try Self.sample(path: path, feed: feed, item: item, limit: sample)
        var profiles = [ColumnProfile](repeating: ColumnProfile(), count: header.count)
        for (column, list) in values.enumerated() {
            for value in list { profiles[column].add(value, today: today) }
        }
        return propose(header: header, profiles: profiles, item: item, sampled: sampled)
    }

    static func propose(header: [String], profiles: [ColumnProfile], item: CatalogItem, sampled: Int) -> ColumnMapping {
        struct Candidate {
            var column: Int
            var field: Int
            var score: Double
            var reason: String
        }
        var candidates: [Candidate] = []
        for (column, name) in header.enumerated() {
            let shape = profiles[column].shape
            for (index, field) in item.fields.enumerated() {
                // Values of a plain shape the field cannot hold veto it, whatever the name says.
                if let shape, !ColumnProfile.field(field, canHold: shape) { continue }
                let evidence = NameEvidence.of(header: name, field: field, item: item)
                let fit = profiles[column].fit(field)
                guard let (score, reason) = Self.score(name: evidence, fit: fit, field: field) else { continue }
                candidates.append(Candidate(column: column, field: index, score: score, reason: reason))
            }
        }
        // Greedy, surest first: each column carries one field and each field comes from one column.
        candidates.sort { ($0.score, -$0.column, -$0.field) > ($1.score, -$1.column, -$1.field) }
        var columns = header.map { Column(header: $0, field: nil, score: 0, reason: "", rival: nil) }
        var takenFields = Set<Int>()
        var placed = Set<Int>()
        for candidate in candidates where candidate.score >= threshold {
            guard !placed.contains(candidate.column), !takenFields.contains(candidate.field) else { continue }
            placed.insert(candidate.column)
            takenFields.insert(candidate.field)
            columns[candidate.column].field = item.fields[candidate.field].id
            columns[candidate.column].score = candidate.score
            columns[candidate.column].reason = candidate.reason
        }
        // A proposal is doubtful when a field nothing else took fits the column almost as well.
        for candidate in candidates where placed.contains(candidate.column) && !takenFields.contains(candidate.field) {
            let column = columns[candidate.column]
            if column.rival == nil, candidate.score >= threshold, column.score - candidate.score < 0.05 {
                columns[candidate.column].rival = item.fields[candidate.field].id
            }
        }
        // Columns left over: say what their values look like, to help place them by hand.
        for index in columns.indices where columns[index].field == nil {
            columns[index].reason = profiles[index].values == 0 ? "empty in the sample"
                : "no free field's name matches; \(profiles[index].summary)"
        }
        return ColumnMapping(item: item, columns: columns, sampled: sampled)
    }

    /// The highest score of a proposal from a name alone (no values sampled): below "medium",
    /// since a name that looks right over an empty column is a guess to check by hand.
    static let nameOnlyCeiling = 0.59

    /// Name and values together. Codes and enums may be placed by their values alone; text,
    /// dates, amounts and other codes need a name that agrees, since their values look alike.
    static func score(name: NameEvidence?, fit: Double?, field: FieldSpec) -> (Double, String)? {
        let nameScore = name?.score ?? 0
        var reason = name.map { evidence -> String in
            switch evidence.kind {
            case .catalogName, .pinyinID: "\(evidence.kind.rawValue)"
            case .englishName: "English name \"\(field.nameEnglish ?? "")\""
            case .chineseName: "Chinese name \(field.name)"
            }
        } ?? "values only"
        if let fit { reason += String(format: "; values %.0f%% %@", fit * 100, field.type.spelling) } else { reason += "; no values sampled" }
        if name?.kind == .catalogName {
            // The catalog's own name: sure, unless the values disagree (then a guess to check).
            return (fit.map { $0 < 0.5 ? 0.5 : 1 } ?? 1, reason)
        }
        let score: Double
        if ColumnProfile.isDistinctive(field) {
            guard let fit else { return name == nil ? nil : (min(0.8 * nameScore, nameOnlyCeiling), reason) }
            guard fit >= 0.5 else { return nil }
            score = 0.45 * fit + 0.55 * nameScore
        } else {
            guard name != nil else { return nil }
            if let fit {
                guard fit >= 0.3 else { return nil }
                score = nameScore * (0.4 + 0.6 * fit)
            } else {
                score = min(0.8 * nameScore, nameOnlyCeiling)
            }
        }
        return score > 0 ? (score, reason) : nil
    }

    /// The header and the first `limit` records' values, column by column. XML and JSON keys
    /// become columns as they first appear (a record's keys in alphabetical order).
    static func sample(path: String, feed: Feed, item: CatalogItem, limit: Int) throws(AdapterError)
        -> (header: [String], values: [[String]], sampled: Int)
    {
        var plain = feed
        plain.columns = [:]
        // XML and JSON: an item without fields keeps every key in the `_extra` column.
        let reading = feed.format == .csv ? item : item.with { $0.fields = [] }
        let source = try FeedFile.open(path: path, displayPath: path, feed: plain, item: reading)
        var batch = RecordBatch()
        var header = feed.format == .csv ? source.header : []
        var values: [[String]] = Array(repeating: [], count: header.count)
        var keyColumns: [String: Int] = [:]
        var sampled = 0
        while sampled < limit, try source.next(into: &batch) {
            batch.withFields { fields in
                for record in 0..<fields.count where sampled < limit {
                    sampled += 1
                    if feed.format == .csv {
                        for column in 0..<min(fields.fieldCount(record), header.count) {
                            values[column].append(String(decoding: fields.field(record, column: column)!, as: UTF8.self))
                        }
                        continue
                    }
                    guard let extra = fields.field(record, column: fields.fieldCount(record) - 1),
                          let object = (try? JSONSerialization.jsonObject(with: Data(extra))) as? [String: Any]
                    else { continue }
                    for (key, value) in object.sorted(by: { $0.key < $1.key }) {
                        let column: Int
                        if let known = keyColumns[key] {
                            column = known
                        } else {
                            column = header.count
                            keyColumns[key] = column
                            header.append(key)
                            values.append([])
                        }
                        values[column].append(value as? String ?? "\(value)")
                    }
                }
            }
        }
        return (header, values, sampled)
    }
}

extension ColumnMapping {
    /// The proposal as YAML to paste under a feed of `catalogs/feeds.yaml` (`columns:` indented
    /// as a feed's key), with what could not be placed as comments.
    public func yaml(file: String) -> String {
        var lines = ["# credit-etl catalog map: \(file) as \(item.name) (\(item.id)), \(sampled) records sampled",
                     "# Paste under the department's feed in catalogs/feeds.yaml; check every proposal not marked high."]
        let placed = columns.filter { $0.field != nil }
        if placed.isEmpty {
            lines.append("# No column could be placed: is this an export of \(item.name)?")
        } else {
            lines.append("    columns:")
            let width = placed.map { Self.displayWidth(Self.yamlKey($0.header)) + $0.field!.count }.max() ?? 0
            for column in placed {
                let entry = "\(Self.yamlKey(column.header)): \(column.field!)"
                var comment = "\(column.confidence) \(String(format: "%.2f", column.score)): \(column.reason)"
                if let rival = column.rival { comment += "; \(rival) fits almost as well" }
                lines.append("      " + entry + String(repeating: " ", count: max(1, width + 3 - Self.displayWidth(entry)))
                    + "# " + comment)
            }
        }
        let unplaced = columns.filter { $0.field == nil }
        if !unplaced.isEmpty {
            lines.append("# Columns not placed (archived beside each record, unvalidated, unless mapped by hand):")
            for column in unplaced { lines.append("#   \(column.header): \(column.reason)") }
        }
        let missing = unplacedFields
        if !missing.isEmpty {
            lines.append("# Fields no column carries:")
            for field in missing {
                let need = field.required ? "required: every record fails REQUIRED until a column carries it"
                    : !field.requiredWhen.isEmpty ? "required in some records" : "optional"
                lines.append("#   \(field.id) \(field.name): \(need)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Columns a text takes on a terminal: Chinese characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ((0x1100...0xFFEF).contains($1.value) ? 2 : 1) }
    }

    /// A header as a YAML key: plain when it is letters, digits, `_`, `-`, `.`, brackets and
    /// Chinese characters (and not a word YAML reads as true, false or null), else double-quoted.
    static func yamlKey(_ header: String) -> String {
        let plain = !header.isEmpty && header.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-.()（）".unicodeScalars.contains(scalar)
        } && header.unicodeScalars.first.map { !("0"..."9").contains($0) && $0 != "-" && $0 != "." } == true
        let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]
        if plain, !reserved.contains(header.lowercased()) { return header }
        var quoted = "\""
        for scalar in header.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where scalar.value < 0x20: quoted += String(format: "\\x%02X", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
