import CreditCore

/// One information item of the catalog (行政处罚, 行政许可, …): its fields and how to find them.
public struct CatalogItem: Sendable {
    /// Lower-case id such as `admin_penalty`; also names the archive table `item_<id>`.
    public var id: String
    /// Chinese name, as reviewers know it.
    public var name: String
    public var nameEnglish: String
    /// Where the field list came from, for people maintaining the catalog.
    public var source: String?
    public var fields: [FieldSpec]
    /// The field that says what kind of subject a record is about, if the item has subjects.
    public var subjectKindField: String?
    /// Values of `subjectKindField` that mean a natural person (自然人), whose data is personal.
    public var naturalPersonValues: [String]
    /// File and line the item was declared at, for messages about it.
    public var location: CatalogLocation

    private var indexByHeader: [String: Int] = [:]

    public init(id: String, name: String, nameEnglish: String, source: String? = nil, fields: [FieldSpec],
                subjectKindField: String? = nil, naturalPersonValues: [String] = [],
                location: CatalogLocation = CatalogLocation(file: "<memory>")) {
        self.id = id
        self.name = name
        self.nameEnglish = nameEnglish
        self.source = source
        self.fields = fields
        self.subjectKindField = subjectKindField
        self.naturalPersonValues = naturalPersonValues
        self.location = location
        for (index, field) in fields.enumerated() {
            for spelling in [field.id, field.name] + field.aliases {
                let key = Self.headerKey(spelling)
                if indexByHeader[key] == nil { indexByHeader[key] = index }
            }
        }
    }

    /// The index of the field with this id.
    public func fieldIndex(id: String) -> Int? {
        fields.firstIndex { $0.id == id }
    }

    /// The field a column header names, by id, Chinese name or alias; spacing, letter case and
    /// full-width forms (`（万元）` vs `(万元)`) do not matter.
    public func fieldIndex(forHeader header: String) -> Int? {
        indexByHeader[Self.headerKey(header)]
    }

    /// Folds a header to the form headers are compared in.
    public static func headerKey(_ header: String) -> String {
        var bytes = Array(header.utf8)
        var folded = [UInt8]()
        folded.reserveCapacity(bytes.count)
        bytes.withUnsafeBufferPointer { ByteText.appendFoldingFullWidth($0, to: &folded) }
        bytes = folded.compactMap { byte in
            if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { return nil }
            return (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Maps a file's header to this item's fields: for each field, the column carrying it.
    public func layout(forHeader header: [String]) -> HeaderMapping {
        var columns = [Int](repeating: -1, count: fields.count)
        var unknown: [String] = []
        var repeated: [String] = []
        for (column, name) in header.enumerated() {
            guard let index = fieldIndex(forHeader: name) else {
                unknown.append(name)
                continue
            }
            if columns[index] >= 0 { repeated.append(name) } else { columns[index] = column }
        }
        let missing = fields.indices.filter { columns[$0] < 0 }.map { fields[$0].id }
        return HeaderMapping(layout: FieldLayout(columns: columns, headerCount: header.count),
                             unknownColumns: unknown, repeatedColumns: repeated, missingFields: missing)
    }
}

/// What matching a header against an item found.
public struct HeaderMapping: Sendable, Hashable {
    public var layout: FieldLayout
    /// Header names no field of the item answers to: archived with the record, not validated.
    public var unknownColumns: [String]
    /// Header names for a field that an earlier column already supplies.
    public var repeatedColumns: [String]
    /// Ids of item fields no column supplies.
    public var missingFields: [String]
}

/// One field of an item.
public struct FieldSpec: Sendable, Hashable {
    /// Lower-case id such as `cf_wsh`: the national standard's pinyin-initial id.
    public var id: String
    public var name: String
    /// Other header spellings departments use for this field.
    public var aliases: [String]
    public var type: FieldType
    /// Recommended maximum length in characters.
    public var length: Int?
    public var required: Bool
    public var personal: PersonalDataKind?
    public var location: CatalogLocation

    public init(id: String, name: String, aliases: [String] = [], type: FieldType, length: Int? = nil,
                required: Bool = false, personal: PersonalDataKind? = nil,
                location: CatalogLocation = CatalogLocation(file: "<memory>")) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.type = type
        self.length = length
        self.required = required
        self.personal = personal
        self.location = location
    }
}
