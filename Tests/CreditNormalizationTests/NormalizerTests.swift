import CreditAdapters
import CreditCatalog
import CreditCore
import CreditNormalization
import Testing
import TestSupport

@Suite struct NormalizerTests {
    let item = CatalogItem(
        id: "t", name: "测试", nameEnglish: "Test",
        fields: [
            FieldSpec(id: "mc", name: "名称", type: .text),
            FieldSpec(id: "dm", name: "代码", type: .code(.uscc)),
            FieldSpec(id: "zz", name: "组织机构代码", type: .code(.org)),
            FieldSpec(id: "rq", name: "日期", type: .date),
            FieldSpec(id: "zq", name: "有效期至", type: .date),
        ])

    func normalize(_ text: String, rejected: [Bool]? = nil) throws -> [[String?]] {
        var source = try CSVSource(bytes: MemoryByteSource(text), file: SourceFile(path: "t.csv"))
        let header = try source.header()
        let mapping = item.layout(forHeader: header)
        var batch = RecordBatch()
        _ = try source.next(into: &batch)
        var output = NormalizedBatch(fieldCount: item.fields.count)
        Normalizer(item: item, header: header, mapping: mapping)
            .normalize(batch, rejected: rejected ?? Array(repeating: false, count: batch.count), into: &output)
        return output.withValues { values in
            (0..<output.count).map { index in
                (0..<item.fields.count).map { values.value(index, $0).map(ByteText.string) }
                    + [output.raw[index].map { String(decoding: $0, as: UTF8.self) },
                       output.extra[index].map { String(decoding: $0, as: UTF8.self) }]
            }
        }
    }

    /// libcsv drops blanks around unquoted fields before we see them; ideographic spaces and
    /// quoted blanks reach normalization, which trims them and keeps the raw value.
    @Test func valuesTakeTheirCanonicalFormAndTheRawIsKept() throws {
        let rows = try normalize("名称,代码,组织机构代码,日期,有效期至,联系人\n"
            + "\" 宁波甲公司\u{3000}\",９１３３０２００ＭＡ２ＥＬ６２６６Ｃ,MA2EL626-6,2026/9/5,长期,王某\n")
        #expect(rows == [[
            "宁波甲公司", "91330200MA2EL6266C", "MA2EL6266", "2026-09-05", "2099-12-31",
            #"{"mc":" 宁波甲公司　","dm":"９１３３０２００ＭＡ２ＥＬ６２６６Ｃ","zz":"MA2EL626-6","rq":"2026/9/5","zq":"长期"}"#,
            #"{"联系人":"王某"}"#,
        ]])
    }

    @Test func canonicalValuesNeedNoRawCopy() throws {
        let rows = try normalize("名称,代码,组织机构代码,日期,有效期至\n宁波甲公司,91330200MA2EL6266C,MA2EL6266,2026-09-05,\n")
        #expect(rows == [["宁波甲公司", "91330200MA2EL6266C", "MA2EL6266", "2026-09-05", nil, nil, nil]])
    }

    @Test func emptyTokensBecomeNullWithTheRawKept() throws {
        let rows = try normalize("名称,代码,组织机构代码,日期,有效期至\n宁波甲公司,/,无,null,\n")
        #expect(rows == [["宁波甲公司", nil, nil, nil, nil, #"{"dm":"/","zz":"无","rq":"null"}"#, nil]])
    }

    @Test func rejectedRecordsAreLeftOut() throws {
        let rows = try normalize("名称,代码,组织机构代码,日期,有效期至\n甲,,,,\n乙,,,,\n丙,,,,\n", rejected: [false, true, false])
        #expect(rows.map { $0[0] } == ["甲", "丙"])
    }

    /// Enum codes become their values (the raw kept), an enum list its values once each in the
    /// catalog's order joined by `;`, and the status field says whether the record withdraws.
    @Test func enumCodesAndListsTakeTheirCanonicalFormAndWithdrawalsAreFlagged() throws {
        let enums = CatalogItem(
            id: "e", name: "测试", nameEnglish: "Test",
            fields: [
                FieldSpec(id: "zt", name: "当前状态", type: .enumeration(["有效", "无效", "撤销"]),
                          valueAliases: ["1": "有效", "2": "无效"]),
                FieldSpec(id: "lb", name: "处罚类别", type: .enumerationList(["警告", "罚款", "没收违法所得"])),
            ],
            withdrawal: WithdrawalRule(field: "zt", values: ["无效", "撤销"]))
        var source = try CSVSource(bytes: MemoryByteSource("当前状态,处罚类别\n1,罚款、警告\n２,\"没收违法所得；罚款;警告,罚款\"\n撤销,其他-责令改正;警告\n"),
                                   file: SourceFile(path: "t.csv"))
        let header = try source.header()
        var batch = RecordBatch()
        _ = try source.next(into: &batch)
        var output = NormalizedBatch(fieldCount: 2)
        Normalizer(item: enums, header: header, mapping: enums.layout(forHeader: header))
            .normalize(batch, rejected: [false, false, false], into: &output)
        let values = output.withValues { values in
            (0..<output.count).map { index in (0..<2).map { values.value(index, $0).map(ByteText.string) ?? "" } }
        }
        #expect(values == [["有效", "警告;罚款"], ["无效", "警告;罚款;没收违法所得"], ["撤销", "警告;其他-责令改正"]])
        #expect(output.raw[0].map { String(decoding: $0, as: UTF8.self) } == #"{"zt":"1","lb":"罚款、警告"}"#)
        #expect(output.withdrawn == [false, true, true])
        // The same content gives the same digest; any change another.
        #expect(Set(output.contentDigests).count == 3)
    }
}

