import CLibXML2
import CreditCore
import Foundation
import ZIPFoundation

/// The first worksheet of an Excel workbook (`.xlsx`) as rows of text: how offices keep the lists
/// of subjects they check (信用核查).
///
/// A workbook is a zip of XML parts: the workbook names its sheets, its relationships say which
/// part each is, the shared strings hold the text cells refer to by number. The parts are read
/// with libxml2's reader (no DTDs, no network) and each is limited in size, so a crafted file (a
/// zip bomb, a billion laughs) is refused rather than read into memory.
enum XLSXWorkbook {
    /// The most bytes one part may unpack to.
    static let maximumPartBytes = 256 << 20

    /// The rows of the first sheet, each with its row number (`<row r="7">`); cells by column, the
    /// gaps of empty cells filled with "".
    static func rows(data: Data, displayPath: String) throws(AdapterError) -> [(line: Int, cells: [String])] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw AdapterError(.malformed, file: displayPath,
                               message: "not a readable .xlsx workbook (\(error)); save the list again as Excel (.xlsx) or CSV")
        }
        let sheet = try firstSheetPath(archive, displayPath: displayPath)
        let strings = try archive["xl/sharedStrings.xml"].map { entry throws(AdapterError) in
            try sharedStrings(part(archive, entry, displayPath: displayPath), displayPath: displayPath)
        } ?? []
        guard let entry = archive[sheet] else {
            throw AdapterError(.malformed, file: displayPath, message: "the workbook names its first sheet \(sheet) but has no such part")
        }
        return try sheetRows(part(archive, entry, displayPath: displayPath), strings: strings, displayPath: displayPath)
    }

    /// One part's bytes, refused beyond ``maximumPartBytes`` whatever its entry claims.
    static func part(_ archive: Archive, _ entry: Entry, displayPath: String) throws(AdapterError) -> Data {
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard data.count + chunk.count <= maximumPartBytes else { throw PartTooLarge() }
                data.append(chunk)
            }
        } catch is PartTooLarge {
            throw AdapterError(.malformed, file: displayPath,
                               message: "\(entry.path) unpacks to more than \(maximumPartBytes >> 20) MiB; split the list")
        } catch {
            throw AdapterError(.malformed, file: displayPath, message: "\(entry.path) cannot be unpacked (\(error))")
        }
        return data
    }

    private struct PartTooLarge: Error {}

    /// The part of the workbook's first sheet: through the workbook's relationships, or the usual
    /// name when a workbook written by another program leaves them out.
    static func firstSheetPath(_ archive: Archive, displayPath: String) throws(AdapterError) -> String {
        guard let workbook = archive["xl/workbook.xml"] else {
            throw AdapterError(.malformed, file: displayPath, message: "not an Excel workbook (no xl/workbook.xml); save the list as .xlsx or CSV")
        }
        var relation: String?
        try XMLPart.walk(part(archive, workbook, displayPath: displayPath), part: "xl/workbook.xml",
                         displayPath: displayPath) { event in
            if case .start("sheet", let attributes) = event, relation == nil {
                relation = attributes["r:id"] ?? attributes["id"]
            }
        }
        var target: String?
        if let relation, let relations = archive["xl/_rels/workbook.xml.rels"] {
            try XMLPart.walk(part(archive, relations, displayPath: displayPath), part: "xl/_rels/workbook.xml.rels",
                             displayPath: displayPath) { event in
                if case .start("Relationship", let attributes) = event, attributes["Id"] == relation {
                    target = attributes["Target"]
                }
            }
        }
        guard let target else { return "xl/worksheets/sheet1.xml" }
        // Relative to xl/, or absolute within the package.
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    /// The shared strings in order: each `<si>`'s text, its rich-text runs joined, phonetic
    /// guides (`<rPh>`) left out.
    static func sharedStrings(_ data: Data, displayPath: String) throws(AdapterError) -> [String] {
        var strings: [String] = []
        var current = "", inText = false, phonetic = 0
        try XMLPart.walk(data, part: "xl/sharedStrings.xml", displayPath: displayPath) { event in
            switch event {
            case .start("si", _): current = ""
            case .end("si"): strings.append(current)
            case .start("rPh", _): phonetic += 1
            case .end("rPh"): phonetic -= 1
            case .start("t", _): inText = phonetic == 0
            case .end("t"): inText = false
            case .text(let text) where inText: current += text
            default: break
            }
        }
        return strings
    }

    /// The sheet's rows: shared strings looked up, inline strings and values as written.
    static func sheetRows(_ data: Data, strings: [String], displayPath: String) throws(AdapterError) -> [(line: Int, cells: [String])] {
        var rows: [(line: Int, cells: [String])] = []
        var cells: [String] = [], line = 0
        var column = 0, type = "", value = "", inValue = false
        var failure: AdapterError?
        try XMLPart.walk(data, part: "the first sheet", displayPath: displayPath) { event in
            switch event {
            case .start("row", let attributes):
                line = attributes["r"].flatMap { Int($0) } ?? (rows.last?.line ?? 0) + 1
                cells = []
            case .end("row"):
                rows.append((line, cells))
            case .start("c", let attributes):
                column = attributes["r"].flatMap(columnIndex) ?? cells.count
                type = attributes["t"] ?? "n"
                value = ""
            case .end("c"):
                var text = value
                if type == "s" {
                    guard let index = Int(value), strings.indices.contains(index) else {
                        if failure == nil {
                            // The cell's text is not repeated: it may be anything a person typed.
                            failure = AdapterError(.malformed, file: displayPath, line: line,
                                                   message: "a cell refers to a shared string the workbook does not have")
                        }
                        return
                    }
                    text = strings[index]
                }
                guard column < 16_384 else { return }
                if cells.count <= column { cells += Array(repeating: "", count: column + 1 - cells.count) }
                cells[column] = text
            case .start("v", _), .start("t", _): inValue = true
            case .end("v"), .end("t"): inValue = false
            case .text(let text) where inValue: value += text
            default: break
            }
        }
        if let failure { throw failure }
        return rows
    }

    /// `B7` → 1: the column letters of a cell reference, from 0.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0, letters = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65, scalar.value <= 90 else { break }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters == 0 || letters > 3 ? nil : index - 1
    }
}

