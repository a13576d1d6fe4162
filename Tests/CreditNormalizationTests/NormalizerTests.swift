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