/// The 2016 layout's columns in today's catalog: what they add to a record's content, and where
/// a merged column's values go.
@Suite struct LegacyColumnNormalizerTests {
    static let categories = ["警告", "罚款", "没收违法所得"]
    static let today: [FieldSpec] = [
        FieldSpec(id: "wsh", name: "文书号", type: .text),
        FieldSpec(id: "cflb", name: "处罚类别", type: .enumerationList(categories)),
    ]

    /// Today's fields and the 2016 columns the catalog gained after records were archived.
    static var withLegacy: [FieldSpec] {
        var case_ = FieldSpec(id: "ajmc", name: "案件名称", type: .text)
        case_.content = .ifPresent
        var second = FieldSpec(id: "cflb2", name: "处罚类别2", type: .enumerationList(categories))
        second.mergedInto = "cflb"
        second.content = .never
        var stamp = FieldSpec(id: "sjc", name: "时间戳", type: .text)
        stamp.content = .never
        return today + [case_, second, stamp]
    }

    static func normalized(_ fields: [FieldSpec], _ text: String) throws -> NormalizedBatch {
        let item = CatalogItem(id: "t", name: "测试", nameEnglish: "Test", fields: fields)
        var source = try CSVSource(bytes: MemoryByteSource(text), file: SourceFile(path: "t.csv"))
        let header = try source.header()
        var batch = RecordBatch()
        _ = try source.next(into: &batch)
        var output = NormalizedBatch(fieldCount: fields.count)
        Normalizer(item: item, header: header, mapping: item.layout(forHeader: header))
            .normalize(batch, rejected: Array(repeating: false, count: batch.count), into: &output)
        return output
    }

    /// A record in today's layout keeps the content digest it had before the catalog gained the
    /// 2016 columns: its re-send is still unchanged, not a new version of every archived record.
    @Test func columnsAddedLaterLeaveTodaysRecordsContentAsItWas() throws {
        let text = "文书号,处罚类别\n甬罚〔2026〕1号,罚款\n甬罚〔2026〕2号,\n"
        let before = try Self.normalized(Self.today, text)
        let after = try Self.normalized(Self.withLegacy, text)
        #expect(before.contentDigests.count == 2)
        #expect(before.contentDigests == after.contentDigests)
    }

    /// 案件名称 is content when it has a value (a corrected case name is a new version); the export
    /// timestamp never is.
    @Test func aValueOfAnAddedColumnIsContentAndATimestampIsNot() throws {
        let header = "文书号,处罚类别,案件名称,时间戳\n"
        let first = try Self.normalized(Self.withLegacy, header + "甬罚〔2016〕1号,罚款,案件甲,2016-06-01 08:00\n")
        let restamped = try Self.normalized(Self.withLegacy, header + "甬罚〔2016〕1号,罚款,案件甲,2016-06-02 08:00\n")
        let renamed = try Self.normalized(Self.withLegacy, header + "甬罚〔2016〕1号,罚款,案件乙,2016-06-01 08:00\n")
        let today = try Self.normalized(Self.withLegacy, "文书号,处罚类别\n甬罚〔2016〕1号,罚款\n")
        #expect(first.contentDigests == restamped.contentDigests)
        #expect(first.contentDigests != renamed.contentDigests)
        #expect(first.contentDigests != today.contentDigests)
    }

    /// 处罚类别2's categories are archived in 处罚类别's list, in catalog order; the column itself
    /// is archived empty and its value kept as received in `raw`.
    @Test func aMergedColumnsValuesJoinTheListItIsMergedInto() throws {
        let output = try Self.normalized(Self.withLegacy, "文书号,处罚类别,处罚类别2\n1号,罚款,警告\n2号,,没收违法所得\n3号,警告,\n")
        let rows = output.withValues { values in
            (0..<output.count).map { index in
                [values.value(index, 1).map(ByteText.string), values.value(index, 3).map(ByteText.string),
                 output.raw[index].map { String(decoding: $0, as: UTF8.self) }]
            }
        }
        #expect(rows == [
            ["警告;罚款", nil, #"{"cflb":"罚款","cflb2":"警告"}"#],
            ["没收违法所得", nil, #"{"cflb2":"没收违法所得"}"#],
            ["警告", nil, nil],
        ])
    }
}
