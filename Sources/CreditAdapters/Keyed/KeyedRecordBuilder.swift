import CreditCore

/// Assembles records whose fields come by name (XML child elements and attributes, JSON keys)
/// into a ``RecordBatch`` with a fixed column order, so that validation and the archive see them
/// exactly as they see CSV rows.
///
/// Columns are the names the builder was given (an item's field ids), then one last column,
/// ``extraColumn``, holding the keys no column answers to as a JSON object: nothing is dropped.
public struct KeyedRecordBuilder {
    /// The name of the last column: unknown keys and their values, as a JSON object.
    public static let extraColumn = "_extra"

    /// The header the records are laid out in.
    public let header: [String]
    private let resolve: @Sendable (String) -> Int?
    private var cache: [String: Int?] = [:]
    private var values: [[UInt8]]
    private var present: [Bool]
    private var extra: [UInt8] = []
    /// Whether a key given twice in one record joins its values with `;` (XML: repeated elements
    /// such as several 处罚类别) or is refused (JSON: an object's keys are unique, so a repeat is
    /// an ambiguity no reader can settle).
    public var joinsRepeatedKeys = true
    /// The unknown keys of the record under construction, kept only to find repeats.
    private var extraKeys: Set<String> = []
    /// Unknown keys named like the feedback's added columns, for the record under construction.
    private var feedback: [(key: String, value: [UInt8])] = []
    /// The longest value a record may hold (the item's `max_field_bytes`): a longer one is not
    /// kept, and ``oversized`` names its key so the source stops the file.
    public var maximumValueBytes = Int.max
    /// The key of the first value of the current record longer than ``maximumValueBytes``.
    public private(set) var oversized: String?

    /// - Parameters:
    ///   - columns: the column names, in order (an item's field ids).
    ///   - resolve: the column a key names (by id, name, alias or feed column name), or nil.
    public init(columns: [String], resolve: @escaping @Sendable (String) -> Int?) {
        header = columns + [Self.extraColumn]
        self.resolve = resolve
        values = Array(repeating: [], count: columns.count)
        present = Array(repeating: false, count: columns.count)
    }

    /// Sets one field of the record under construction. A second value for the same column is
    /// joined with `;` (repeated XML elements, such as several 处罚类别); unless repeats are not
    /// joined, when it is dropped and `false` returned.
    @discardableResult
    public mutating func set(key: String, value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard value.count <= maximumValueBytes else {
            if oversized == nil { oversized = key }
            return true
        }
        let column: Int?
        if let cached = cache[key] {
            column = cached
        } else {
            column = resolve(key)
            // Real exports have tens of keys; a file inventing millions must not grow the cache.
            if cache.count < 4096 { cache[key] = column }
        }
        guard let column else {
            if !joinsRepeatedKeys, !extraKeys.insert(key).inserted { return false }
            if FeedbackColumns.contains(key) {
                // Held aside until the record ends: dropped only when all three came back.
                feedback.append((key, Array(value)))
                return true
            }
            appendExtra(key: key, value: value)
            return true
        }
        if present[column] {
            guard joinsRepeatedKeys else { return false }
            values[column].append(0x3B)
        }
        present[column] = true
        values[column].append(contentsOf: value)
        return true
    }

    @discardableResult
    public mutating func set(key: String, value: [UInt8]) -> Bool {
        value.withUnsafeBufferPointer { set(key: key, value: $0) }
    }

    private mutating func appendExtra(key: String, value: UnsafeBufferPointer<UInt8>) {
        extra.append(extra.isEmpty ? 0x7B : 0x2C)
        JSONText.appendString(key, to: &extra)
        extra.append(0x3A)
        JSONText.appendString(value, to: &extra)
    }

    /// Appends the record to `batch` and clears the builder for the next one. The columns a
    /// feedback file added (原行号, 问题规则, 问题说明) are dropped when all three are there; any
    /// other keys of those names stay with the record's unknown keys.
    public mutating func finish(into batch: inout RecordBatch, origin: Provenance) {
        if !feedback.isEmpty, !FeedbackColumns.complete(feedback.map(\.key)) {
            for (key, value) in feedback { value.withUnsafeBufferPointer { appendExtra(key: key, value: $0) } }
        }
        feedback.removeAll(keepingCapacity: true)
        for column in values.indices {
            values[column].withUnsafeBytes { batch.appendField($0) }
            values[column].removeAll(keepingCapacity: true)
            present[column] = false
        }
        if !extra.isEmpty { extra.append(0x7D) }
        extra.withUnsafeBytes { batch.appendField($0) }
        extra.removeAll(keepingCapacity: true)
        extraKeys.removeAll(keepingCapacity: true)
        oversized = nil
        batch.finishRecord(origin)
    }

    /// Forgets a record begun but not finished.
    public mutating func discard() {
        for column in values.indices {
            values[column].removeAll(keepingCapacity: true)
            present[column] = false
        }
        extra.removeAll(keepingCapacity: true)
        extraKeys.removeAll(keepingCapacity: true)
        feedback.removeAll(keepingCapacity: true)
        oversized = nil
    }
}
