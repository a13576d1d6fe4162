import CreditCore
import Foundation

/// The archive's names and stored text forms, the same on both backends: the table and views of
/// an item, and the JSON the archive keeps headers, rejected records, `_raw` and `_extra` in.
public enum ArchiveSchema {
    /// The table accepted records of `item` go to.
    public static func tableName(forItem item: String) -> String { "item_\(item)" }

    /// The view of the current version of every record of `item` (withdrawn ones included, with
    /// `_withdrawn = 1`).
    public static func currentViewName(forItem item: String) -> String { "current_\(item)" }

    /// The view of what is published: current versions not withdrawn (a withdrawal ends a
    /// record's publication, spec §7.2).
    public static func publishedViewName(forItem item: String) -> String { "published_\(item)" }

    /// A JSON object of strings as the archive stores `_raw` and `_extra`; empty when absent
    /// (NULL). Text that is not such an object is a damaged archive, said so: read as empty, a
    /// record's received values would vanish from a trace or a feedback file without a word.
    public static func object(_ json: String?, in location: String) throws(ArchiveError) -> [String: String] {
        guard let json else { return [:] }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any],
              let strings = object as? [String: String] else { throw unreadableJSON(location, "an object of strings") }
        return strings
    }

    /// A JSON array of strings (a header, a rejected record's fields); empty when absent (NULL),
    /// an error when the text is not such an array (see ``object(_:in:)``).
    public static func array(_ json: String?, in location: String) throws(ArchiveError) -> [String] {
        guard let json else { return [] }
        guard let array = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [Any],
              let strings = array as? [String] else { throw unreadableJSON(location, "an array of strings") }
        return strings
    }

    /// A JSON array of strings as `json_group_array` / `json_agg` write it, sorted.
    public static func strings(_ json: String, in location: String) throws(ArchiveError) -> [String] {
        try array(json, in: location).sorted()
    }

    /// The error for stored JSON that does not read as `expected`. The text itself is not quoted:
    /// it holds record values.
    static func unreadableJSON(_ location: String, _ expected: String) -> ArchiveError {
        ArchiveError(.corrupt, path: location, message: "a stored JSON value is not \(expected); the archive may be "
            + "damaged: run credit-etl doctor, and restore a backup if it finds damage")
    }

    /// A rejected record's fields as received: a JSON array in header order, into `json` (emptied first).
    public static func receivedJSON(_ record: Int, _ fields: RecordBatch.Fields, into json: inout [UInt8]) {
        json.removeAll(keepingCapacity: true)
        json.append(0x5B)
        for column in 0..<fields.fieldCount(record) {
            guard let value = fields.field(record, column: column) else { continue }
            if column > 0 { json.append(0x2C) }
            JSONText.appendString(value, to: &json)
        }
        json.append(0x5D)
    }
}
