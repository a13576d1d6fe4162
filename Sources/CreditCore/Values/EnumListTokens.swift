/// Splits an enum-list value on the separators departments use: `;` `；` `、` `,` `，`.
public enum EnumListTokens {
    public static func forEach(_ value: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0, index = 0
        let count = value.count
        while index < count {
            let width = separatorWidth(value, at: index)
            if width > 0 {
                let token = ByteText.trimmed(UnsafeBufferPointer(rebasing: value[start..<index]))
                if !token.isEmpty { body(token) }
                index += width
                start = index
            } else {
                index += 1
            }
        }
        let token = ByteText.trimmed(UnsafeBufferPointer(rebasing: value[start..<count]))
        if !token.isEmpty { body(token) }
    }

    /// Bytes of the separator starting at `index`, or 0.
    public static func separatorWidth(_ value: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = value[index]
        if byte == 0x3B || byte == 0x2C { return 1 }
        guard index + 2 < value.count else { return 0 }
        let b1 = value[index + 1], b2 = value[index + 2]
        if byte == 0xEF, b1 == 0xBC, b2 == 0x9B || b2 == 0x8C { return 3 }   // ； ，
        if byte == 0xE3, b1 == 0x80, b2 == 0x81 { return 3 }                  // 、
        return 0
    }
}
