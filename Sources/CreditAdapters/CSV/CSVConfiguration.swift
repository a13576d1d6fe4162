/// How a feed's CSV files are written.
public struct CSVConfiguration: Sendable, Hashable {
    /// Field separator: `,` `;` tab or `|`.
    public var delimiter: UInt8
    public var quote: UInt8
    /// Records per batch handed to validation: large enough to amortize per-batch work,
    /// small enough to keep memory flat.
    public var batchSize: Int
    /// Bytes read from the file at a time.
    public var readSize: Int

    public init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""),
                batchSize: Int = 4096, readSize: Int = 1 << 20) {
        self.delimiter = delimiter
        self.quote = quote
        self.batchSize = max(batchSize, 1)
        self.readSize = max(readSize, 1)
    }
}
