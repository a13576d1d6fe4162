import CreditCatalog
import CreditCore
import CreditHistory
import CreditIdentifiers

/// What a validator needs to know about the run and the file beyond the catalog.
public struct ValidationSettings: Sendable {
    public var emptyTokens: EmptyTokens
    /// The reference tables identifier checks consult (the catalog's own).
    public var identifiers: IdentifierReference
    /// The run's date in Asia/Shanghai: birth dates after it are errors.
    public var today: CivilDate
    /// When the file was submitted (the date in its name, else the run's date): decisions after
    /// it are errors, and timeliness counts up to it.
    public var submitted: CivilDate
    /// The official working-day calendar; nil makes every timeliness verdict unknown.
    public var calendar: WorkingCalendar?
    /// The date the file's name claimed when it was after the run's date (and so replaced by it):
    /// said as a file finding (`FILE_DATE_AFTER_RUN`).
    public var futureNamedDate: CivilDate?

    /// The digest of the catalog's files (``Catalog/digest``): with it, records are printed
    /// (``RecordPrinter``) and byte-identical re-sends of current versions are not checked again.
    public var catalogDigest: KeyDigest?

    public init(emptyTokens: EmptyTokens = .standard, identifiers: IdentifierReference = .standard,
                today: CivilDate, submitted: CivilDate? = nil, calendar: WorkingCalendar? = nil) {
        self.emptyTokens = emptyTokens
        self.identifiers = identifiers
        self.today = today
        self.submitted = submitted ?? today
        self.calendar = calendar
    }
}

/// Runs one item's rules over batches of records.
///
/// Built once per (item, file layout) from the catalog: each field's type and conditions become
/// small rule values, checked on every record (``check(_:into:scratch:)``), with what the
/// history stage needs (keys, subjects, timeliness); after that stage has compared the batch
/// with the archive, ``applyHistory(to:)`` words its verdicts. No per-record allocation except
/// the findings kept. Validation never reads or writes the archive.
public struct Validator: Sendable {
    let item: CatalogItemView
    let layout: FieldLayout
    let settings: ValidationSettings
    let rowRule = FieldCountRule()
    let rules: [any RecordRule]
    /// The item's editions and the index of the field that dates a record, when it has editions.
    let standards: (editions: StandardEditions, dateField: Int)?
    let tracker: RunTracker

    public init(item catalogItem: CatalogItem, layout: FieldLayout, settings: ValidationSettings) {
        item = CatalogItemView(catalogItem)
        self.layout = layout
        self.settings = settings
        rules = Self.rules(for: catalogItem, settings: settings)
        standards = catalogItem.standards.flatMap { editions in
            catalogItem.fieldIndex(id: editions.date).map { (editions, $0) }
        }
        tracker = RunTracker(item: catalogItem, settings: settings)
    }

    /// Convenience for checks that need neither a calendar nor a submission date.
    public init(item: CatalogItem, layout: FieldLayout, emptyTokens: EmptyTokens = .standard,
                identifiers: IdentifierReference = .standard, today: CivilDate) {
        self.init(item: item, layout: layout,
                  settings: ValidationSettings(emptyTokens: emptyTokens, identifiers: identifiers, today: today))
    }