/// One XML part read with libxml2's reader as a stream of start, text and end events.
enum XMLPart {
    enum Event {
        case start(String, [String: String])
        case text(String)
        case end(String)
    }

    static func walk(_ data: Data, part: String, displayPath: String, _ visit: (Event) -> Void) throws(AdapterError) {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_COMPACT.rawValue)
        let status: Int32 = data.withUnsafeBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                  let reader = xmlReaderForMemory(base, Int32(clamping: bytes.count), part, nil, options) else { return -1 }
            defer { xmlFreeTextReader(reader) }
            func text(_ pointer: UnsafePointer<xmlChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
            while true {
                let step = xmlTextReaderRead(reader)
                guard step == 1 else { return step }
                switch xmlTextReaderNodeType(reader) {
                case 10:  // DOCUMENT_TYPE: refused, as in department files
                    return -2
                case 1:
                    // Local names: some writers prefix the spreadsheet namespace (`x:row`).
                    let name = text(xmlTextReaderConstLocalName(reader))
                    var attributes: [String: String] = [:]
                    if xmlTextReaderHasAttributes(reader) == 1 {
                        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                            let value = text(xmlTextReaderConstValue(reader))
                            attributes[text(xmlTextReaderConstName(reader))] = value
                            let local = text(xmlTextReaderConstLocalName(reader))
                            if attributes[local] == nil { attributes[local] = value }
                        }
                        xmlTextReaderMoveToElement(reader)
                    }
                    let empty = xmlTextReaderIsEmptyElement(reader) == 1
                    visit(.start(name, attributes))
                    if empty { visit(.end(name)) }
                case 3, 4, 14:  // text, CDATA, significant whitespace
                    visit(.text(text(xmlTextReaderConstValue(reader))))
                case 15:
                    visit(.end(text(xmlTextReaderConstLocalName(reader))))
                default:
                    break
                }
            }
        }
        switch status {
        case 0: return
        case -2: throw AdapterError(.malformed, file: displayPath, message: "\(part) declares a DOCTYPE, which a workbook never does; refused")
        default: throw AdapterError(.malformed, file: displayPath, message: "\(part) is not well-formed XML; save the list again")
        }
    }
}
