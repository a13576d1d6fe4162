import CreditAdapters
import CreditArchive
import CreditArchivePostgres
import CreditArchiveSQLite
import CreditCatalog
import CreditCore
import CreditIdentifiers
import CreditPipeline
import CreditValidation
import Foundation
import Testing
import TestSupport

/// The archive's backends, as the suite below runs on them: PostgreSQL only where a throwaway
/// cluster can start (``PostgresCluster/unavailable`` says why not, loudly, in the log).
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [Backend] { PostgresCluster.unavailable == nil ? allCases : [.sqlite] }
    var testDescription: String { rawValue }
}

/// One archive on one backend, files archived one by one as a run archives them: the pipeline's
/// per-file flow (record checks, normalization, the history stage) into the backend's sink, one
/// run per file, in a transaction (SQLite) or a claim (PostgreSQL).
final class BackendArchive {
    let backend: Backend
    let catalog: Catalog
    let item: CatalogItem
    let feed: Feed
    private let directory: TemporaryDirectory
    private var sqlite: Archive?
    private var postgres: PostgresArchive?
    private var cluster: PostgresCluster?

    init(_ backend: Backend) throws {
        self.backend = backend
        catalog = try Repository.catalog()
        item = try #require(catalog.items["admin_penalty"])
        feed = try #require(catalog.feeds.first { $0.item == "admin_penalty" && $0.department == "nb-scjg" })
        directory = try TemporaryDirectory()
        switch backend {
        case .sqlite:
            let archive = try Archive(path: directory.file("archive.sqlite"))
            try archive.prepare(items: Array(catalog.items.values))
            sqlite = archive
        case .postgres:
            let cluster = try PostgresCluster()
            self.cluster = cluster
            let archive = try PostgresArchive(cluster.conninfo, name: "credit-etl test")
            try archive.prepare(items: Array(catalog.items.values))
            postgres = archive
        }
    }

    deinit {
        cluster?.stop()
        directory.remove()
    }

    /// Archives `csv` as the file `name` in batches of `batchSize` records and returns its counts;
    /// nil when `stopAfter` batches stopped it, rolled back.
    @discardableResult
    func archive(_ name: String, _ csv: String, batchSize: Int = 2, stopAfter: Int? = nil) throws -> QualityCounts? {
        let source = try CSVRecordSource(CSVSource(bytes: MemoryByteSource(csv), file: SourceFile(path: name),
                                                   configuration: CSVConfiguration(batchSize: batchSize)))
        let settings = ValidationSettings(identifiers: catalog.identifiers, today: CivilDate(year: 2026, month: 12, day: 6)!,
                                          submitted: CivilDate(year: 2026, month: 11, day: 5)!, calendar: catalog.calendar)
        let flow = FileFlow(header: source.header, feed: feed, item: item, settings: settings)
        let draft = FileDraft(sha256: KeyDigest(Array(csv.utf8)).hex, size: Int64(csv.utf8.count), path: name,
                              feed: feed.id, department: feed.department, item: item.id, format: "csv", header: source.header)
        var batches = 0
        let stop = { () -> Bool in
            defer { batches += 1 }
            return stopAfter.map { batches >= $0 } ?? false
        }
        if let sqlite {
            let run = try sqlite.startRun(pipeline: "test", at: Date())
            var sink = try sqlite.beginFile(draft, run: run, item: flow.item)
            let counts = try Self.flow(flow, source, &sink, stop)
            try sqlite.completeRun(run, status: .completed, at: Date(), day: "2026-11-05")
            return counts
        }
        let postgres = try #require(postgres)
        let queued = PostgresArchive.QueuedFile(seq: 1, path: name, item: item.id, isRegistry: false)
        let run = try postgres.joinRun(pipeline: "test", files: [queued], at: Date()).run
        guard case .file(let claimed) = try postgres.claimNextFile(run: run) else {
            Issue.record("the run's file cannot be claimed")
            return nil
        }
        var sink = try postgres.beginFile(draft, run: run, item: flow.item)
        guard let counts = try Self.flow(flow, source, &sink, stop) else {
            postgres.releaseClaim()
            try postgres.finishRun(run, status: .interrupted, at: Date())
            return nil
        }
        try postgres.finishClaim(run: run, file: claimed, worker: "test")
        _ = try postgres.finishRunIfDone(run, at: Date(), day: "2026-11-05")
        return counts
    }

    /// The flow into `sink`, committed; nil (rolled back) when stopped.
    private static func flow<Sink: ArchivingFile>(_ flow: FileFlow, _ source: any RecordSource, _ sink: inout Sink,
                                                 _ stop: () -> Bool) throws -> QualityCounts? {
        do {
            try flow.run(source, into: &sink, stop: stop)
        } catch {
            sink.rollback()
            switch error {
            case .stopped: return nil
            case .source(let error): throw error
            case .sink(let error): throw error
            }
        }
        return try sink.commit()
    }

    /// The archive's canonical text (``ArchiveDump``): what both backends must agree on.
    func dump() throws -> String {
        if let sqlite { return try ArchiveDump.text(of: sqlite, items: Array(catalog.items.values)) }
        return try ArchiveDump.text(of: try #require(postgres), items: Array(catalog.items.values))
    }

    /// The dump's lines of one kind (`key`, `item_admin_penalty`, `finding`, …).
    func lines(_ kind: String) throws -> [String] {
        try dump().split(separator: "\n").map(String.init).filter { $0.hasPrefix(kind + "|") }
    }
}

/// The archive's history, durability and memory on each backend, through the real per-file flow
/// in small batches: the same expectations, written out, on SQLite and on a throwaway PostgreSQL.
@Suite struct ArchiveBackendTests {
    static func rows() -> [PenaltyExport.Row] {
        var generator = CodeGenerator(seed: 7)
        return (0..<6).map { index in
            PenaltyExport.Row(name: "宁波后端\(index + 1)有限公司", code: generator.uscc(),
                              number: "甬市监罚〔2026〕3\(index + 1)号")
        }
    }

