import CreditCatalog
import CreditCore

/// What reports, feedback files and the reports' index read from an archive, on either backend:
/// the SQLite ``Archive`` or the ``PostgresArchive`` (where the last worker of a run builds its
/// report). Both answer the same questions with the same figures.
public protocol ReportArchive: AnyObject {
    /// Where the archive is (a file's path, a server's URL without password), for errors.
    var location: String { get }
    func run(_ id: Int64) throws(ArchiveError) -> ArchivedRun?
    /// The runs of a period, oldest first.
    func runs(in period: ReportPeriod) throws(ArchiveError) -> [ArchivedRun]
    /// Every file the scope's runs saw, in the order a single process takes them.
    func fileOutcomes(_ scope: ReportScope) throws(ArchiveError) -> [ArchivedFileOutcome]
    /// The runs whose files this run's report also covers.
    func abandonedRuns(reportedIn run: Int64) throws(ArchiveError) -> [Int64]
    /// Quality counts and code figures per department × item. Reads only: what later runs need
    /// of a run (its 重错码 flags, its figures) was recorded when the run completed.
    func slices(_ scope: ReportScope, subjects: [String: SubjectFields]) throws(ArchiveError) -> [ArchivedSlice]
    /// 错码 / 重码 figures over the whole scope.
    func codeFigures(_ scope: ReportScope) throws(ArchiveError) -> CodeFigures
    func duplicateCodeGroups(_ scope: ReportScope, limit: Int) throws(ArchiveError) -> [DuplicateCodeGroup]
    func sampleFindings(_ scope: ReportScope, perRule limit: Int) throws(ArchiveError) -> [ArchivedFinding]
    func runFigures(before run: Int64?) throws(ArchiveError) -> [RunFigures]
    func runListings() throws(ArchiveError) -> [RunListing]
    /// Each feed's last submission up to a run (`YYYY-MM-DD`): the day of the run that received it
    /// (archived, or its content again).
    func lastSubmissions(upto run: Int64) throws(ArchiveError) -> [String: String]
    func rejectedFiles(run: Int64) throws(ArchiveError) -> [RejectedFile]
    func forEachRejectedRow(file: Int64, _ body: (RejectedRow) -> Bool) throws(ArchiveError)
}

/// What `subject` and `trace` read: stored records with their lineage, on either backend.
public protocol RecordArchive: AnyObject {
    /// Accepted records of `item` whose identity-number `field` holds `number`, found by its digest
    /// (``SubjectLookup/identityDigest(_:)``): current versions first, then with `history` the
    /// earlier ones; newest first within each.
    func records(of item: CatalogItem, identityField field: String, number: String, history: Bool)
        throws(ArchiveError) -> [StoredRecord]
    /// Accepted records of `item` named `name` whose subject has no code (``SubjectLookup/withoutCode(_:alias:)``),
    /// ordered as ``records(of:identityField:number:history:)``.
    func recordsWithoutCode(of item: CatalogItem, named name: String, history: Bool) throws(ArchiveError) -> [StoredRecord]
    /// Accepted records of `item` in `files` whose `field` equals `value`, ordered as
    /// ``records(of:identityField:number:history:)``: a code's records through the (file, code) index.
    func records(of item: CatalogItem, field: String, equals value: String, inFiles files: [Int64], history: Bool)
        throws(ArchiveError) -> [StoredRecord]
    /// Current accepted records of `item` whose `field` is one of `values`, in no particular order,
    /// with the values of `fields` only: a batch check (信用核查) reads each table once for its whole
    /// list instead of once per subject, and a record's few fields it shows, not all forty (nor
    /// its key, raw values or unknown columns).
    func currentRecords(of item: CatalogItem, field: String, among values: [String], fields: [String])
        throws(ArchiveError) -> [StoredRecord]
    /// Current accepted records of `item` whose identity-number `field` holds one of `numbers`,
    /// found by their digests, as ``currentRecords(of:field:among:fields:)`` (with `field` among
    /// the values read, so that a record can be told whose it is).
    func currentRecords(of item: CatalogItem, identityField field: String, among numbers: [String], fields: [String])
        throws(ArchiveError) -> [StoredRecord]
    /// Every current accepted record of `item` with the values of `fields` only, in no particular
    /// order, streamed: the city indicators read whole items without holding them. With `since`,
    /// only records whose date `field` is empty or on or after `day` (`YYYY-MM-DD`): those older
    /// cannot hold on the days asked about, and are left in the database.
    func forEachCurrentRecord(of item: CatalogItem, fields: [String], since: (field: String, day: String)?,
                              _ body: (StoredRecord) -> Void) throws(ArchiveError)
    /// The files whose subject pairs (`subject_codes`) name `code`.
    func subjectFiles(code: String) throws(ArchiveError) -> [Int64]
    /// The codes a folded name (``CodeCanonicalForm``, hyphens kept) came with, each with the
    /// files it came with it in.
    func subjectFiles(nameKey: String) throws(ArchiveError) -> [(code: String, file: Int64)]
    /// Every submission of one business key of `item`, oldest first.
    func records(of item: CatalogItem, key: KeyDigest) throws(ArchiveError) -> [StoredRecord]
    /// What the archive holds from line `line` of every file archived under `path`.
    func records(path: String, line: Int, items: [String: CatalogItem]) throws(ArchiveError) -> [StoredRecord]
    /// The findings stored for one line of one file.
    func findings(file: Int64, line: Int) throws(ArchiveError) -> [Finding]
}

/// An archive the query commands read: reports, `subject`, `trace`.
public typealias QueryArchive = ReportArchive & RecordArchive & PublicationArchive
