import CreditAdapters
import CreditCatalog
import CreditCore
import CreditValidation
import Foundation

/// An inbox file hashed and opened: what the archiver needs to know before it begins the file.
struct OpenedFile {
    /// The file's SHA-256 and size (the ledger's key), or why the file could not be read at all.
    let hash: Result<(hex: String, size: Int64), AdapterError>
    /// The file open for reading, or why its adapter refused it (format, encoding, header); nil
    /// when it could not be hashed.
    let reading: Result<FileReading, AdapterError>?

    /// Hashes the file, then opens it with its feed's adapter and maps its header. `observe`
    /// sees each chunk the adapter reads (progress); `stop` ends the hash early (the run is ending).
    static func open(_ entry: Inbox.Entry, feed: Feed, item: CatalogItem, settings: ValidationSettings,
                     observe: @escaping @Sendable (Int) -> Void, stop: () -> Bool = { false }) -> OpenedFile
    {
        let hash: (hex: String, size: Int64)
        do {
            hash = try ContentHash.sha256(path: entry.target, displayPath: entry.relativePath, expected: entry.identity,
                                          stop: stop)
        } catch {
            return OpenedFile(hash: .failure(error), reading: nil)
        }
        do throws(AdapterError) {
            // What is parsed is hashed again as it is read: archived records must come from the
            // bytes the ledger names, not from a file that grew after it was hashed.
            let bytes = try FileByteSource(path: entry.target, displayPath: entry.relativePath, expected: entry.identity)
            let parsed = SnapshotHash()
            let source = try FeedFile.open(bytes, path: entry.target, displayPath: entry.relativePath, feed: feed,
                                           item: item, observe: { chunk in
                                               parsed.update(chunk)
                                               observe(chunk.count)
                                           })
            let flow = FileFlow(header: source.header, feed: feed, item: item, settings: settings)
            try flow.checkHeaderMatches(feed: feed, file: entry.relativePath)
            return OpenedFile(hash: .success(hash), reading: .success(FileReading(
                bytes: bytes, source: source, parsed: parsed, flow: flow)))
        } catch {
            return OpenedFile(hash: .success(hash), reading: .failure(error))
        }
    }
}

/// A file open for reading, with the hash of what its adapter has read so far.
final class FileReading: @unchecked Sendable {
    let bytes: FileByteSource
    let source: any RecordSource
    let parsed: SnapshotHash
    let flow: FileFlow

    init(bytes: FileByteSource, source: any RecordSource, parsed: SnapshotHash, flow: FileFlow) {
        self.bytes = bytes
        self.source = source
        self.parsed = parsed
        self.flow = flow
    }

    /// Reads what the adapter left of the file (XML stops after its root) into the hash, so the
    /// hash covers the whole file.
    func finish() throws(AdapterError) {
        try parsed.drain(bytes)
    }
}

/// One file hashed, opened, read, checked and normalized on a thread of its own, ahead of the
/// thread that archives.
///
/// The archiver takes files in inbox order and starts the next file's read-ahead when it
/// begins one, so the next file's hash, opening and first batches are ready when it gets there:
/// a backfill of many files reads one file while it archives another, and no time passes between
/// files with a core idle. Nothing here touches the archive; what depends on it (the ledger,
/// business keys, 重码 names, the registry) waits for the archiver, in order. The handoff is
/// bounded, so a file read ahead holds a few batches, not the file.
final class FileReadAhead: @unchecked Sendable {
    let handoff = BatchHandoff()
    private let condition = NSCondition()
    private var opened: OpenedFile?
    /// Whether the reader waits for the archiver to provide the feed's prints before it checks a
    /// record; when not, it checks every record, and the archiver loads none for this file.
    let expectsPrints: Bool

    /// Starts the thread: `open` hashes and opens the file (it is told to stop early when the
    /// archiver cancels), then every batch goes to ``handoff``.
    init(expectsPrints: Bool, open: @escaping @Sendable (_ stop: () -> Bool) -> OpenedFile) {
        self.expectsPrints = expectsPrints
        if !expectsPrints { handoff.providePrints(nil) }
        let thread = Thread { [self] in
            defer { handoff.readerDidFinish() }
            let file = open { handoff.isCancelled }
            condition.lock()
            opened = file
            condition.broadcast()
            condition.unlock()
            guard case .success(let reading)? = file.reading else { return }
            reading.flow.read(reading.source, into: handoff, finish: { () throws(AdapterError) in try reading.finish() })
        }
        // Deep enough for libxml2 and the adapters' own recursion.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The hashed and opened file, waiting for it.
    func file() -> OpenedFile {
        condition.lock()
        defer { condition.unlock() }
        while opened == nil { condition.wait() }
        return opened!
    }

    /// Stops reading (the file is skipped, failed or done) and waits until the thread has let
    /// go of the file.
    func cancel() {
        handoff.cancelAndWaitForReader()
    }
}
