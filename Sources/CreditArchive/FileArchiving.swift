import CreditCatalog
import CreditCore

/// What the pipeline needs of an archive to archive one file, whichever backend holds it: the
/// embedded SQLite ``Archive`` or the ``PostgresArchive`` that workers share. Neither decides
/// anything per record: both write what the history stage decided.
public protocol FileArchiving: AnyObject {
    associatedtype File: ArchivingFile
    /// The ledger entry of `department`'s file with this content, if one was archived before: a
    /// file is one department's submission, so another department's identical file is new.
    func ledgerEntry(sha256: String, department: String) throws(ArchiveError) -> LedgerEntry?
    /// Opens one file's transaction (or savepoint) and enters it in the ledger.
    func beginFile(_ draft: FileDraft, run: Int64, item: CatalogItem) throws(ArchiveError) -> File
    /// Notes what the run did with a file it saw.
    func note(_ outcome: FileOutcome, run: Int64) throws(ArchiveError)
    /// Whether a file of `feed` this size may be read against its feed's prints
    /// (``PrintSource/mayLoad(fileSize:tableBytes:)``), asked before it is read ahead: when
    /// not, its reader checks every record without waiting for the archiver to begin it.
    func mayLoadPrints(feed: String, fileSize: Int64) throws(ArchiveError) -> Bool
}

extension FileArchiving {
    public func mayLoadPrints(feed: String, fileSize: Int64) throws(ArchiveError) -> Bool { true }
}

/// One file being archived: the sink of its checked batches, where the history stage reads
/// what the archive knew before each, kept by ``commit()`` or forgotten by ``rollback()``.
public protocol ArchivingFile: BatchSink, AnyObject where Failure == ArchiveError {
    var fileID: Int64 { get }
    @discardableResult func commit() throws(ArchiveError) -> QualityCounts
    func rollback()
    /// The prints of the current versions of the file's feed (``PrintSet``), when the file is
    /// large enough against what the feed sent before to be a re-send of its table; nil when
    /// not, or when the backend keeps no prints. Called once, before the first batch.
    func currentPrints(fileSize: Int64) throws(ArchiveError) -> FeedPrints?
}

extension ArchivingFile {
    public func currentPrints(fileSize: Int64) throws(ArchiveError) -> FeedPrints? { nil }
}
