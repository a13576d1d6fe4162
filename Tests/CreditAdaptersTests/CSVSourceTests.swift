import CreditAdapters
import CreditCore
import Testing
import TestSupport

@Suite struct CSVSourceTests {
    @Test func quotedFieldsKeepDelimitersQuotesAndLineBreaks() throws {
        let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",z\r\n3,,\r\n"
        let read = try readCSV(text)
        #expect(read.header == ["a", "b", "c"])
        #expect(read.records == [["1", "x, y", "say \"hi\""], ["2", "two\nlines", "z"], ["3", "", ""]])
        #expect(read.lines == [2, 3, 5])
    }

    @Test func recordsKnowTheirLineAndByteOffset() throws {
        let text = "h1,h2\n\nr1,a\n  \nr2,\"b\nb\"\nr3,c"
        let read = try readCSV(text)
        #expect(read.records.map { $0[0] } == ["r1", "r2", "r3"])
        #expect(read.lines == [3, 5, 7])
        #expect(read.offsets == [7, 15, 24])
    }

    @Test func byteOrderMarkIsNotPartOfTheHeader() throws {
        let read = try readCSV("\u{FEFF}名称,代码\n甲,1\n")
        #expect(read.header == ["名称", "代码"])
        #expect(read.offsets == [17])  // 3 bytes of BOM + 14 of header
    }

    /// The same records come out however the input is cut into reads and batches.
    @Test(arguments: [1, 2, 3, 7, 64])
    func chunkingDoesNotChangeTheResult(chunk: Int) throws {
        let text = "a,b\r\n\"q,1\",x\r\n\r\n\"multi\r\nline\",y\r\nlast,z"
        let whole = try readCSV(text)
        let cut = try readCSV(text, chunk: chunk, readSize: chunk, batchSize: 1)
        #expect(cut.records == whole.records)
        #expect(cut.lines == whole.lines)
        #expect(cut.offsets == whole.offsets)
        #expect(whole.lines == [2, 4, 6])
    }

    /// Old Mac and some Excel exports end lines with a lone CR: every record is read, with its
    /// line and offset, however the input is cut (a CR at the end of a read decides nothing until
    /// the next byte shows whether an LF follows).
    @Test(arguments: [1, 2, 3, 5, 1 << 20])
    func carriageReturnOnlyLinesAreLinesAtEveryCut(chunk: Int) throws {
        let text = "a,b\r1,x\r2,\"two\rlines\"\r\r3,z\r"
        let read = try readCSV(text, chunk: chunk, readSize: min(chunk, 1 << 20), batchSize: 1)
        #expect(read.header == ["a", "b"])
        #expect(read.records == [["1", "x"], ["2", "two\rlines"], ["3", "z"]])
        #expect(read.lines == [2, 3, 6])
        #expect(read.offsets == [4, 8, 23])
    }

    /// A 300-record CR-only file (the defect: 0 records read, and the run said success).
    @Test func aCarriageReturnOnlyFileReadsEveryRecord() throws {
        let text = "名称,代码\r" + (1...300).map { "主体\($0),\($0)" }.joined(separator: "\r") + "\r"
        let read = try readCSV(text)
        #expect(read.records.count == 300)
        #expect(read.records.last == ["主体300", "300"])
        #expect(read.lines.last == 301)
    }

    /// CR-only, LF and CRLF line ends mixed in one file, a CRLF cut between two reads.
    @Test(arguments: [1, 2, 4, 6])
    func mixedLineEndsCountLinesAlike(chunk: Int) throws {
        let text = "a,b\r\n1,x\r2,y\n3,z\r\n4,w"
        let read = try readCSV(text, chunk: chunk, readSize: chunk, batchSize: 2)
        #expect(read.records.map { $0[0] } == ["1", "2", "3", "4"])
        #expect(read.lines == [2, 3, 4, 5])
        #expect(read.offsets == [5, 9, 13, 18])
    }

