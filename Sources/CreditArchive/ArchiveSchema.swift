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

    /// A JSON object of strings as the archive stores `_raw` and `_extra`; empty when absent.
    public static func object(_ json: String?) -> [String: String] {
        guard let data = json?.data(using: .utf8),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }

    /// A JSON array of strings (a header, a rejected record's fields); empty when absent.
    public static func array(_ json: String?) -> [String] {
        guard let data = json?.data(using: .utf8),
              let array = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else { return [] }
        return array.map { $0 as? String ?? "" }
    }

    /// A JSON array of strings as `json_group_array` / `json_agg` write it, sorted.
    public static func strings(_ json: String) -> [String] {
        array(json).sorted()
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
