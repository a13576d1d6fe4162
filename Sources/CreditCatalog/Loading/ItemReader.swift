import CreditCore
import Yams

/// Reads one `items/*.yaml` file into a ``CatalogItem``.
enum ItemReader {
    static func read(_ reader: YAMLReader, _ root: inout YAMLReader.Map) -> CatalogItem? {
        let id = root.string("id")
        let name = root.string("name")
        let nameEnglish = root.string("name_en", required: false) ?? ""
        let source = root.string("source", required: false)
        let subjectKindField = root.string("subject_kind_field", required: false)
        var subjectKinds: [String: SubjectKind] = [:]
        for (value, kindText) in root.pairs("subject_kinds") {
            if let kind = SubjectKind(rawValue: kindText) {
                subjectKinds[value] = kind
            } else {
                reader.report(location: root.location(of: "subject_kinds"), "subject_kinds.\(value)",
                              "unknown subject kind '\(kindText)'; use organization, individual_business or natural_person")
            }
        }
        let subject: SubjectFields? = root.mappings("subject") { (entry: inout YAMLReader.Map) -> SubjectFields? in
            let orgCode = entry.string("org_code", required: false)
            let registration = entry.string("registration", required: false)
            guard let code = entry.string("code"), let name = entry.string("name") else { return nil }
            return SubjectFields(code: code, name: name, orgCode: orgCode, registration: registration)
        }.first
        let businessKey = root.strings("business_key")
        let timeliness: TimelinessRule? = root.mappings("timeliness") { (entry: inout YAMLReader.Map) -> TimelinessRule? in
            let date = entry.string("decision_date")
            let days = entry.int("working_days")
            if let days, days < 1 {
                reader.report(location: entry.location(of: "working_days"), entry.path + ".working_days", "must be at least 1")
            }
            guard let date, let days else { return nil }
            return TimelinessRule(decisionDate: date, workingDays: days)
        }.first
        let dateOrders: [DateOrderRule] = root.mappings("date_order") { (entry: inout YAMLReader.Map) -> DateOrderRule? in
            let earlier = entry.string("earlier"), later = entry.string("later")
            let severity = entry.string("severity", required: false) ?? "error"
            if severity != "error", severity != "warning" {
                reader.report(location: entry.location(of: "severity"), entry.path + ".severity",
                              "unknown severity '\(severity)'; use error or warning")
            }
            let when = readConditions(reader, &entry, "when").first
            guard let earlier, let later else { return nil }
            return DateOrderRule(earlier: earlier, later: later, isError: severity != "warning", when: when)
        }
        let withdrawal: WithdrawalRule? = root.mappings("withdrawal") { (entry: inout YAMLReader.Map) -> WithdrawalRule? in
            let field = entry.string("field")
            let values = entry.strings("values")
            if values.isEmpty {
                reader.report(location: entry.location, entry.path + ".values", "list the values that withdraw a record")
            }
            guard let field, !values.isEmpty else { return nil }
            return WithdrawalRule(field: field, values: values)
        }.first
        func date(_ entry: inout YAMLReader.Map, _ key: String) -> CivilDate? {
            guard let text = entry.string(key) else { return nil }
            guard case .date(let date, _) = CivilDate.parse(text) else {
                reader.report(location: entry.location(of: key), entry.path + "." + key, "expected a date such as 2021-07-15")
                return nil
            }
            return date
        }
        let introducedValues: [IntroducedValues] = root.mappings("introduced_values") { (entry: inout YAMLReader.Map) -> IntroducedValues? in
            let field = entry.string("field"), dateField = entry.string("date")
            let values = entry.strings("values")
            guard let field, let dateField, let since = date(&entry, "since"), !values.isEmpty else { return nil }
            return IntroducedValues(field: field, values: values, since: since, date: dateField)
        }
        let standards: StandardEditions? = root.mappings("standards") { (entry: inout YAMLReader.Map) -> StandardEditions? in
            let dateField = entry.string("date")
            let editions: [StandardEditions.Edition] = entry.list("editions") { edition in
                let id = edition.string("id"), name = edition.string("name")
                let nameEnglish = edition.string("name_en", required: false) ?? ""
                let source = edition.string("source", required: false)
                let since = edition.has("since") ? date(&edition, "since") : nil
                if let id, !isPlainIdentifier(id) {
                    reader.report(location: edition.location(of: "id"), edition.path + ".id",
                                  "'\(id)' must be lower-case letters, digits and _")
                }
                guard let id, let name else { return nil }
                return StandardEditions.Edition(id: id, name: name, nameEnglish: nameEnglish, since: since, source: source)
            }
            for (index, edition) in editions.enumerated() {
                let path = "\(entry.path).editions[\(index)]"
                if index == 0, edition.since != nil {
                    reader.report(location: entry.location(of: "editions"), path + ".since",
                                  "the first edition applies to every older decision: leave out since:")
                } else if index > 0, edition.since == nil {
                    reader.report(location: entry.location(of: "editions"), path + ".since",
                                  "say from which decision date this edition applies (since: 2021-07-15)")
                } else if index > 1, let since = edition.since, let previous = editions[index - 1].since, since <= previous {
                    reader.report(location: entry.location(of: "editions"), path + ".since",
                                  "editions are listed oldest first: \(since) is not after \(previous)")
                }
                if editions[..<index].contains(where: { $0.id == edition.id }) {
                    reader.report(location: entry.location(of: "editions"), path + ".id", "'\(edition.id)' is listed twice")
                }
            }
            if editions.count < 2 {
                reader.report(location: entry.location, entry.path + ".editions",
                              "list at least two editions (an item with one standard needs no standards:)")
            }
            guard let dateField, editions.count >= 2 else { return nil }
            return StandardEditions(date: dateField, editions: editions)
        }.first
        let publication: PublicationPolicy? = root.mappings("publication") { (entry: inout YAMLReader.Map) -> PublicationPolicy? in
            let from = entry.string("from")
            let until = entry.string("until", required: false)
            let source = entry.string("source", required: false)
            let deadline = entry.int("deadline_working_days")
            if let deadline, deadline < 1 {
                reader.report(location: entry.location(of: "deadline_working_days"), entry.path + ".deadline_working_days",
                              "must be at least 1")
            }
            let periods: [PublicationPolicy.Period] = entry.list("periods", required: false) { period in
                let name = period.string("name")
                let minimum = period.int("min_months"), maximum = period.int("max_months")
                let when = readConditions(reader, &period, "when").first
                guard let name, let minimum, let maximum else { return nil }
                if minimum < 0 || maximum < minimum || maximum == 0 {
                    reader.report(location: period.location, period.path, "min_months must be ≥ 0 and ≤ max_months, and max_months ≥ 1")
                }
                return PublicationPolicy.Period(name: name, minimumMonths: minimum, maximumMonths: maximum, when: when)
            }
            // A repair or an objection names the record by `match:` (this item's field: theirs).
            func link(_ map: inout YAMLReader.Map) -> RecordLink? {
                let linked = map.string("item")
                let match = Dictionary(map.pairs("match").map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
                if match.isEmpty {
                    reader.report(location: map.location, map.path + ".match",
                                  "say which fields name the record: match: {cf_wsh: xf_wsh, cf_xdr_shxym: xf_xdr_shxym}")
                }
                guard let linked, !match.isEmpty else { return nil }
                return RecordLink(item: linked, match: match)
            }
            let repair: PublicationPolicy.Repair? = entry.mappings("repair") { (map: inout YAMLReader.Map) -> PublicationPolicy.Repair? in
                let linked = link(&map), date = map.string("date")
                let when = readConditions(reader, &map, "when").first
                guard let linked, let date else { return nil }
                return PublicationPolicy.Repair(link: linked, date: date, when: when)
            }.first
            let objection: PublicationPolicy.Objection? = entry.mappings("objection") { (map: inout YAMLReader.Map) -> PublicationPolicy.Objection? in
                let linked = link(&map), status = map.string("status")
                let open = map.strings("open"), upheld = map.strings("upheld")
                let whileOpenText = map.string("while_open", required: false) ?? "mark"
                let whileOpen = PublicationPolicy.Objection.WhileOpen(rawValue: whileOpenText)
                if whileOpen == nil {
                    reader.report(location: map.location(of: "while_open"), map.path + ".while_open",
                                  "unknown value '\(whileOpenText)'; use mark or withhold")
                }
                if open.isEmpty || upheld.isEmpty {
                    reader.report(location: map.location, map.path,
                                  "give open: and upheld: (the status values of an open and of an upheld objection)")
                }
                guard let linked, let status, let whileOpen, !open.isEmpty, !upheld.isEmpty else { return nil }
                return PublicationPolicy.Objection(link: linked, status: status, open: open, upheld: upheld, whileOpen: whileOpen)
            }.first
            guard let from else { return nil }
            var policy = PublicationPolicy(from: from, until: until, periods: periods, deadlineWorkingDays: deadline, source: source)
            policy.repair = repair
            policy.objection = objection
            return policy
        }.first
        let standing: StandingRule? = root.mappings("standing") { (entry: inout YAMLReader.Map) -> StandingRule? in
            let kindText = entry.string("kind")
            let name = entry.string("name")
            let nameEnglish = entry.string("name_en", required: false)
            let kind = kindText.flatMap(StandingRule.Kind.init(rawValue:))
            if let kindText, kind == nil {
                reader.report(location: entry.location(of: "kind"), entry.path + ".kind",
                              "unknown kind '\(kindText)'; use adverse, favourable or on_record")
            }
            let months = entry.int("months")
            if let months, months < 1 {
                reader.report(location: entry.location(of: "months"), entry.path + ".months", "must be at least 1")
            }
            let when = readConditions(reader, &entry, "when").first
            let decision = entry.string("decision", required: false), date = entry.string("date", required: false)
            let until = entry.string("until", required: false), endedBy = entry.string("ended_by", required: false)
            let category = entry.string("category", required: false), whilePublic = entry.bool("while_public") ?? false
            let indicatorText = entry.string("indicator", required: false)
            let indicator = indicatorText.flatMap(StandingRule.Indicator.init(rawValue:))
            if let indicatorText, indicator == nil {
                reader.report(location: entry.location(of: "indicator"), entry.path + ".indicator",
                              "unknown indicator '\(indicatorText)'; use serious_dishonest_list")
            }
            guard let kind, let name else { return nil }
            var rule = StandingRule(kind: kind, name: name, nameEnglish: nameEnglish, decision: decision, date: date,
                                    until: until, endedBy: endedBy, months: months, when: when, category: category,
                                    whilePublic: whilePublic)
            rule.indicator = indicator
            return rule
        }.first
        let registered: Registration? = root.mappings("registered") { (entry: inout YAMLReader.Map) -> Registration? in
            let when = readConditions(reader, &entry, "when").first
            return Registration(when: when, since: entry.string("since", required: false))
        }.first
        let publicationPeriod: PublicationPeriod? = root.mappings("publication_period") { (entry: inout YAMLReader.Map) -> PublicationPeriod? in
            let from = entry.string("from"), until = entry.string("until")
            let minimum = entry.int("min_months"), maximum = entry.int("max_months")
            guard let from, let until, let minimum, let maximum else { return nil }
            if minimum < 0 || maximum < minimum {
                reader.report(location: entry.location, entry.path, "min_months must be ≥ 0 and ≤ max_months")
            }
            return PublicationPeriod(from: from, until: until, minimumMonths: minimum, maximumMonths: maximum)
        }.first
        let amountInText: AmountInText? = root.mappings("amount_in_text") { (entry: inout YAMLReader.Map) -> AmountInText? in
            guard let text = entry.string("text"), let amount = entry.string("amount"),
                  let keyword = entry.string("keyword") else { return nil }
            return AmountInText(text: text, amount: amount, keyword: keyword)
        }.first
        let maxFieldBytes = root.int("max_field_bytes")
        if let maxFieldBytes, maxFieldBytes < 1024 || maxFieldBytes > 64 << 20 {
            reader.report(location: root.location(of: "max_field_bytes"), "max_field_bytes",
                          "must be from 1024 to 67108864 bytes")
        }
        let disclosure = root.string("disclosure", required: false)
        let isRegistry = root.bool("registry") ?? false
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
        // Every rule that names a field must name one of this item's fields.
        func check(_ field: String?, _ key: String) {
            guard let field else { return }
            for alternative in field.split(separator: "|").map(String.init) where seen[alternative] == nil {
                let base = key.split(whereSeparator: { $0 == "." || $0 == "[" }).first.map(String.init) ?? key
                reader.report(location: root.location(of: base), key,
                              "names no field '\(alternative)' of this item; use one of the ids under fields:")
            }
        }
        check(subjectKindField, "subject_kind_field")
        check(subject?.code, "subject.code")
        check(subject?.name, "subject.name")
        check(subject?.orgCode, "subject.org_code")
        check(subject?.registration, "subject.registration")
        businessKey.enumerated().forEach { check($0.element, "business_key[\($0.offset)]") }
        check(timeliness?.decisionDate, "timeliness.decision_date")
        check(withdrawal?.field, "withdrawal.field")
        for (index, rule) in introducedValues.enumerated() {
            check(rule.field, "introduced_values[\(index)].field")
            check(rule.date, "introduced_values[\(index)].date")
        }
        check(standards?.date, "standards.date")
        check(publication?.from, "publication.from")
        check(publication?.until, "publication.until")
        for field in publication?.repair?.link.fields ?? [] { check(field, "publication.repair.match") }
        for field in publication?.objection?.link.fields ?? [] { check(field, "publication.objection.match") }
        for (index, period) in (publication?.periods ?? []).enumerated() {
            check(period.when?.field, "publication.periods[\(index)].when.field")
        }
        check(publicationPeriod?.from, "publication_period.from")
        check(publicationPeriod?.until, "publication_period.until")
        for (key, field) in standing?.fieldsByKey ?? [] { check(field, "standing.\(key)") }
        check(registered?.when?.field, "registered.when.field")
        check(registered?.since, "registered.since")
        check(amountInText?.text, "amount_in_text.text")
        check(amountInText?.amount, "amount_in_text.amount")
        for (index, rule) in dateOrders.enumerated() {
            check(rule.earlier, "date_order[\(index)].earlier")
            check(rule.later, "date_order[\(index)].later")
            check(rule.when?.field, "date_order[\(index)].when.field")
        }
        for field in fields {
            for condition in field.requiredWhen + field.forbiddenWhen + field.identityNumberWhen {
                if let target = condition.field, seen[target] == nil {
                    reader.report(location: field.location, "fields.\(field.id)",
                                  "a condition names no field '\(target)' of this item")
                }
                if case .subject = condition, subjectKindField == nil {
                    reader.report(location: field.location, "fields.\(field.id)",
                                  "a subject condition needs `subject_kind_field:` on the item")
                }
            }
        }
        let editionStarts = Set(standards?.editions.compactMap(\.since) ?? [])
        for field in fields {
            if let since = field.requiredSince, !editionStarts.contains(since) {
                reader.report(location: field.location, "fields.\(field.id).required_since",
                              "\(since) starts no edition of the standard; list the edition under standards.editions "
                                + "(with its source), so reports can name what a record was checked against")
            }
            if let target = field.mergedInto {
                if let into = fields.first(where: { $0.id == target }) {
                    var bothLists = false
                    if case .enumerationList = field.type, case .enumerationList = into.type { bothLists = true }
                    if !bothLists || into.mergedInto != nil || target == field.id {
                        reader.report(location: field.location, "fields.\(field.id).merged_into",
                                      "merges only an enum_list into another enum_list that is not merged itself")
                    }
                } else {
                    reader.report(location: field.location, "fields.\(field.id).merged_into",
                                  "names no field '\(target)' of this item")
                }
            }
        }
        if !subjectKinds.isEmpty, subjectKindField == nil {
            reader.report(location: root.location(of: "subject_kinds"), "subject_kinds",
                          "needs `subject_kind_field:` to say which field holds the kind")
        }
        let byID = Dictionary(fields.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        if let field = timeliness.flatMap({ byID[$0.decisionDate] }), field.type != .date {
            reader.report(location: root.location(of: "timeliness"), "timeliness.decision_date",
                          "'\(field.id)' is not a date field")
        }
        for (key, id) in [("from", publication?.from), ("until", publication?.until)] {
            if let field = id.flatMap({ byID[$0] }), field.type != .date {
                reader.report(location: root.location(of: "publication"), "publication.\(key)", "'\(field.id)' is not a date field")
            }
        }
        for (key, id) in [("date", standing?.date), ("until", standing?.until), ("ended_by", standing?.endedBy)] {
            if let field = id.flatMap({ byID[$0] }), field.type != .date {
                reader.report(location: root.location(of: "standing"), "standing.\(key)", "'\(field.id)' is not a date field")
            }
        }
        if standing?.whilePublic == true, publication == nil {
            reader.report(location: root.location(of: "standing"), "standing.while_public",
                          "the item has no publication: policy to say when its records are public")
        }
        if registered != nil, !isRegistry {
            reader.report(location: root.location(of: "registered"), "registered", "only the registry (registry: true) says who is registered")
        }
        if standing != nil, subject == nil {
            reader.report(location: root.location(of: "standing"), "standing",
                          "a standing needs `subject:` (the fields naming whom a record is about)")
        }
        if let field = standards.flatMap({ byID[$0.date] }), field.type != .date {
            reader.report(location: root.location(of: "standards"), "standards.date", "'\(field.id)' is not a date field")
        }
        guard let id, let name else { return nil }
        return CatalogItem(id: id, name: name, nameEnglish: nameEnglish, source: source, fields: fields,
                           subjectKindField: subjectKindField, subjectKinds: subjectKinds, subject: subject,
                           businessKey: businessKey, timeliness: timeliness, dateOrders: dateOrders,
                           disclosure: disclosure, isRegistry: isRegistry, withdrawal: withdrawal,
                           location: root.location).with { item in
            item.introducedValues = introducedValues
            item.standards = standards
            item.publication = publication
            item.publicationPeriod = publicationPeriod
            item.amountInText = amountInText
            item.maxFieldBytes = maxFieldBytes
            item.standing = standing
            item.registered = registered
        }
    }

    static func readField(_ reader: YAMLReader, _ entry: inout YAMLReader.Map) -> FieldSpec? {
        let id = entry.string("id")
        let name = entry.string("name")
        let nameEnglish = entry.string("name_en", required: false)
        let aliases = entry.strings("aliases")
        let typeText = entry.string("type")
        let values = entry.strings("values")
        let length = entry.int("length")
        let required = entry.bool("required") ?? false
        let personalText = entry.string("personal", required: false)
        let requiredWhen = readConditions(reader, &entry, "required_when")
        let forbiddenWhen = readConditions(reader, &entry, "forbidden_when")
        let identityNumberWhen = readConditions(reader, &entry, "identity_number_when")
        let pattern = entry.string("pattern", required: false)
        let example = entry.string("example", required: false)
        let valueAliases = Dictionary(entry.pairs("value_aliases").map { ($0.key, $0.value) },
                                      uniquingKeysWith: { first, _ in first })
        let legacyValues = entry.strings("legacy_values")
        let isAuthorityCode = entry.bool("authority_code") ?? false
        let allowsLongTerm = entry.bool("long_term") ?? false
        let mergedInto = entry.string("merged_into", required: false)
        let isLegacy = entry.bool("legacy") ?? false
        var content = ContentRole.always
        if let text = entry.string("content", required: false) {
            if let role = ContentRole(rawValue: text) {
                content = role
            } else {
                reader.report(location: entry.location(of: "content"), entry.path + ".content",
                              "unknown value '\(text)'; use always, if_present or never")
            }
        }
        var requiredSince: CivilDate?
        if let text = entry.string("required_since", required: false) {
            if case .date(let date, _) = CivilDate.parse(text) {
                requiredSince = date
                if !required, requiredWhen.isEmpty {
                    reader.report(location: entry.location(of: "required_since"), entry.path + ".required_since",
                                  "says since when the field is required: add required: true (or required_when:)")
                }
            } else {
                reader.report(location: entry.location(of: "required_since"), entry.path + ".required_since",
                              "expected a date such as 2021-07-15")
            }
        }
        let suspiciousFrom = entry.double("suspicious_from")
        var plausibleFrom: CivilDate?
        if let text = entry.string("plausible_from", required: false) {
            if case .date(let date, _) = CivilDate.parse(text) {
                plausibleFrom = date
            } else {
                reader.report(location: entry.location(of: "plausible_from"), entry.path + ".plausible_from",
                              "expected a date such as 1949-10-01")
            }
        }
        let path = entry.path
        if let pattern {
            if let regex = try? Regex(pattern) {
                if let example, (try? regex.wholeMatch(in: example)).flatMap({ $0 }) == nil {
                    reader.report(location: entry.location(of: "example"), path + ".example",
                                  "'\(example)' does not match the field's pattern")
                } else if example == nil {
                    reader.report(location: entry.location(of: "pattern"), path + ".pattern",
                                  "a field with a pattern needs an `example:` value that matches it")
                }
            } else {
                reader.report(location: entry.location(of: "pattern"), path + ".pattern",
                              "not a regular expression this program can read")
            }
        }
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
        if let type {
            let allowed: [String]? =
                switch type {
                case .enumeration(let list), .enumerationList(let list): list
                default: nil
                }
            if let allowed {
                for (code, value) in valueAliases where !allowed.contains(value) {
                    reader.report(location: entry.location(of: "value_aliases"), "\(path).value_aliases.\(code)",
                                  "'\(value)' is not one of this field's values")
                }
            } else if !valueAliases.isEmpty || !legacyValues.isEmpty {
                reader.report(location: entry.location(of: valueAliases.isEmpty ? "legacy_values" : "value_aliases"),
                              path, "value_aliases and legacy_values need an enum or enum_list field")
            }
        }
        guard let id, let name, let type else { return nil }
        var field = FieldSpec(id: id, name: name, aliases: aliases, type: type, length: length, required: required,
                         requiredWhen: requiredWhen, forbiddenWhen: forbiddenWhen,
                         identityNumberWhen: identityNumberWhen, pattern: pattern, example: example,
                         valueAliases: valueAliases, legacyValues: legacyValues, isAuthorityCode: isAuthorityCode,
                         suspiciousFrom: suspiciousFrom, plausibleFrom: plausibleFrom, personal: personal,
                         location: entry.location)
        field.nameEnglish = nameEnglish
        field.allowsLongTerm = allowsLongTerm
        field.requiredSince = requiredSince
        field.mergedInto = mergedInto
        field.isLegacy = isLegacy
        field.content = mergedInto == nil ? content : .never
        if allowsLongTerm, type != .date {
            reader.report(location: entry.location(of: "long_term"), path + ".long_term",
                          "only a date field can say 长期/永久")
        }
        return field
    }

    /// Reads `key:` as one condition or a list of them: `{subject: [natural_person]}`,
    /// `{field: cf_cflb, contains: [罚款]}`, `{field: xk_zt, equals: ["1"]}` or `{field: x, present: true}`.
    static func readConditions(_ reader: YAMLReader, _ entry: inout YAMLReader.Map, _ key: String) -> [Condition] {
        entry.mappings(key) { (condition: inout YAMLReader.Map) -> Condition? in
            if condition.has("subject") {
                let kinds = condition.strings("subject")
                let parsed = kinds.compactMap(SubjectKind.init(rawValue:))
                if parsed.count != kinds.count || kinds.isEmpty {
                    reader.report(location: condition.location(of: "subject"), condition.path + ".subject",
                                  "list subject kinds: organization, individual_business, natural_person")
                    return nil
                }
                return .subject(parsed)
            }
            guard let field = condition.string("field") else { return nil }
            let contains = condition.strings("contains"), equals = condition.strings("equals")
            let present = condition.bool("present") ?? false
            let columnAbsent = condition.bool("column_absent") ?? false
            switch (contains.isEmpty, equals.isEmpty, present, columnAbsent) {
            case (false, true, false, false): return .contains(field: field, values: contains)
            case (true, false, false, false): return .equals(field: field, values: equals)
            case (true, true, true, false): return .present(field: field)
            case (true, true, false, true): return .columnAbsent(field: field)
            default:
                reader.report(location: condition.location, condition.path,
                              "give exactly one of contains:, equals:, present: true or column_absent: true")
                return nil
            }
        }
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
