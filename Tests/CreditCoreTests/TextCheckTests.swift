import CreditCore
import Testing

@Suite struct TextCheckTests {
    func defect(_ bytes: [UInt8]) -> TextDefect? {
        bytes.withUnsafeBufferPointer { ByteText.textDefect($0) }
    }

    @Test func cleanTextPasses() {
        #expect(defect(Array("宁波甬江食品有限公司, a long ASCII run\tand a tab\r\n".utf8)) == nil)
        #expect(defect(Array("😀 four bytes".utf8)) == nil)
        #expect(defect([]) == nil)
    }

    @Test(arguments: [
        ([0x41, 0x00, 0x42], TextDefect.controlCharacter(offset: 1)),
        (Array("0123456789\u{1B}".utf8), TextDefect.controlCharacter(offset: 10)),
        ([0x41, 0xFF], TextDefect.invalidUTF8(offset: 1)),
        ([0xE5, 0xAE], TextDefect.invalidUTF8(offset: 0)),            // 宁 cut short
        ([0xC0, 0x80], TextDefect.invalidUTF8(offset: 0)),            // overlong NUL
        ([0xED, 0xA0, 0x80], TextDefect.invalidUTF8(offset: 0)),      // a UTF-16 surrogate
        (Array("01234567".utf8) + [0xE5, 0x41, 0x41], TextDefect.invalidUTF8(offset: 8)),
        ([0xC4, 0xFE, 0xB2, 0xA8], TextDefect.invalidUTF8(offset: 0)), // 宁波 in GBK
    ])
    func defectsAreFoundWhereTheyAre(bytes: [UInt8], expected: TextDefect) {
        #expect(defect(bytes) == expected)
    }
}