    /// The rules of one item, in the order findings are reported.
    static func rules(for item: CatalogItem, settings: ValidationSettings) -> [any RecordRule] {
        // Text first: a value that is not clean UTF-8 is an error whatever its field.
        var rules: [any RecordRule] = [TextRule()]
        func resolve(_ conditions: [Condition]) -> [ResolvedCondition] {
            conditions.compactMap { ResolvedCondition($0, item: item) }
        }
        let subjectCode = item.subject.flatMap { item.fieldIndex(id: $0.code) }
        let decisionDate = item.timeliness.flatMap { item.fieldIndex(id: $0.decisionDate) }
        for (index, field) in item.fields.enumerated() {
            if field.required {
                rules.append(RequiredRule(field: index, emptyTokens: settings.emptyTokens, since: field.requiredSince))
            }
            if !field.requiredWhen.isEmpty {
                rules.append(RequiredWhenRule(field: index, conditions: resolve(field.requiredWhen),
                                              since: field.requiredSince))
            }
            if !field.forbiddenWhen.isEmpty {
                rules.append(ForbiddenWhenRule(field: index, conditions: resolve(field.forbiddenWhen)))
            }
            switch field.type {
            case .text:
                break
            case .date:
                rules.append(DateRule(field: index, emptyTokens: settings.emptyTokens, allowsLongTerm: field.allowsLongTerm))
                rules.append(DateBoundsRule(field: index, submitted: index == decisionDate ? settings.submitted : nil,
                                            plausibleFrom: field.plausibleFrom ?? DateBoundsRule.early))
            case .decimal(let scale):
                rules.append(DecimalRule(field: index, scale: scale, positiveWhen: resolve(field.requiredWhen),
                                         suspiciousFrom: field.suspiciousFrom))
            case .code(let kind):
                if kind == .other, !field.identityNumberWhen.isEmpty {
                    let when = resolve(field.identityNumberWhen)
                    rules.append(IdentifierRule(field: index, kind: .id, reference: settings.identifiers,
                                                today: settings.today, when: when))
                }
                if let identifier = IdentifierKind(kind) {
                    var rule = IdentifierRule(field: index, kind: identifier, reference: settings.identifiers,
                                              today: settings.today, isAuthorityCode: field.isAuthorityCode)
                    if index == subjectCode {
                        rule.placeholderRegistration = .some(item.subject?.registration.flatMap(item.fieldIndex(id:)))
                    }
                    rules.append(rule)
                }
            case .enumeration(let values), .enumerationList(let values):
                var isList = false
                if case .enumerationList = field.type { isList = true }
                rules.append(EnumRule(field: index, isList: isList, values: values.map { Array($0.utf8) },
                                      legacy: field.legacyValues.map { Array($0.utf8) }))
            }
            // Identifier codes have their own length checks, on the canonical form (`MA2EL626-6` is 9).
            var isIdentifier = false
            if case .code(let kind) = field.type, kind != .other { isIdentifier = true }
            if let length = field.length, !isIdentifier { rules.append(LengthRule(field: index, maximum: length)) }
            if let pattern = field.pattern, let regex = try? Regex(pattern) {
                rules.append(PatternRule(field: index, pattern: regex, source: pattern))
            }
        }
        for order in item.dateOrders {
            guard let earlier = item.fieldIndex(id: order.earlier), let later = item.fieldIndex(id: order.later) else {
                continue
            }
            rules.append(DateOrderCheck(earlier: earlier, later: later, isError: order.isError,
                                        when: order.when.flatMap { ResolvedCondition($0, item: item) },
                                        text: "\(item.fields[later].name) ≥ \(item.fields[earlier].name)"))
        }
        for introduced in item.introducedValues {
            guard let field = item.fieldIndex(id: introduced.field), let date = item.fieldIndex(id: introduced.date) else {
                continue
            }
            rules.append(IntroducedValueRule(field: field, values: introduced.values.map { Array($0.utf8) },
                                             since: introduced.since, date: date))
        }
        if let period = item.publicationPeriod, let from = item.fieldIndex(id: period.from),
           let until = item.fieldIndex(id: period.until) {
            rules.append(PublicationPeriodRule(from: from, until: until, minimumMonths: period.minimumMonths,
                                               maximumMonths: period.maximumMonths))
        }
        if let stated = item.amountInText, let text = item.fieldIndex(id: stated.text),
           let amount = item.fieldIndex(id: stated.amount), case .decimal(let scale) = item.fields[amount].type {
            rules.append(AmountInTextRule(text: text, amount: amount, keyword: Array(stated.keyword.utf8), scale: scale,
                                          suspiciousFrom: item.fields[amount].suspiciousFrom))
        }
        if let subject = item.subject, let code = subjectCode, let name = item.fieldIndex(id: subject.name) {
            rules.append(SubjectConsistencyRule(code: code, name: name,
                                                orgCode: subject.orgCode.flatMap(item.fieldIndex(id:))))
        }
        return rules
    }

