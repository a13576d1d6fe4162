import CreditArchive
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
        do {
            let failing = try archive.beginFile(draft("abc"), run: run, item: item)
            try failing.append(fileFindings: [Finding(record: nil, rule: "X", severity: .warning)])
            #expect(try failing.memory.noteKey(KeyDigest([1, 2, 3])) != nil)
            failing.rollback()
        }
        #expect(try archive.ledgerEntry(sha256: "abc") == nil)
        let kept = try archive.beginFile(draft("def"), run: run, item: item)
        // The rolled-back file's key is forgotten with it: the next file sees it as new.
        #expect(try kept.memory.noteKey(KeyDigest([1, 2, 3])) != nil)
        #expect(try kept.memory.noteKey(KeyDigest([1, 2, 3])) == nil)
        try kept.commit()
        #expect(try archive.ledgerEntry(sha256: "def")?.fileID == kept.fileID)
        #expect(try archive.slices(.run(run)).map(\.counts.records) == [0])
    }

    @Test func fieldsAddedToTheCatalogBecomeColumns() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("a.sqlite")
        try Archive(path: path).prepare(items: [item])
        var grown = item
        grown.fields.append(FieldSpec(id: "dm", name: "代码", type: .code(.uscc)))
        let archive = try Archive(path: path)
        try archive.prepare(items: [grown])
        let run = try archive.startRun(pipeline: "test", at: Date())
        #expect(try archive.run(run)?.status == "running")
    }
}
