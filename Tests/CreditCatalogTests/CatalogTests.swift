import CreditCatalog
import Foundation
import Testing
import TestSupport

@Suite struct CatalogTests {
    @Test func theShippedCatalogLoads() throws {
        let catalog = try Repository.catalog()
        let penalty = try #require(catalog.items["admin_penalty"])
        #expect(penalty.fields.count == 35)   // 31 of today's layout, 4 of the 2016 layout's own
        #expect(penalty.fields.filter(\.required).count == 14)
        #expect(catalog.departments["nb-scjg"]?.name == "宁波市市场监督管理局")
        #expect(catalog.departments.count == 104)
        #expect(catalog.departments.values.filter { $0.level == "市级" }.count == 44)
        #expect(Set(catalog.items.keys) == ["admin_penalty", "admin_license", "enterprise_registration", "court_dishonest",
                                            "serious_dishonest", "abnormal_operation", "tax_a_grade", "credit_commitment",
                                            "credit_repair", "objection"])
        #expect(catalog.items.values.filter(\.isRegistry).map(\.id) == ["enterprise_registration"])
        #expect(catalog.calendar?.years == 2004...2026)
        #expect(Set(catalog.feeds.map(\.department)).count >= 8)
        let license = try #require(catalog.items["admin_license"])
        #expect(license.timeliness == TimelinessRule(decisionDate: "xk_jdrq", workingDays: 7))
        #expect(license.businessKey == ["xk_wsh", "xk_xdr_shxym|xk_xdr_zjhm", "xk_jdrq", "xk_xkbh"])
        #expect(license.withdrawal == WithdrawalRule(field: "xk_zt", values: ["无效", "撤销"]))
        #expect(penalty.withdrawal == WithdrawalRule(field: "cf_zt", values: ["无效", "撤销"]))
    }

    /// The 2016 layout's names (spec §7.1) are aliases of today's fields.
    @Test func the2016NamesOfAdministrativePenaltiesAreRecognised() throws {
        let penalty = try #require(try Repository.catalog().items["admin_penalty"])
        for (old, field) in [("cf_xzjg", "cf_cfjg"), ("cf_jg", "cf_nr"), ("cf_cflb1", "cf_cflb"), ("处罚事由", "cf_sy"),
                             ("cf_zt", "cf_zt")] {
            #expect(penalty.fieldIndex(forHeader: old) == penalty.fieldIndex(id: field), "\(old) → \(field)")
        }
    }

    /// A feed's own enum codes come before the item's, and must name values the field has.
    @Test func aFeedMapsItsOwnEnumCodes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.copyItem(atPath: Repository.path("catalogs"), toPath: directory.file("c"))
        let feeds = directory.file("c/feeds.yaml")
        var text = try String(contentsOfFile: feeds, encoding: .utf8)
        text = text.replacingOccurrences(of: """
              files: "nb-zjj/admin_license_*.csv"
            """, with: """
              files: "nb-zjj/admin_license_*.csv"
                value_aliases: {xk_zt: {"0": 有效, "1": 撤销}}
            """)
        try text.write(toFile: feeds, atomically: true, encoding: .utf8)
        let catalog = try Catalog.load(directory: directory.file("c"))
        let feed = try #require(catalog.feeds.first { $0.id == "nb-zjj.admin_license" })
        let item = try #require(catalog.items["admin_license"]).applying(feed)
        let status = try #require(item.fieldIndex(id: "xk_zt"))
        #expect(item.fields[status].valueAliases["1"] == "撤销")
        #expect(item.fields[status].valueAliases["0"] == "有效")
        #expect(item.fields[status].valueAliases["2"] == "无效", "the item's own codes stay for the rest")

        try text.replacingOccurrences(of: "\"1\": 撤销", with: "\"1\": 注销").write(toFile: feeds, atomically: true,
                                                                                   encoding: .utf8)
        #expect {
            try Catalog.load(directory: directory.file("c"))
        } throws: { error in
            "\(error)".contains("value_aliases.xk_zt.1") && "\(error)".contains("注销")
        }
    }

    @Test func headersMatchByIdNameOrAliasWhateverTheWidth() throws {
        let penalty = try #require(try Repository.catalog().items["admin_penalty"])
        #expect(penalty.fieldIndex(forHeader: "CF_WSH") == penalty.fieldIndex(id: "cf_wsh"))
        #expect(penalty.fieldIndex(forHeader: "罚款金额（万元）") == penalty.fieldIndex(id: "cf_nr_fk"))
        #expect(penalty.fieldIndex(forHeader: " 统一社会信用代码 ") == penalty.fieldIndex(id: "cf_xdr_shxym"))
        #expect(penalty.fieldIndex(forHeader: "联系电话") == nil)
        let mapping = penalty.layout(forHeader: ["cf_wsh", "联系电话", "行政处罚决定书文号"])
        #expect(mapping.unknownColumns == ["联系电话"])
        #expect(mapping.repeatedColumns == ["行政处罚决定书文号"])
        #expect(mapping.missingFields.count == 34)
    }

    @Test func everyProblemIsReportedWithFileLineAndKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("items/bad.yaml", """
            id: bad_item
            name: 坏
            fields:
              - id: a
                name: 甲
                type: datetime
              - id: a
                name: 乙
                type: text
                requird: true
              - id: B
                name: 丙
                type: enum
            """)
        try directory.write("departments.yaml", "departments:\n  - id: d1\n    name: 某局\n    level: 省级\n")
        try directory.write("feeds.yaml", """
            feeds:
              - id: f1
                department: nobody
                item: missing
                format: csv
                files: "*.csv"
            """)
        let error = #expect(throws: ConfigurationError.self) {
            _ = try Catalog.load(directory: directory.path)
        }
        let messages = try #require(error).problems.map(\.description)
        let file = directory.file("items/bad.yaml")
        #expect(messages.contains("\(file):6:11: fields[0].type: unknown field type 'datetime'; use one of "
            + "text, date, decimal(N), code(uscc|org|id|regno|other), enum, enum_list"))
        #expect(messages.contains("\(file):10:5: fields[1].requird: unknown key; check its spelling"))
        #expect(messages.contains { $0.hasPrefix("\(file):7:5: fields[1].id: field id 'a' is already declared at \(file):4:5") })
        #expect(messages.contains { $0.contains("fields[2].id: 'B' must be lower-case") })
        #expect(messages.contains { $0.contains("fields[2].values: an enum field needs a `values:` list") })
        #expect(messages.contains { $0.contains("departments[0].level: unknown level '省级'") })
        #expect(messages.contains { $0.contains("feeds[0].department: no department 'nobody'") })
        #expect(messages.contains { $0.contains("feeds[0].item: no item 'missing'") })
        #expect(messages.count == 8)
    }

    /// Rules that name fields are checked against the item, so a renamed field cannot silently
    /// switch a rule off.
    @Test func rulesNamingMissingFieldsAreReported() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("items/rules.yaml", """
            id: rules_item
            name: 规则
            subject_kind_field: lb
            subject_kinds: {自然人: natural_person, 法人: company}
            subject: {code: dm, name: nobody}
            business_key: [wsh, "dm|zjhm"]
            timeliness: {decision_date: mc, working_days: 7}
            date_order:
              - {earlier: rq, later: gone}
            fields:
              - id: mc
                name: 名称
                type: text
                required_when: {field: missing, present: true}
              - id: lb
                name: 类别
                type: enum
                values: [自然人, 法人]
                value_aliases: {"01": 个人}
              - id: dm
                name: 代码
                type: code(uscc)
                pattern: "[unclosed"
                forbidden_when: {subject: [martian]}
              - id: rq
                name: 日期
                type: date
            """)
        try directory.write("departments.yaml", "departments:\n  - id: d1\n    name: 某局\n    level: 市级\n")
        try directory.write("feeds.yaml", """
            feeds:
              - id: f1
                department: d1
                item: rules_item
                format: csv
                files: "*.csv"
                columns: {编号: wsh_typo}
            """)
        let error = #expect(throws: ConfigurationError.self) { _ = try Catalog.load(directory: directory.path) }
        let messages = try #require(error).problems.map(\.description)
        let file = directory.file("items/rules.yaml")
        for expected in [
            "\(file):4:16: subject_kinds.法人: unknown subject kind 'company'",
            "\(file):6:15: business_key[0]: names no field 'wsh' of this item",
            "subject.name: names no field 'nobody' of this item",
            "business_key[0]: names no field 'wsh' of this item",
            "business_key[1]: names no field 'zjhm' of this item",
            "timeliness.decision_date: 'mc' is not a date field",
            "date_order[0].later: names no field 'gone' of this item",
            "fields.mc: a condition names no field 'missing' of this item",
            "fields[1].value_aliases.01: '个人' is not one of this field's values",
            "fields[2].pattern: not a regular expression this program can read",
            "fields[2].forbidden_when.subject: list subject kinds",
            "feeds[0].columns.编号: names no field 'wsh_typo' of item rules_item",
        ] {
            #expect(messages.contains { $0.contains(expected) }, "missing: \(expected)\n\(messages.joined(separator: "\n"))")
        }
    }

    /// A `standing:` (信用核查) names fields of its item, of the right type, and holds while public
    /// only where the item has a publication policy; each mistake is located.
    @Test func standingRulesAreChecked() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("items/listed.yaml", """
            id: listed
            name: 名单
            subject: {code: dm, name: mc}
            business_key: [dm]
            standing:
              kind: harmful
              name: 列入名单
              decision: wsh
              date: mc
              months: 0
              while_public: true
            fields:
              - id: mc
                name: 名称
                type: text
              - id: dm
                name: 代码
                type: code(uscc)
            """)
        try directory.write("departments.yaml", "departments:\n  - id: d1\n    name: 某局\n    level: 市级\n")
        try directory.write("feeds.yaml", "feeds: []\n")
        let error = #expect(throws: ConfigurationError.self) { _ = try Catalog.load(directory: directory.path) }
        let messages = try #require(error).problems.map(\.description)
        let file = directory.file("items/listed.yaml")
        for expected in [
            "\(file):6:9: standing.kind: unknown kind 'harmful'; use adverse, favourable or on_record",
            "standing.months: must be at least 1",
        ] {
            #expect(messages.contains { $0.contains(expected) }, "missing: \(expected)\n\(messages.joined(separator: "\n"))")
        }
        // With the kind right, the field problems show.
        try directory.write("items/listed.yaml", try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: "kind: harmful", with: "kind: adverse").replacingOccurrences(of: "  months: 0\n", with: ""))
        let second = #expect(throws: ConfigurationError.self) { _ = try Catalog.load(directory: directory.path) }
        let problems = try #require(second).problems.map(\.description)
        for expected in [
            "standing.decision: names no field 'wsh' of this item",
            "standing.date: 'mc' is not a date field",
            "standing.while_public: the item has no publication: policy",
        ] {
            #expect(problems.contains { $0.contains(expected) }, "missing: \(expected)\n\(problems.joined(separator: "\n"))")
        }
    }

    /// Editions of a standard are catalog data, so their mistakes are located like any other:
    /// a field required since a date no edition starts on would leave reports unable to say what
    /// a record was held to.
    @Test func editionsAndLegacyColumnsAreChecked() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("items/editions.yaml", """
            id: editions_item
            name: 版本
            standards:
              date: mc
              editions:
                - {id: old, name: 旧版, since: 2010-01-01}
                - {id: new, name: 新版, since: 2021-07-15}
                - {id: new, name: 再版, since: 2020-01-01}
            fields:
              - id: mc
                name: 名称
                type: text
                required: true
                required_since: 2019-01-01
              - id: lb
                name: 类别
                type: enum_list
                values: [甲, 乙]
                required_since: 2021-07-15
              - id: lb2
                name: 类别2
                type: enum
                values: [甲]
                merged_into: lb
              - id: lb3
                name: 类别3
                type: enum_list
                values: [甲]
                merged_into: nothing
                content: sometimes
                identity_number_when: {field: lb, column_absent: yes, present: true}
            """)
        try directory.write("departments.yaml", "departments: []\n")
        try directory.write("feeds.yaml", "feeds: []\n")
        let error = #expect(throws: ConfigurationError.self) { _ = try Catalog.load(directory: directory.path) }
        let messages = try #require(error).problems.map(\.description)
        for expected in [
            "standards.editions[0].since: the first edition applies to every older decision",
            "standards.editions[2].since: editions are listed oldest first: 2020-01-01 is not after 2021-07-15",
            "standards.editions[2].id: 'new' is listed twice",
            "standards.date: 'mc' is not a date field",
            "fields.mc.required_since: 2019-01-01 starts no edition of the standard",
            "fields[1].required_since: says since when the field is required: add required: true",
            "fields.lb2.merged_into: merges only an enum_list into another enum_list",
            "fields.lb3.merged_into: names no field 'nothing' of this item",
            "fields[3].content: unknown value 'sometimes'; use always, if_present or never",
            "fields[3].identity_number_when: give exactly one of contains:, equals:, present: true or column_absent: true",
        ] {
            #expect(messages.contains { $0.contains(expected) }, "missing: \(expected)\n\(messages.joined(separator: "\n"))")
        }
    }

    @Test func invalidYAMLIsLocated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("items/x.yaml", "id: x\nname: [unclosed\n")
        try directory.write("departments.yaml", "departments: []\n")
        try directory.write("feeds.yaml", "feeds: []\n")
        let error = #expect(throws: ConfigurationError.self) { _ = try Catalog.load(directory: directory.path) }
        #expect(error?.problems.first?.description.hasPrefix(directory.file("items/x.yaml") + ":3:") == true)
    }
}
