import CreditAdapters
import CreditCore
import Testing
import TestSupport

@Suite struct DecodingByteSourceTests {
    static let text = "行政相对人名称,罚款金额（万元）,备注\r\n宁波甬江食品有限公司,0.5,\"销售过期食品，\n已整改\"\r\n张三丰,0.2,𠀀生僻字\r\n"

    /// Everything a reader of the UTF-8 text would see, read through the decoder.
    static func read(_ bytes: [UInt8], encoding: TextEncoding, chunk: Int) throws -> (String, TextEncoding) {
        let source = try DecodingByteSource(MemoryByteSource(bytes: bytes, chunk: chunk), encoding: encoding, file: "t.csv")
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 7)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            output += buffer[0..<count]
        }
        return (String(decoding: output, as: UTF8.self), source.encoding)
    }

    /// GB18030 is converted whatever the chunk boundaries, characters split across chunks included.
    @Test(arguments: [1, 2, 3, 5, 1 << 16])
    func gb18030IsConvertedAtEveryBoundary(chunk: Int) throws {
        let (text, encoding) = try Self.read(gb18030(Self.text), encoding: .gb18030, chunk: chunk)
        #expect(text == Self.text)
        #expect(encoding == .gb18030)
    }

    @Test func theEncodingIsDetected() throws {
        #expect(try Self.read(gb18030(Self.text), encoding: .auto, chunk: 1 << 16) == (Self.text, .gb18030))
        #expect(try Self.read(Array(Self.text.utf8), encoding: .auto, chunk: 3) == (Self.text, .utf8))
        #expect(try Self.read([0xEF, 0xBB, 0xBF] + Array("a,b\n".utf8), encoding: .auto, chunk: 1 << 16).1 == .utf8)
        #expect(try Self.read(Array("plain,ascii\n".utf8), encoding: .auto, chunk: 1 << 16).1 == .utf8)
        #expect(TextEncoding(spelling: "GBK") == .gb18030)
        #expect(TextEncoding(spelling: "UTF8") == .utf8)
        #expect(TextEncoding(spelling: "latin1") == nil)
    }

    /// A UTF-8 file with one damaged byte on line 5 is told GB18030 by detection, whose decoding of
    /// the UTF-8 text then fails on line 1: the error names line 5 and the damaged byte instead.
    @Test func aDamagedByteInUTF8TextIsReportedWhereItIs() throws {
        let good = "名称,代码\n甲公司,1\n乙公司,2\n丙公司,3\n"
        let bytes = Array(good.utf8) + [0xFF] + Array("丁公司,4\n".utf8)
        let error = #expect(throws: AdapterError.self) {
            _ = try Self.read(bytes, encoding: .auto, chunk: 1 << 16)
        }
        #expect(error?.line == 5, "\(String(describing: error))")
        #expect(error?.message.contains("byte \(good.utf8.count) (FF") == true, "\(String(describing: error))")
        // A file that is GB18030 from its first Chinese character on is still judged as GB18030.
        let gb = gb18030("名称,代码\n甲公司,1\n") + [0xFF, 0x0A]
        let gbError = #expect(throws: AdapterError.self) {
            _ = try Self.read(gb, encoding: .auto, chunk: 1 << 16)
        }
        #expect(gbError?.line == 3, "\(String(describing: gbError))")
    }

    @Test func aGB18030FileReadsLikeItsUTF8Twin() throws {
        var source = try CSVSource(bytes: DecodingByteSource(MemoryByteSource(bytes: gb18030(Self.text), chunk: 4),
                                                              encoding: .auto, file: "t.csv"),
                                   file: SourceFile(path: "t.csv"))
        #expect(try source.header() == ["行政相对人名称", "罚款金额（万元）", "备注"])
        var batch = RecordBatch()
        _ = try source.next(into: &batch)
        let twin = try readCSV(Self.text)
        #expect(batch.provenance.map(\.line) == twin.lines)
        batch.withFields { fields in
            #expect(fields.field(0, column: 2).map(ByteText.string) == "销售过期食品，\n已整改")
        }
    }

    @Test func invalidBytesStopTheFileWithTheirOffset() throws {
        let bytes = gb18030("名称\n") + [0x81, 0x20] + Array("\n".utf8)
        #expect(throws: AdapterError.self) { try Self.read(bytes, encoding: .gb18030, chunk: 1 << 16) }
        do {
            _ = try Self.read(bytes, encoding: .gb18030, chunk: 1 << 16)
        } catch let error as AdapterError {
            #expect(error.isMalformedInput)
            #expect(error.description == "t.csv:2: byte 5 is not valid GB18030 (81 20 0A); check the file's encoding, or set `encoding:` of its feed")
        }
        // Told GB18030 from its start, then neither: the message says so, with the line.
        let mixed = Array("名称\n".utf8) + gb18030("宁波\n") + [0x81, 0x20] + Array("\n".utf8)
        do {
            _ = try Self.read(mixed, encoding: .auto, chunk: 1 << 16)
            Issue.record("bytes valid in neither encoding were accepted")
        } catch let error as AdapterError {
            #expect(error.line == 3, "\(error)")
            #expect(error.description.contains("is neither UTF-8 nor GB18030: the file mixes encodings"), "\(error)")
        }
        let cut = gb18030("名称\n宁波")
        do {
            _ = try Self.read(Array(cut.dropLast()), encoding: .gb18030, chunk: 1 << 16)
            Issue.record("a truncated file was accepted")
        } catch let error as AdapterError {
            #expect(error.description.contains("ends inside a GB18030 character"))
        }
    }
}
