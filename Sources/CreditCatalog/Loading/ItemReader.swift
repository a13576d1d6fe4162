import Yams

/// Reads one `items/*.yaml` file into a ``CatalogItem``.
enum ItemReader {
    static func read(_ reader: YAMLReader, _ root: inout YAMLReader.Map) -> CatalogItem? {
        let id = root.string("id")
        let name = root.string("name")
        let nameEnglish = root.string("name_en", required: false) ?? ""
        let source = root.string("source", required: false)
        let subjectKindField = root.string("subject_kind_field", required: false)
        let naturalPersonValues = root.strings("natural_person_values")
        var declared: [(id: String, location: CatalogLocation, path: String)] = []
        let fields: [FieldSpec] = root.list("fields") { entry in
            let field = readField(reader, &entry)
            // Every declared id takes part in the duplicate check, even where the entry has other problems.
            if let id = entry.peekString("id") { declared.append((id, entry.location, entry.path)) }
            return field
        }
        if let id, !isPlainIdentifier(id) {
            reader.report(location: root.location(of: "id"), "id",
                          "'\(id)' must be lower-case letters, digits and _ (it names an archive table)")
        }
        var seen: [String: CatalogLocation] = [:]
        for field in declared {
            if let first = seen[field.id] {
                reader.report(location: field.location, field.path + ".id",
                              "field id '\(field.id)' is already declared at \(first)")
            } else {
                seen[field.id] = field.location
            }
        }
        if let subjectKindField, seen[subjectKindField] == nil {
            reader.report(location: root.location(of: "subject_kind_field"), "subject_kind_field",
                          "names no field of this item; use one of the ids under fields:")
        }
        guard let id, let name else { return nil }
        return CatalogItem(id: id, name: name, nameEnglish: nameEnglish, source: source, fields: fields,
                           subjectKindField: subjectKindField, naturalPersonValues: naturalPersonValues,
                           location: root.location)
    }

    static func readField(_ reader: YAMLReader, _ entry: inout YAMLReader.Map) -> FieldSpec? {
        let id = entry.string("id")
        let name = entry.string("name")
        let aliases = entry.strings("aliases")
        let typeText = entry.string("type")
        let values = entry.strings("values")
        let length = entry.int("length")
        let required = entry.bool("required") ?? false
        let personalText = entry.string("personal", required: false)
        let path = entry.path
        if let id, !isPlainIdentifier(id) {
            reader.report(location: entry.location(of: "id"), path + ".id",
                          "'\(id)' must be lower-case letters, digits and _ (it names an archive column)")
        }
        var type: FieldType?
        if let typeText {
            type = parseType(typeText, values: values)
            if type == nil {
                reader.report(location: entry.location(of: "type"), path + ".type",
                              "unknown field type '\(typeText)'; use one of \(FieldType.spellings)")
            } else if case .enumeration(let list) = type, list.isEmpty {
                reader.report(location: entry.location, path + ".values", "an enum field needs a `values:` list")
            } else if case .enumerationList(let list) = type, list.isEmpty {
                reader.report(location: entry.location, path + ".values", "an enum_list field needs a `values:` list")
            }
        }
        if let length, length <= 0 {
            reader.report(location: entry.location(of: "length"), path + ".length", "must be at least 1")
        }
        var personal: PersonalDataKind?
        if let personalText {
            personal = PersonalDataKind(rawValue: personalText)
            if personal == nil {
                reader.report(location: entry.location(of: "personal"), path + ".personal",
                              "unknown value '\(personalText)'; use always or natural_person")
            }
        }
        guard let id, let name, let type else { return nil }
        return FieldSpec(id: id, name: name, aliases: aliases, type: type, length: length, required: required,
                         personal: personal, location: entry.location)
    }

    /// Parses `text`, `date`, `decimal(6)`, `code(uscc)`, `enum` and `enum_list`.
    static func parseType(_ text: String, values: [String]) -> FieldType? {
        let spelling = text.trimmingWhitespace()
        switch spelling {
        case "text": return .text
        case "date": return .date
        case "enum": return .enumeration(values)
        case "enum_list": return .enumerationList(values)
        default: break
        }
        guard spelling.hasSuffix(")"), let open = spelling.firstIndex(of: "(") else { return nil }
        let head = spelling[..<open]
        let argument = spelling[spelling.index(after: open)..<spelling.index(before: spelling.endIndex)]
        switch head {
        case "decimal":
            guard let scale = Int(argument), (0...18).contains(scale) else { return nil }
            return .decimal(scale: scale)
        case "code":
            return CodeKind(rawValue: String(argument)).map(FieldType.code)
        default:
            return nil
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
