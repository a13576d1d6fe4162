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
    /// The longest value a file may hold: a longer one stops the file (its line named), so that
    /// memory stays bounded whatever a file holds (a 100 MB value once took 550 MB of memory and
    /// was archived with a warning). Set per item in the catalog (`max_field_bytes`).
    public var maximumFieldBytes: Int
    public static let defaultMaximumFieldBytes = 256 * 1024
    /// A batch is handed on once its field bytes reach this, even short of `batchSize` records:
    /// memory follows the limit, not the file (4,096 records of 200 KiB values would otherwise
    /// make one batch of 800 MB).
    public var maximumBatchBytes = 16 << 20
    /// Whether a quote inside an unquoted value stops the file (strict RFC 4180) rather than being
    /// read literally and noted on its record (``RecordBatch/bareQuoteRecords``).
    public var strictQuotes = false

    public init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""),
                batchSize: Int = 4096, readSize: Int = 1 << 20, maximumFieldBytes: Int = defaultMaximumFieldBytes) {
        self.delimiter = delimiter
        self.quote = quote
        self.batchSize = max(batchSize, 1)
        self.readSize = max(readSize, 1)
        self.maximumFieldBytes = max(maximumFieldBytes, 1)
    }
}
