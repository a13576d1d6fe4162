import CreditCore

/// Checks a stream of codes, one per line, into tab-separated verdicts:
/// `<code>\t<valid|warning|invalid>\t<defect codes, comma-separated>`.
///
/// Works on chunks of bytes so a caller can stream millions of lines through fixed buffers: a
/// line split across chunks is carried over, and nothing is allocated per line.
public struct CodeLineChecker {
    let kind: IdentifierKind?
    let reference: IdentifierReference
    let today: CivilDate
    private var pending: [UInt8] = []
    private var canonical: [UInt8] = []
    private let defectCodes: [[UInt8]]
    /// How many lines were checked, and how many of them were invalid.
    public private(set) var lines = 0
    public private(set) var invalid = 0

    /// `kind` nil detects each code's kind from its shape (``IdentifierKind/detect(_:reference:today:)``).
    public init(kind: IdentifierKind?, reference: IdentifierReference = .standard, today: CivilDate) {
        self.kind = kind
        self.reference = reference
        self.today = today
        defectCodes = IdentifierDefect.allCases.map { Array($0.code.utf8) }
        pending.reserveCapacity(256)
        canonical.reserveCapacity(64)
    }

    /// Checks every complete line of `chunk`, appending their verdicts to `output`.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var start = 0
        for index in 0..<chunk.count where chunk[index] == 0x0A {
            if pending.isEmpty {
                checkLine(UnsafeBufferPointer(rebasing: chunk[start..<index]), into: &output)
            } else {
                pending.append(contentsOf: chunk[start..<index])
                let line = pending
                line.withUnsafeBufferPointer { checkLine($0, into: &output) }
                pending.removeAll(keepingCapacity: true)
            }
            start = index + 1
        }
        pending.append(contentsOf: chunk[start...])
    }

    /// Checks a last line that had no newline.
    public mutating func finish(into output: inout [UInt8]) {
        guard !pending.isEmpty else { return }
        let line = pending
        line.withUnsafeBufferPointer { checkLine($0, into: &output) }
        pending.removeAll()
    }

    private mutating func checkLine(_ raw: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var line = raw
        if let last = line.last, last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        lines += 1
        canonical.removeAll(keepingCapacity: true)
        CodeCanonicalForm.append(ByteText.trimmed(line), to: &canonical)
        let result = canonical.withUnsafeBufferPointer { code in
            let kind = self.kind ?? IdentifierKind.detect(code, reference: reference, today: today)
            return kind.check(code, reference: reference, today: today)
        }
        output.append(contentsOf: line)
        output.append(0x09)
        output.append(contentsOf: result.status.rawValue.utf8)
        output.append(0x09)
        var first = true
        result.forEachDefect { defect in
            if !first { output.append(0x2C) }
            first = false
            output.append(contentsOf: defectCodes[defect.rawValue])
        }
        output.append(0x0A)
        if result.status == .invalid { invalid += 1 }
    }
}
