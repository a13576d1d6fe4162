import CreditArchive
import CreditArchiveSQLite
import CreditCatalog
import CreditCore
import Foundation
import Testing
import TestSupport

@Suite struct ArchiveTests {
    let item = CatalogItem(id: "t", name: "测试", nameEnglish: "Test",
                           fields: [FieldSpec(id: "mc", name: "名称", type: .text)])

    func draft(_ hash: String) -> FileDraft {
        FileDraft(sha256: hash, size: 1, path: "x.csv", feed: "f", department: "d", item: "t", format: "csv", header: ["名称"])
    }

    @Test func aFileThatFailsHalfWayLeavesNothingBehind() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let archive = try Archive(path: directory.file("a.sqlite"))
        try archive.prepare(items: [item])
        let run = try archive.startRun(pipeline: "test", at: Date())
        let key = KeyDigest([1, 2, 3])
        var questions = HistoryQuestions()
        questions.keys = [key]
        var prior = PriorState()
        do {
            let failing = try archive.beginFile(draft("abc"), run: run, item: item)
            try failing.append(fileFindings: [Finding(record: nil, rule: "X", severity: .warning)])
            try failing.append(Self.rejectedRecord(key: key))
            try failing.fetchPrior(questions, into: &prior)
            #expect(prior.keys[key]?.carriedByThisFile == true)
            failing.rollback()
        }
        #expect(try archive.ledgerEntry(sha256: "abc", department: "d") == nil)
        let kept = try archive.beginFile(draft("def"), run: run, item: item)
        // The rolled-back file's key is forgotten with it: the next file sees it as new.
        try kept.fetchPrior(questions, into: &prior)
        #expect(prior.keys[key] == nil)
        try kept.append(Self.rejectedRecord(key: key))
        try kept.fetchPrior(questions, into: &prior)
        #expect(prior.keys[key] == KeyHistory(carriedByThisFile: true))
        try kept.commit()
        #expect(try archive.ledgerEntry(sha256: "def", department: "d")?.fileID == kept.fileID)
        #expect(try archive.ledgerEntry(sha256: "def", department: "other") == nil, "another department's file is its own")
        #expect(try archive.slices(.run(run)).map(\.counts.records) == [1])
    }

    /// A batch of one record, rejected, that carries `key`: what the sink writes of it.
    static func rejectedRecord(key: KeyDigest) -> CheckedBatch {
        var checked = CheckedBatch(fieldCount: 1)
        Array("x".utf8).withUnsafeBytes { checked.records.appendField($0) }
        checked.records.finishRecord(Provenance(line: 2, byteOffset: 3))
        checked.outcome.rejected = [true]
        checked.outcome.rejectedCount = 1
        checked.outcome.decisions = [nil]
        checked.outcome.findings = [Finding(record: 0, rule: "X", severity: .error)]
        checked.history.records = [RecordVerdict(fate: .rejected, key: key)]
        return checked
    }

    /// A field the catalog gains becomes a column of the item's table and of its views; rows
    /// archived before keep their values (the new column empty), and nothing is dropped.
    @Test func fieldsAddedToTheCatalogBecomeColumns() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("a.sqlite")
        try Archive(path: path).prepare(items: [item])
        try SQLiteShell.run(path, """
            INSERT INTO runs (id, pipeline, started_at, status) VALUES (1, 't', 'now', 'completed');
            INSERT INTO files (id, sha256, size, path, feed, department, item, format, header, run_id, ingested_at)
            VALUES (1, 'x', 1, 'a.csv', 'f', 'd', 't', 'csv', '[]', 1, 'now');
            INSERT INTO item_t (_file, _line, _offset, mc, _version) VALUES (1, 2, 0, '甲', 1)
            """)
        var grown = item
        grown.fields.append(FieldSpec(id: "dm", name: "代码", type: .code(.uscc)))
        try Archive(path: path).prepare(items: [grown])
        let columns = try SQLiteShell.run(path, "SELECT name FROM pragma_table_info('item_t')").split(separator: "\n")
        #expect(columns.contains("mc") && columns.contains("dm"), "\(columns)")
        #expect(try SQLiteShell.run(path, "SELECT mc, dm FROM item_t") == "甲|∅")
        #expect(try SQLiteShell.run(path, "SELECT mc, dm FROM current_t") == "甲|∅", "the views are remade with it")
        // Opening with the smaller catalog again drops nothing.
        try Archive(path: path).prepare(items: [item])
        #expect(try SQLiteShell.run(path, "SELECT name FROM pragma_table_info('item_t')").split(separator: "\n").contains("dm"))
        #expect(try SQLiteShell.run(path, "SELECT COUNT(*) FROM item_t") == "1")
    }

    /// An archive from before the ledger was per department (files.sha256 UNIQUE) is migrated in
    /// place: its files kept, the same bytes from another department then accepted as a file of
    /// their own, the same department's still refused.
    @Test func theLedgerBecomesPerDepartmentInPlace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("a.sqlite")
        try Archive(path: path).prepare(items: [item])
        // Back to the earlier ledger, as an archive of the previous version has it.
        let current = try SQLiteShell.run(path, "SELECT sql FROM sqlite_master WHERE name = 'files'")
        let earlier = current.replacingOccurrences(of: "\"files\"", with: "files")
            .replacingOccurrences(of: "CREATE TABLE files", with: "CREATE TABLE files_v5")
            .replacingOccurrences(of: "sha256 TEXT NOT NULL,", with: "sha256 TEXT NOT NULL UNIQUE,")
        #expect(earlier.contains("sha256 TEXT NOT NULL UNIQUE"), "\(current)")
        try SQLiteShell.run(path, """
            PRAGMA foreign_keys = OFF;
            INSERT INTO runs (id, pipeline, started_at, status) VALUES (1, 't', 'now', 'completed');
            INSERT INTO files (id, sha256, size, path, feed, department, item, format, header, run_id, ingested_at)
            VALUES (1, 'aa', 1, 'a.csv', 'f', 'd', 't', 'csv', '[]', 1, 'now'),
                   (2, 'bb', 1, 'b.csv', 'f', 'd', 't', 'csv', '[]', 1, 'now');
            \(earlier);
            INSERT INTO files_v5 SELECT * FROM files;
            DROP TABLE files;
            ALTER TABLE files_v5 RENAME TO files;
            DELETE FROM grdb_migrations WHERE identifier = 'v6-ledger-per-department'
            """)
        #expect(try SQLiteShell.run(path, "SELECT sql FROM sqlite_master WHERE name = 'files'").contains("UNIQUE"))
        let archive = try Archive(path: path)
        #expect(try archive.ledgerEntry(sha256: "aa", department: "d")?.fileID == 1)
        #expect(try archive.ledgerEntry(sha256: "aa", department: "e") == nil)
        #expect(try SQLiteShell.run(path, "SELECT COUNT(*) FROM files") == "2")
        try SQLiteShell.run(path, """
            INSERT INTO files (id, sha256, size, path, feed, department, item, format, header, run_id, ingested_at)
            VALUES (3, 'aa', 1, 'a.csv', 'f', 'e', 't', 'csv', '[]', 1, 'now')
            """)
        #expect(throws: (any Error).self, "the same department's bytes twice") {
            try SQLiteShell.run(path, """
                INSERT INTO files (id, sha256, size, path, feed, department, item, format, header, run_id, ingested_at)
                VALUES (4, 'aa', 1, 'a.csv', 'f', 'd', 't', 'csv', '[]', 1, 'now')
                """)
        }
    }

    /// Stored JSON reads back as written; NULL is empty; anything else is a damaged archive.
    @Test func storedJSONReadsBackOrFailsLoudly() throws {
        #expect(try ArchiveSchema.array(#"["a","b"]"#, in: "x") == ["a", "b"])
        #expect(try ArchiveSchema.object(#"{"k":"v"}"#, in: "x") == ["k": "v"])
        #expect(try ArchiveSchema.array(nil, in: "x") == [] && ArchiveSchema.object(nil, in: "x") == [:])
        #expect(try ArchiveSchema.strings(#"["b","a"]"#, in: "x") == ["a", "b"])
        for (text, isObject) in [(#"["a","#, false), (#"[1]"#, false), (#"{"k":1}"#, true), (#"["a"]"#, true), ("", false)] {
            do {
                _ = isObject ? try ArchiveSchema.object(text, in: "x").count : try ArchiveSchema.array(text, in: "x").count
                Issue.record("\(text) read as valid")
            } catch {
                #expect(error.code == .corrupt && error.path == "x" && !error.message.contains(text.isEmpty ? "\u{0}" : text))
            }
        }
    }
}