    /// Every value is held to the limit, one that fits in a single read included (a 300 KB value
    /// among other fields of its line used to be archived as compliant).
    @Test(arguments: [1 << 20, 4096])
    func aValueOverTheLimitStopsTheFileWhereverReadsEnd(readSize: Int) throws {
        let long = String(repeating: "长", count: 100_000)   // 300,000 bytes
        let text = "a,b,c\n1,short,x\n2,\(long),y\n3,z,w\n"
        let error = #expect(throws: AdapterError.self) {
            var source = try CSVSource(bytes: MemoryByteSource(text), file: SourceFile(path: "t.csv"),
                                       configuration: CSVConfiguration(readSize: readSize, maximumFieldBytes: 256 * 1024))
            var batch = RecordBatch()
            while try source.next(into: &batch) {}
        }
        #expect(error?.line == 3, "\(String(describing: error))")
        #expect(error?.message.contains("longer than 262144 bytes") == true)
    }

    /// A batch is handed on when its bytes reach the bound, so large values do not pile up 4,096
    /// records deep; no record is lost or split across batches.
    @Test func batchesAreBoundedByTheirBytes() throws {
        let value = String(repeating: "x", count: 10_000)
        let text = "a,b\n" + (1...100).map { "\($0),\(value)\n" }.joined()
        var configuration = CSVConfiguration(batchSize: 4096)
        configuration.maximumBatchBytes = 50_000
        var source = try CSVSource(bytes: MemoryByteSource(text), file: SourceFile(path: "t.csv"), configuration: configuration)
        var batch = RecordBatch()
        var sizes: [Int] = [], records = 0
        while try source.next(into: &batch) {
            sizes.append(batch.byteCount)
            records += batch.count
        }
        #expect(records == 100)
        #expect(sizes.count >= 20, "\(sizes)")
        #expect(sizes.allSatisfy { $0 <= 50_000 + 10_010 }, "\(sizes)")
    }

    /// A quote inside an unquoted value (a coordinate, an inch mark) is read literally, as
    /// spreadsheets, Python's csv module and DuckDB read it, and its record is noted; a feed that
    /// asks for strict CSV still refuses the file. Quoted values with doubled quotes and CRLF
    /// inside them are read as before, however the input is cut.
    @Test(arguments: [1, 3, 1 << 20])
    func aBareQuoteIsReadLiterallyAndNoted(chunk: Int) throws {
        let text = "a,b,c\r\n1,37°36'37.8\"N,12\"\r\n2,\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n3,plain,x\"y\"z\r\n"
        func read(strict: Bool) throws -> (records: [[String]], noted: [Int]) {
            var configuration = CSVConfiguration(batchSize: 2, readSize: min(chunk, 1 << 20))
            configuration.strictQuotes = strict
            var source = try CSVSource(bytes: MemoryByteSource(text, chunk: chunk), file: SourceFile(path: "t.csv"),
                                       configuration: configuration)
            _ = try source.header()
            var batch = RecordBatch()
            var records: [[String]] = [], noted: [Int] = []
            while try source.next(into: &batch) {
                noted += batch.bareQuoteRecords.map { $0 + records.count }
                batch.withFields { fields in
                    for record in 0..<fields.count {
                        records.append((0..<fields.fieldCount(record)).map { ByteText.string(fields.field(record, column: $0)!) })
                    }
                }
            }
            return (records, noted)
        }
        let lenient = try read(strict: false)
        #expect(lenient.records == [["1", "37°36'37.8\"N", "12\""], ["2", "say \"hi\"", "two\r\nlines"],
                                    ["3", "plain", "x\"y\"z"]])
        #expect(lenient.noted == [0, 2])
        let error = #expect(throws: AdapterError.self) { _ = try read(strict: true) }
        #expect(error?.line == 2 && error?.message.contains("unexpected quote") == true, "\(String(describing: error))")
        // A character after a closing quote is still malformed, strict or not.
        let broken = #expect(throws: AdapterError.self) {
            var source = try CSVSource(bytes: MemoryByteSource("a,b\n\"x\"y,z\n"), file: SourceFile(path: "t.csv"))
            var batch = RecordBatch()
            while try source.next(into: &batch) {}
        }
        #expect(broken?.message.contains("after a closing quote") == true, "\(String(describing: broken))")
    }

    @Test func raggedRowsKeepTheFieldsTheyHave() throws {
        let read = try readCSV("a,b,c\n1,2\n1,2,3,4\n")
        #expect(read.records == [["1", "2"], ["1", "2", "3", "4"]])
    }

    @Test func unterminatedQuoteNamesTheRecordLine() throws {
        let error = #expect(throws: AdapterError.self) {
            _ = try readCSV("a,b\n1,x\n2,\"open\n3,y\n")
        }
        #expect(error?.line == 3)
        #expect(error?.isMalformedInput == true)
        #expect(error?.description.hasPrefix("test.csv:3: unterminated quoted field") == true)
    }

    /// In strict mode (a feed's `strict_quotes: true`) a stray quote names its line and column.
    @Test func strayQuoteNamesLineAndColumn() throws {
        let error = #expect(throws: AdapterError.self) {
            var configuration = CSVConfiguration()
            configuration.strictQuotes = true
            var source = try CSVSource(bytes: MemoryByteSource("a,b\n1,x\n宁波,ab\"c\n"), file: SourceFile(path: "t.csv"),
                                       configuration: configuration)
            var batch = RecordBatch()
            while try source.next(into: &batch) {}
        }
        #expect(error?.line == 3)
        #expect(error?.column == 6)
    }

    @Test func anEmptyFileHasNoHeader() throws {
        let error = #expect(throws: AdapterError.self) { _ = try readCSV("") }
        #expect(error?.line == 1)
    }

    @Test(arguments: [";", "\t", "|", ","])
    func otherDelimiters(delimiter: String) throws {
        let d = delimiter
        let text = "a\(d)b\n1\(d)\"2\(d)3\"\n"
        var source = try CSVSource(bytes: MemoryByteSource(text), file: SourceFile(path: "t.csv"),
                                   configuration: CSVConfiguration(delimiter: Array(d.utf8)[0]))
        #expect(try source.header() == ["a", "b"])
        var batch = RecordBatch()
        #expect(try source.next(into: &batch))
        #expect(batch.fieldCount(0) == 2)
        batch.withFields { fields in
            #expect(fields.field(0, column: 1).map(ByteText.string) == "2\(d)3")
        }
    }
}