    /// The checks of each record on its own and against its file's earlier records (rules,
    /// timeliness, key digests, new subject pairs): no archive, so a thread of its own can run
    /// them while another archives the previous batch. `outcome` is overwritten.
    ///
    /// Records `skipping` marks as candidates (byte-identical re-sends of current versions,
    /// ``RepeatMarks``) are not checked: they count as accepted, with no key, finding or subject.
    public func check(_ batch: RecordBatch, into outcome: inout ValidationOutcome, scratch: inout RecordScratch,
                      skipping: [RepeatMarks.Fate] = []) {
        outcome.removeAll()
        var context = RuleContext(layout: layout, item: item, emptyTokens: settings.emptyTokens)
        // Records checked against each edition of the standard, by index (an array: no hashing per record).
        var editionCounts = [Int](repeating: 0, count: standards?.editions.editions.count ?? 0)
        let bareQuotes = batch.bareQuoteRecords
        var nextBareQuote = 0
        batch.withFields { fields in
            // Borrowing the rules through a buffer spares a retain and release of each rule per record.
            rules.withUnsafeBufferPointer { rules in
            for record in 0..<fields.count {
                context.recordHasError = false
                if !skipping.isEmpty, skipping[record] == .candidate {
                    // Not checked, but held to its edition as its first copy was: the report's
                    // editions add up to the records read, as with `--recheck`.
                    if let standards {
                        editionCounts[standards.editions.edition(decidedOn: dateValue(record, standards.dateField, fields, context))] += 1
                    }
                    outcome.decisions.append(nil)
                    outcome.pendingKeys.append(nil)
                    outcome.timelinessVerdicts.append(.none)
                    outcome.subjectProbes.append(nil)
                    outcome.rejected.append(false)
                    while nextBareQuote < bareQuotes.count, bareQuotes[nextBareQuote] <= record { nextBareQuote += 1 }
                    continue
                }
                context.rejectedBefore = !skipping.isEmpty && skipping[record] == .rejectedBefore
                if nextBareQuote < bareQuotes.count, bareQuotes[nextBareQuote] == record {
                    context.report(RuleIDs.bareQuote, .warning, record: record)
                    nextBareQuote += 1
                }
                outcome.decisions.append(nil)
                outcome.pendingKeys.append(nil)
                outcome.timelinessVerdicts.append(.none)
                outcome.subjectProbes.append(nil)
                rowRule.check(record, fields, &context)
                if let standards {
                    context.decided = context.recordHasError ? nil : dateValue(record, standards.dateField, fields, context)
                    editionCounts[standards.editions.edition(decidedOn: context.decided)] += 1
                }
                if !context.recordHasError {
                    context.subjectKind = item.subjectKind(record: record, fields, layout)
                    for index in 0..<rules.count { rules[index].check(record, fields, &context) }
                    tracker.prepare(record, fields, &context, &scratch, &outcome)
                } else {
                    if tracker.hasTimeliness {
                        outcome.timeliness.unknown += 1
                        outcome.timelinessVerdicts[record] = .unknown
                    }
                }
                outcome.rejected.append(context.recordHasError)
                if context.recordHasError { outcome.rejectedCount += 1 }
            }
            }
        }
        swap(&outcome.findings, &context.findings)
        if let standards {
            for (index, count) in editionCounts.enumerated() where count > 0 {
                outcome.editions[standards.editions.editions[index].id, default: 0] += count
            }
        }
    }

    /// What a checked batch asks of the archive before the history stage decides its records'
    /// fates: their keys, subject codes and decisions, and when `registry` is true (the archive
    /// has a registry, this item is not it) the codes to look up there, in canonical form.
    public func ask(about checked: CheckedBatch, registry: Bool, into questions: inout HistoryQuestions) {
        guard registry, tracker.checksRegistry else { return questions.ask(about: checked.outcome) }
        let context = RuleContext(layout: layout, item: item, emptyTokens: settings.emptyTokens)
        var code: [UInt8] = []
        checked.records.withFields { fields in
            questions.ask(about: checked.outcome) { record in
                tracker.canonicalCode(record, fields, context, into: &code) ? String(decoding: code, as: UTF8.self) : nil
            }
        }
    }

