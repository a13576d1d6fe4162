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
    /// What each value of `subjectKindField` means (`自然人` and its code `01` → natural person).
    public var subjectKinds: [String: SubjectKind]
    /// The fields holding the subject's USCC and name, for 重码 and the registry.
    public var subject: SubjectFields?
    /// The fields that together identify one decision: a second record with the same key in a
    /// run is a duplicate. An entry `a|b` takes the first of `a`, `b` that has a value.
    public var businessKey: [String]
    /// How timeliness is counted, for items with a publication deadline.
    public var timeliness: TimelinessRule?
    /// Checks across date fields.
    public var dateOrders: [DateOrderRule]
    /// 公开 / 有条件公开 / 授权查询 / 不公开: how the item may be disclosed.
    public var disclosure: String?
    /// True for the subject registry (企业登记注册): its code–name pairs are the authority other
    /// items' names are compared with.
    public var isRegistry: Bool
    /// The status field and the values that end a record's publication (当前状态 撤销/无效): a new
    /// version with such a value withdraws the decision.
    public var withdrawal: WithdrawalRule?
    /// Enum values a later law introduced (`CFLB_BEFORE_LAW`).
    public var introducedValues: [IntroducedValues] = []
    /// The editions of the item's standard, by decision date (`required_since` names when a
    /// field became required); nil when the item has one standard.
    public var standards: StandardEditions?
    /// How long records are public and what ends it (公示); nil for an item that is not published.
    public var publication: PublicationPolicy?
    /// Which of the registry's records are enterprises registered now (登记状态 存续 or 在业) and
    /// the field that says since when (成立日期): the denominators of the city indicators.
    public var registered: Registration?
    /// What a current record says about its subject's standing (信用核查); nil for an item that
    /// says nothing of it (the registry, repairs, objections).
    public var standing: StandingRule?
    /// The period an end date must keep from a start date (`PUBLICATION_PERIOD`).
    public var publicationPeriod: PublicationPeriod?
    /// An amount stated in a text field that must agree with an amount field (`AMOUNT_UNIT_SUSPECT`).
    public var amountInText: AmountInText?
    /// The longest value a file of this item may hold, in bytes: a longer one stops the file, so
    /// that memory stays bounded (nil: the adapters' default, 256 KiB).
    public var maxFieldBytes: Int?
    /// File and line the item was declared at, for messages about it.
    public var location: CatalogLocation

    /// Values of `subjectKindField` that mean a natural person (自然人), whose data is personal.
    public var naturalPersonValues: [String] {
        subjectKinds.filter { $0.value == .naturalPerson }.map(\.key).sorted()
    }

    private var indexByHeader: [String: Int] = [:]

    public init(id: String, name: String, nameEnglish: String, source: String? = nil, fields: [FieldSpec],
                subjectKindField: String? = nil, subjectKinds: [String: SubjectKind] = [:],
                subject: SubjectFields? = nil, businessKey: [String] = [], timeliness: TimelinessRule? = nil,
                dateOrders: [DateOrderRule] = [], disclosure: String? = nil, isRegistry: Bool = false,
                withdrawal: WithdrawalRule? = nil, location: CatalogLocation = CatalogLocation(file: "<memory>")) {
        self.id = id
        self.name = name
        self.nameEnglish = nameEnglish
        self.source = source
        self.fields = fields
        self.subjectKindField = subjectKindField
        self.subjectKinds = subjectKinds
        self.subject = subject
        self.businessKey = businessKey
        self.timeliness = timeliness
        self.dateOrders = dateOrders
        self.disclosure = disclosure
        self.isRegistry = isRegistry
        self.withdrawal = withdrawal
        self.location = location
        for (index, field) in fields.enumerated() {
            for spelling in [field.id, field.name] + field.aliases {
                let key = Self.headerKey(spelling)
                if indexByHeader[key] == nil { indexByHeader[key] = index }
            }
        }
    }

    /// This item as `feed` sends it: the feed's own enum codes (`value_aliases`) come before the
    /// item's, since old exports reuse codes with other meanings (`1` 撤销 instead of `1` 有效).
    public func applying(_ feed: Feed) -> CatalogItem {
        guard !feed.valueAliases.isEmpty else { return self }
        var item = self
        for (fieldID, aliases) in feed.valueAliases {
            guard let index = fieldIndex(id: fieldID) else { continue }
            item.fields[index].valueAliases.merge(aliases) { _, feeds in feeds }
        }
        return item
    }

    /// A copy changed by `body`, for the optional rules the initializer does not take.
    public func with(_ body: (inout CatalogItem) -> Void) -> CatalogItem {
        var item = self
        body(&item)
        return item
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
    /// `columnNames` (a feed's own names, header → field id) are tried first.
    public func layout(forHeader header: [String], columnNames: [String: String] = [:]) -> HeaderMapping {
        var columns = [Int](repeating: -1, count: fields.count)
        var unknown: [String] = []
        var repeated: [String] = []
        let feedNames = Dictionary(columnNames.map { (Self.headerKey($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        let feedback = FeedbackColumns.trailing(in: header)
        for (column, name) in header.enumerated() where !feedback.contains(column) {
            guard let index = feedNames[Self.headerKey(name)].flatMap(fieldIndex(id:)) ?? fieldIndex(forHeader: name) else {
                unknown.append(name)
                continue
            }
            if columns[index] >= 0 { repeated.append(name) } else { columns[index] = column }
        }
        let missing = fields.indices.filter { columns[$0] < 0 }.map { fields[$0].id }
        return HeaderMapping(layout: FieldLayout(columns: columns, headerCount: header.count),
                             unknownColumns: unknown, repeatedColumns: repeated, missingFields: missing,
                             feedbackColumns: Array(feedback))
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
    /// The columns a feedback file added (原行号, 问题规则, 问题说明) when a department sends its
    /// corrected feedback back: neither fields nor unknown columns, and not archived.
    public var feedbackColumns: [Int] = []
}

extension FeedbackColumns {
    /// The indices of the trailing triple in `header`, or empty: only all three, last and in
    /// order, so a department's own column of such a name is never dropped.
    public static func trailing(in header: [String]) -> Range<Int> {
        guard header.count >= 3 else { return 0..<0 }
        let tail = header.suffix(3).map(CatalogItem.headerKey)
        for names in [chinese, english] where tail == names.map(CatalogItem.headerKey) {
            return (header.count - 3)..<header.count
        }
        return 0..<0
    }
}

/// One field of an item.
public struct FieldSpec: Sendable, Hashable {
    /// Lower-case id such as `cf_wsh`: the national standard's pinyin-initial id.
    public var id: String
    public var name: String
    /// The English name (`name_en`): what English reports show, and what `catalog map` compares
    /// departments' English-abbreviation headers with.
    public var nameEnglish: String?
    /// Other header spellings departments use for this field.
    public var aliases: [String]
    public var type: FieldType
    /// Recommended maximum length in characters.
    public var length: Int?
    public var required: Bool
    /// Required when any of these holds (`REQUIRED_WHEN`).
    public var requiredWhen: [Condition]
    /// Must be empty when any of these holds (`FORBIDDEN_WHEN`): a natural person's record
    /// carries no organization codes (§7.5).
    public var forbiddenWhen: [Condition]
    /// For `code(other)` fields that hold several kinds of number (证件号码): check the value as
    /// a citizen identity number (GB 11643) when one of these holds (证件类型 = 身份证; or the file
    /// has no 证件类型 column, as the 2016 layout's 居民身份证号).
    public var identityNumberWhen: [Condition]
    /// A regular expression the whole value must match (`PATTERN`).
    public var pattern: String?
    /// A valid value, for documentation and for `credit-etl synth` (required with `pattern`).
    public var example: String?
    /// Department codes for enum values (`01` → 自然人), resolved before checking.
    public var valueAliases: [String: String]
    /// Old enum values still accepted, with a warning (`ENUM_LEGACY`).
    public var legacyValues: [String]
    /// For authority code fields: a code whose first character is not 1 (机构编制) is unusual
    /// for a public body, a warning (`AUTHORITY_CODE_UNUSUAL`).
    public var isAuthorityCode: Bool
    /// For amounts: values at least this large are suspected of being in 元 instead of 万元
    /// (`AMOUNT_UNIT_SUSPECT`).
    public var suspiciousFrom: Double?
    /// Dates before this one get `DATE_EARLY` (default 1990-01-01, when 双公示 data began; a
    /// company's founding date may be older).
    public var plausibleFrom: CivilDate?
    /// An end date (有效期至, 公示截止期) may say 长期/永久, archived as 2099-12-31 (spec §7.7). Any
    /// other date must be a date: a decision taken "long-term" is a `DATE_FORMAT` error.
    public var allowsLongTerm = false
    /// With `required` or `required_when`: required only of records decided on or after this date (the edition of
    /// the standard that introduced the field, ``StandardEditions``); older decisions may lack it.
    public var requiredSince: CivilDate?
    /// A legacy column whose enum values belong to another field's list (the 2016 layout's
    /// 处罚类别2 → 处罚类别): checked as its own field, archived merged into `mergedInto`.
    public var mergedInto: String?
    /// A column of an older edition's layout only (the 2016 layout's 案件名称): today's exports
    /// lack it, so `synth` leaves it out.
    public var isLegacy = false
    /// Whether the field is part of what a record says (its content digest: a change makes a new
    /// version).
    public var content = ContentRole.always
    public var personal: PersonalDataKind?
    public var location: CatalogLocation

    public init(id: String, name: String, aliases: [String] = [], type: FieldType, length: Int? = nil,
                required: Bool = false, requiredWhen: [Condition] = [], forbiddenWhen: [Condition] = [],
                identityNumberWhen: [Condition] = [], pattern: String? = nil, example: String? = nil, valueAliases: [String: String] = [:], legacyValues: [String] = [],
                isAuthorityCode: Bool = false, suspiciousFrom: Double? = nil, plausibleFrom: CivilDate? = nil,
                personal: PersonalDataKind? = nil, location: CatalogLocation = CatalogLocation(file: "<memory>")) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.type = type
        self.length = length
        self.required = required
        self.requiredWhen = requiredWhen
        self.forbiddenWhen = forbiddenWhen
        self.identityNumberWhen = identityNumberWhen
        self.pattern = pattern
        self.example = example
        self.valueAliases = valueAliases
        self.legacyValues = legacyValues
        self.isAuthorityCode = isAuthorityCode
        self.suspiciousFrom = suspiciousFrom
        self.plausibleFrom = plausibleFrom
        self.personal = personal
        self.location = location
    }
}

/// When a record withdraws its decision: `field` holds one of `values` (after code aliases).
public struct WithdrawalRule: Sendable, Hashable {
    public var field: String
    public var values: [String]

    public init(field: String, values: [String]) {
        self.field = field
        self.values = values
    }
}

/// How a field takes part in a record's content (``FieldSpec/content``): what decides whether a
/// re-sent record is unchanged or a new version.
public enum ContentRole: String, Sendable, Hashable {
    /// Every record's content says this field, empty or not (the fields the archive began with).
    case always
    /// Only a value counts; an empty field adds nothing. For a field added to a catalog whose
    /// archive already holds records: they keep their content digests, so their re-sends stay
    /// unchanged instead of all becoming new versions.
    case ifPresent = "if_present"
    /// Kept in its column, but not content: an export timestamp (the 2016 layout's 时间戳) would
    /// otherwise make every record a new version every night.
    case never
}

/// Which records of the registry count as registered enterprises, and from when (`registered:`).
public struct Registration: Sendable, Hashable {
    public var when: Condition?
    public var since: String?

    public init(when: Condition? = nil, since: String? = nil) {
        self.when = when
        self.since = since
    }
}
