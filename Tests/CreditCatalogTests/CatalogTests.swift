import CreditCatalog
import Testing
import TestSupport

@Suite struct CatalogTests {
    @Test func theShippedCatalogLoads() throws {
        let catalog = try Repository.catalog()
        let penalty = try #require(catalog.items["admin_penalty"])
        #expect(penalty.fields.count == 30)
        #expect(penalty.fields.filter(\.required).count == 14)
        #expect(catalog.departments["nb-scjg"]?.name == "宁波市市场监督管理局")
        #expect(catalog.feeds.map(\.item) == ["admin_penalty"])
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
        #expect(mapping.missingFields.count == 29)
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
