import CreditArchive
import CreditCatalog
import CreditCore
import Foundation
import Testing
import TestSupport

@Suite struct ArchiveTests {
    struct Boom: Error {}

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
        #expect(throws: Boom.self) {
            _ = try archive.archiveFile(draft("abc"), run: run, item: item) { writer in
                try writer.append(fileFindings: [Finding(record: nil, rule: "X", severity: .warning)])
                throw Boom()
            }
        }
        #expect(try archive.ledgerEntry(sha256: "abc") == nil)
        let kept = try archive.archiveFile(draft("def"), run: run, item: item) { writer in writer.counts.records }
        #expect(try archive.ledgerEntry(sha256: "def")?.fileID == kept.fileID)
        #expect(try archive.slices(run: run).map(\.counts.records) == [0])
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