    @Test(arguments: Backend.available)
    func versionsWithdrawalsAndCorrectionsAcrossFilesAndBatches(_ backend: Backend) throws {
        let archive = try BackendArchive(backend)
        var rows = Self.rows()
        let right = rows[3].code
        rows[3].code = String(right.dropLast()) + (right.last == "0" ? "1" : "0")
        rows[4].content = ""
        let first = try #require(try archive.archive("nb-scjg/admin_penalty_20261104.csv", PenaltyExport.csv(rows)))
        #expect(first.records == 6)
        #expect(first.rejected == 2)
        #expect(first.history == HistoryCounts(new: 4))

        rows[3].code = right
        rows[4].content = "警告"
        rows[5].status = "撤销"
        rows[0].content = "罚款"
        var generator = CodeGenerator(seed: 8)
        rows.append(PenaltyExport.Row(name: "宁波后端7有限公司", code: generator.uscc(), number: "甬市监罚〔2026〕37号"))
        let second = try #require(try archive.archive("nb-scjg/admin_penalty_20261105.csv", PenaltyExport.csv(rows)))
        #expect(second.records == 7)
        #expect(second.rejected == 0)
        // 3 and 4 corrected (a fixed code is a new key of the same decision), 0 and 5 changed
        // (5 withdrawn), 1 and 2 as they were, 6 new.
        #expect(second.history == HistoryCounts(new: 3, versions: 2, unchanged: 2, withdrawn: 1, corrected: 2))
        let table = try archive.lines("item_admin_penalty")
        #expect(table.count == 9)
        // Row 0's first version is no longer current; its second names it as previous.
        #expect(table.filter { $0.contains("罚款") && $0.hasSuffix("|2|1|0") }.count == 1)
        #expect(table.filter { $0.contains("撤销") && $0.hasSuffix("|2|1|1") }.count == 1)
        #expect(try archive.lines("rejected_decision").isEmpty, "both rejections were corrected")

        // The same export a third time changes nothing.
        let third = try #require(try archive.archive("nb-scjg/admin_penalty_20261106.csv",
                                                     PenaltyExport.csv(rows) + "\n"))
        #expect(third.history == HistoryCounts(unchanged: 7))
        #expect(try archive.lines("item_admin_penalty").count == 9)
    }

    @Test(arguments: Backend.available)
    func aKeyRepeatedInALaterBatchOfItsFileIsARepeatAndNextNightIsUnchanged(_ backend: Backend) throws {
        let archive = try BackendArchive(backend)
        var rows = Self.rows()
        var repeated = rows[0]
        repeated.content = "罚款"
        rows.append(repeated)
        let first = try #require(try archive.archive("nb-scjg/admin_penalty_20261104.csv", PenaltyExport.csv(rows),
                                                     batchSize: 1))
        #expect(first.rejected == 1)
        #expect(first.findings.filter { $0.key.rule.rawValue == "DUP_RECORD" }.map(\.value) == [1])
        #expect(first.history == HistoryCounts(new: 6))
        #expect(try archive.lines("rejected").count == 1)
        let second = try #require(try archive.archive("nb-scjg/admin_penalty_20261105.csv",
                                                      PenaltyExport.csv(Array(rows.prefix(6)))))
        #expect(second.history == HistoryCounts(unchanged: 6))
    }

    @Test(arguments: Backend.available)
    func aFileStoppedHalfWayLeavesTheArchiveAsItWas(_ backend: Backend) throws {
        let archive = try BackendArchive(backend)
        let rows = Self.rows()
        try archive.archive("nb-scjg/admin_penalty_20261104.csv", PenaltyExport.csv(Array(rows.prefix(3))))
        let before = try archive.dump()
        var changed = rows
        changed[0].content = "罚款"
        let stopped = try archive.archive("nb-scjg/admin_penalty_20261105.csv", PenaltyExport.csv(changed), stopAfter: 2)
        #expect(stopped == nil)
        #expect(try archive.dump() == before)
        // Archived again, the file comes to what it would have without the stopped attempt.
        let again = try #require(try archive.archive("nb-scjg/admin_penalty_20261105.csv", PenaltyExport.csv(changed)))
        #expect(again.history == HistoryCounts(new: 3, versions: 1, unchanged: 2))
    }

    @Test(arguments: Backend.available)
    func aCodeKeepsTheNameItCameWithFirstAndAnotherIsAConflict(_ backend: Backend) throws {
        let archive = try BackendArchive(backend)
        var rows = Self.rows()
        try archive.archive("nb-scjg/admin_penalty_20261104.csv", PenaltyExport.csv(Array(rows.prefix(2))))
        rows[0].name = "宁波改名有限公司"
        rows[1].number = "甬市监罚〔2026〕99号"
        rows[2].code = rows[1].code
        rows[2].name = "宁波另一个有限公司"
        let second = try #require(try archive.archive("nb-scjg/admin_penalty_20261105.csv",
                                                      PenaltyExport.csv(Array(rows.prefix(3)))))
        let conflicts = second.findings.filter { $0.key.rule.rawValue == "USCC_NAME_CONFLICT" }.map(\.value).reduce(0, +)
        #expect(conflicts == 2)
        let names = try archive.lines("first_name")
        #expect(names.count == 2)
        #expect(names.allSatisfy { !$0.contains("改名") && !$0.contains("另一个") })
    }
}
