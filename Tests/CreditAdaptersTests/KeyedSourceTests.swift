import CreditAdapters
import CreditCore
import Foundation
import Testing
import TestSupport

/// Reads keyed records (XML, JSON) into rows of the given columns plus `_extra`.
struct KeyedRows {
    static let columns = ["mc", "dm", "je"]
    static func builder() -> KeyedRecordBuilder {
        KeyedRecordBuilder(columns: columns) { key in
            ["mc": 0, "名称": 0, "dm": 1, "je": 2][key]
        }
    }

    static func rows(_ batch: RecordBatch) -> [[String]] {
        batch.withFields { fields in
            (0..<fields.count).map { record in
                (0..<fields.fieldCount(record)).map { fields.field(record, column: $0).map(ByteText.string) ?? "" }
            }
        }
    }

    static func json(_ text: String, path: [String] = [], chunk: Int = .max) throws -> ([[String]], [Int]) {
        var source = JSONSource(bytes: MemoryByteSource(text, chunk: chunk), file: SourceFile(path: "t.json"),
                                builder: builder(), configuration: JSONConfiguration(recordPath: path, batchSize: 2))
        return try drain { batch throws(AdapterError) in try source.next(into: &batch) }
    }

    static func xml(_ bytes: [UInt8], path: [String] = [], chunk: Int = .max) throws -> ([[String]], [Int]) {
        let source = try XMLSource(bytes: MemoryByteSource(bytes: bytes, chunk: chunk), file: SourceFile(path: "t.xml"),
                                   builder: builder(), configuration: XMLConfiguration(recordPath: path, batchSize: 2))
        return try drain { batch throws(AdapterError) in try source.next(into: &batch) }
    }

    /// Every record's row and line, batch by batch.
    static func drain(_ next: (inout RecordBatch) throws(AdapterError) -> Bool) throws -> ([[String]], [Int]) {
        var rows: [[String]] = [], lines: [Int] = []
        var batch = RecordBatch()
        while try next(&batch) {
            rows += Self.rows(batch)
            lines += batch.provenance.map(\.line)
        }
        return (rows, lines)
    }
}

