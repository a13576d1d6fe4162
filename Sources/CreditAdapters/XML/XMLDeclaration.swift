/// The `encoding` an XML document's prolog declares (`<?xml version="1.0" encoding="GBK"?>`),
/// read from its first bytes; libxml2 decodes by it, and feedback to the department is written
/// back in it.
public enum XMLDeclaration {
    /// The declared encoding in upper case, `UTF-8` when the prolog declares none (XML's
    /// default), or nil when `bytes` do not start with a prolog at all.
    public static func encoding(in bytes: some Collection<UInt8>) -> String? {
        var bytes = Array(bytes.prefix(512))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard bytes.starts(with: Array("<?xml".utf8)), let end = bytes.firstIndex(of: UInt8(ascii: ">")) else {
            return nil
        }
        let prolog = String(decoding: bytes[..<end], as: UTF8.self)
        guard let key = prolog.firstRange(of: "encoding") else { return "UTF-8" }
        let rest = prolog[key.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return "UTF-8" }
        let name = rest.dropFirst().prefix { $0 != quote }
        return name.isEmpty ? "UTF-8" : name.uppercased()
    }
}