    /// Words what the history stage decided (`checked.history`) in the batch's outcome: a
    /// repeated key is `DUP_RECORD` and rejects its record, 重码 and the registry's other name
    /// are warnings, a record the archive had accepted before is not judged for timeliness
    /// again; and fills in the names the verdicts point at. Findings stay in record order.
    public func applyHistory(to checked: inout CheckedBatch) {
        var context = RuleContext(layout: layout, item: item, emptyTokens: settings.emptyTokens)
        let history = checked.history
        var firstNames = history.firstNames
        var conflicts = history.nameConflicts
        checked.records.withFields { fields in
            for index in firstNames.indices {
                firstNames[index].name = tracker.subjectName(firstNames[index].record, fields, context)
            }
            for index in conflicts.indices {
                guard let namer = conflicts[index].namedBy else { continue }
                conflicts[index].name = tracker.subjectName(namer, fields, context)
            }
            var duplicate = history.duplicates[...], conflict = conflicts[...]
            var mismatch = history.registryMismatches[...]
            while let record = Self.earliest(duplicate.first, conflict.first?.record, mismatch.first?.record) {
                context.recordHasError = checked.outcome.rejected[record]
                let isDuplicate = duplicate.first == record
                if isDuplicate { duplicate = duplicate.dropFirst() }
                var conflictName: String?, registeredName: String?
                if conflict.first?.record == record {
                    conflictName = conflict.first!.name
                    conflict = conflict.dropFirst()
                }
                if mismatch.first?.record == record {
                    registeredName = mismatch.first!.name
                    mismatch = mismatch.dropFirst()
                }
                tracker.word(record, duplicate: isDuplicate, conflict: conflictName, registered: registeredName, fields,
                             &context, &checked.outcome)
                if context.recordHasError, !checked.outcome.rejected[record] {
                    checked.outcome.rejected[record] = true
                    checked.outcome.rejectedCount += 1
                }
            }
        }
        checked.history.firstNames = firstNames
        checked.history.nameConflicts = conflicts
        if !history.unjudged.isEmpty {
            // Re-sends of records the archive had accepted: not judged again (a record sent on its
            // deadline and re-sent unchanged the next day is not late).
            let unjudged = Set(history.unjudged)
            for record in history.unjudged {
                checked.outcome.timeliness.remove(checked.outcome.timelinessVerdicts[record])
                checked.outcome.timelinessVerdicts[record] = .none
            }
            checked.outcome.findings.removeAll { finding in
                finding.rule == RuleIDs.timelinessLate && finding.record.map { unjudged.contains($0) } == true
            }
        }
        guard !context.findings.isEmpty else { return }
        // Findings stay in record order (a stable merge: each record's own findings first).
        var merged: [Finding] = []
        merged.reserveCapacity(checked.outcome.findings.count + context.findings.count)
        var added = context.findings[...]
        for finding in checked.outcome.findings {
            while let next = added.first, (next.record ?? -1) < (finding.record ?? -1) {
                merged.append(next)
                added = added.dropFirst()
            }
            merged.append(finding)
        }
        merged.append(contentsOf: added)
        checked.outcome.findings = merged
    }

    /// The smallest of three records, nil when none is given.
    private static func earliest(_ first: Int?, _ second: Int?, _ third: Int?) -> Int? {
        func smaller(_ one: Int?, _ other: Int?) -> Int? {
            guard let one else { return other }
            guard let other else { return one }
            return min(one, other)
        }
        return smaller(smaller(first, second), third)
    }

    /// Checks a batch as a file of its own, with the history of an in-memory archive that lives
    /// only for this call (tests, one-off checks).
    public func validate(_ batch: RecordBatch, into outcome: inout ValidationOutcome) {
        var scratch = RecordScratch()
        validate(batch, into: &outcome, scratch: &scratch, history: InMemoryHistory())
    }

    /// Checks a batch of a file against `history`, an in-memory archive that remembers keys and
    /// names from batch to batch (``InMemoryHistory/startFile()`` begins another file): the
    /// record checks, then what the history stage decides, worded. Nothing is normalized, so
    /// only the findings and rejections are meaningful, not the history counts.
    public func validate(_ batch: RecordBatch, into outcome: inout ValidationOutcome, scratch: inout RecordScratch,
                         history: InMemoryHistory) {
        var checked = CheckedBatch(fieldCount: item.fields.count)
        checked.records = batch
        check(batch, into: &checked.outcome, scratch: &scratch)
        var questions = HistoryQuestions()
        ask(about: checked, registry: false, into: &questions)
        var prior = PriorState()
        history.fetchPrior(questions, into: &prior)
        History.decide(checked, prior: prior, into: &checked.history)
        applyHistory(to: &checked)
        history.record(checked)
        outcome = checked.outcome
    }
}

extension IdentifierKind {
    /// The identifier standard a catalog code kind names; nil for `other` (folded, not checked).
    init?(_ kind: CodeKind) {
        switch kind {
        case .uscc: self = .uscc
        case .org: self = .org
        case .id: self = .id
        case .regno: self = .regno
        case .other: return nil
        }
    }
}