@Suite struct JSONSourceTests {
    @Test(arguments: [1, 3, 7, 1 << 16])
    func anArrayOfObjectsAtEveryChunkSize(chunk: Int) throws {
        let text = """
            [
              {"mc": "宁波\\u7532公司", "dm": 913302006600000001, "je": 0.5},
              {"mc": "乙 \\"引号\\"", "dm": "91330200MA2EL6266C", "je": null, "lxdh": "0574-1", "tags": ["a", {"b": 1}]},
              {"名称": "丙", "je": 1e2, "ok": true}
            ]
            """
        let (rows, lines) = try KeyedRows.json(text, chunk: chunk)
        #expect(rows == [
            ["宁波甲公司", "913302006600000001", "0.5", ""],
            ["乙 \"引号\"", "91330200MA2EL6266C", "", "{\"lxdh\":\"0574-1\",\"tags\":\"[\\\"a\\\", {\\\"b\\\": 1}]\"}"],
            ["丙", "", "1e2", "{\"ok\":\"true\"}"],
        ])
        #expect(lines == [2, 3, 4])
    }

    @Test func anEnvelopeAndJSONLines() throws {
        let envelope = """
            {"code": 0, "msg": "ok", "meta": {"list": [{"mc": "not this"}]}, "data": {"total": 2, "list": [
              {"mc": "甲"}, {"mc": "乙"}
            ]}, "tail": [1, 2]}
            """
        #expect(try KeyedRows.json(envelope, path: ["data", "list"]).0.map { $0[0] } == ["甲", "乙"])
        let lines = "{\"mc\": \"甲\"}\n{\"mc\": \"乙\"}\n\n{\"mc\": \"丙\"}\n"
        let read = try KeyedRows.json(lines)
        #expect(read.0.map { $0[0] } == ["甲", "乙", "丙"])
        #expect(read.1 == [1, 2, 4])
    }

    /// Records over several lines, read in chunks that cut them anywhere: lines stay counted
    /// inside records (where the reader copies whole spans), so places stay right after them.
    @Test(arguments: [1, 2, 5, 11, 1 << 16])
    func linesInsideRecordsAtEveryChunkSize(chunk: Int) throws {
        let good = "[\n  {\"mc\": \"甲 {\\\"x\\\"}\",\n   \"dm\": \"a\"},\n  {\"mc\": \"乙\",\n   \"dm\": \"b\"}\n]"
        let (rows, lines) = try KeyedRows.json(good, chunk: chunk)
        #expect(rows.map { $0[0] } == ["甲 {\"x\"}", "乙"])
        #expect(lines == [2, 4])
        let bad = "[\n  {\"mc\": \"甲\",\n   \"dm\": \"a\"},\n  {\"mc\": \"乙\",\n   \"dm\" \"b\"}\n]"
        do {
            _ = try KeyedRows.json(bad, chunk: chunk)
            Issue.record("accepted a record without `:`")
        } catch let error as AdapterError {
            #expect(error.description == "t.json:5: expected `:` after the key \"dm\" (in the record starting on line 4)")
        }
        let unknown = "[{\"mc\": \"甲\"},\n {\"mc\": \"乙\"}\n, 42]"
        do {
            _ = try KeyedRows.json(unknown, chunk: chunk)
            Issue.record("accepted a number as a record")
        } catch let error as AdapterError {
            #expect(error.description == "t.json:3:3: expected an object `{` as the next record of the array")
        }
    }

    @Test(arguments: [
        ("[{\"mc\": \"甲\"},\n {\"mc\" \"乙\"}]", "t.json:2: expected `:` after the key \"mc\" (in the record starting on line 2)"),
        ("[{\"mc\": \"甲\"},\n 42]", "t.json:2:2: expected an object `{` as the next record of the array"),
        ("[{\"mc\": \"甲\"", "t.json:1: the file ends inside a record; it was probably cut off, send it again"),
        ("{\"data\": {\"rows\": []}}", "t.json:1:21: no `data.list` array in the file; check `record_path` of its feed"),
        ("[{\"mc\": tru}]", "t.json:1: \"mc\" has a value that is not JSON (3 characters unquoted; text must be in double quotes) (in the record starting on line 1)"),
    ])
    func malformedInputNamesItsPlace(text: String, message: String) throws {
        let path = message.contains("data.list") ? ["data", "list"] : []
        do {
            _ = try KeyedRows.json(text, path: path)
            Issue.record("accepted: \(text)")
        } catch let error as AdapterError {
            #expect(error.description == message)
            #expect(error.isMalformedInput)
        }
    }
}

@Suite struct XMLSourceTests {
    @Test(arguments: [1, 5, 1 << 16])
    func recordsFromElementsAndAttributes(chunk: Int) throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <d:DATA xmlns:d="urn:example">
              <d:ROW mc="甲公司">
                <dm>91330200MA2EL6266C</dm>
                <je>0.5</je>
                <lxdh>0574-1</lxdh>
              </d:ROW>
              <d:ROW><mc><![CDATA[乙 & 丙]]></mc><dm/><je>1</je><je>2</je></d:ROW>
            </d:DATA>
            """
        let (rows, lines) = try KeyedRows.xml(Array(xml.utf8), path: ["DATA", "ROW"], chunk: chunk)
        #expect(rows == [["甲公司", "91330200MA2EL6266C", "0.5", "{\"lxdh\":\"0574-1\"}"], ["乙 & 丙", "", "1;2", ""]])
        #expect(lines == [3, 8])
    }

    /// The encoding the prolog declares is honoured: a GBK export reads like its UTF-8 twin.
    @Test func aGBKPrologIsHonoured() throws {
        let body = "<DATA><ROW><mc>宁波甬江食品有限公司</mc></ROW></DATA>\n"
        let bytes = Array("<?xml version=\"1.0\" encoding=\"GBK\"?>\n".utf8) + gb18030(body)
        #expect(try KeyedRows.xml(bytes).0 == [["宁波甬江食品有限公司", "", "", ""]])
    }

    @Test(arguments: [
        // Billion laughs: refused at the DOCTYPE, before any expansion.
        ("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
            + "<DATA><ROW><mc>&lol2;</mc></ROW></DATA>", "DOCTYPE"),
        // External entity (XXE): refused the same way; /etc/passwd is never read.
        ("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><DATA><ROW><mc>&x;</mc></ROW></DATA>",
         "DOCTYPE"),
        ("<DATA><ROW><mc>甲</mc></ROW>\n<ROW><mc>乙</ROW></DATA>", "malformed XML"),
        ("<DATA><ROW><mc>甲</mc>", "malformed XML"),
    ])
    func unsafeOrMalformedInputIsRefused(text: String, expected: String) throws {
        do {
            let (rows, _) = try KeyedRows.xml(Array(text.utf8))
            Issue.record("accepted \(rows)")
        } catch let error as AdapterError {
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.isMalformedInput)
            #expect(!error.description.contains("root:"))
        }
    }

    @Test func malformedXMLNamesLineAndColumn() throws {
        do {
            _ = try KeyedRows.xml(Array("<DATA>\n<ROW><mc>甲</mc></ROW>\n<ROW><mc>乙</ROW>\n</DATA>".utf8))
            Issue.record("accepted")
        } catch let error as AdapterError {
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("t.xml:3:"))
        }
    }
}

/// What an XML prolog declares: the encoding feedback goes back to the department in.
@Suite struct XMLDeclarationTests {
    @Test(arguments: [
        ("<?xml version=\"1.0\" encoding=\"GBK\"?>\n<DATA/>", "GBK"),
        ("<?xml version='1.0' encoding='gb18030'?><DATA/>", "GB18030"),
        ("\u{FEFF}<?xml version=\"1.0\" encoding = \"utf-8\" ?><DATA/>", "UTF-8"),
        ("<?xml version=\"1.0\"?><DATA/>", "UTF-8"),
    ])
    func theDeclaredEncodingIsRead(_ text: String, _ expected: String) {
        #expect(XMLDeclaration.encoding(in: Array(text.utf8)) == expected)
    }

    @Test func noPrologNoAnswer() {
        #expect(XMLDeclaration.encoding(in: Array("<DATA><ROW/></DATA>".utf8)) == nil)
        #expect(XMLDeclaration.encoding(in: [UInt8]()) == nil)
    }
}

/// The keys a feedback file added come back with a corrected record: dropped only all together.
@Suite struct KeyedFeedbackKeysTests {
    func extra(_ pairs: [(String, String)]) -> String {
        var builder = KeyedRecordBuilder(columns: ["a"]) { $0 == "a" ? 0 : nil }
        for (key, value) in pairs { builder.set(key: key, value: Array(value.utf8)) }
        var batch = RecordBatch()
        builder.finish(into: &batch, origin: Provenance(line: 1, byteOffset: 0))
        return batch.withFields { fields in String(decoding: fields.field(0, column: 1) ?? .init(start: nil, count: 0), as: UTF8.self) }
    }

    @Test func allThreeAreDroppedAndAnyFewerKept() {
        #expect(extra([("a", "1"), ("原行号", "7"), ("问题规则", "REQUIRED"), ("问题说明", "必填项为空")]) == "")
        #expect(extra([("a", "1"), ("source_line", "7"), ("rules", "REQUIRED"), ("problems", "x"), ("z", "9")]) == "{\"z\":\"9\"}")
        #expect(extra([("a", "1"), ("rules", "own column")]) == "{\"rules\":\"own column\"}")
    }
}
