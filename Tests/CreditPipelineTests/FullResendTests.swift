import CreditIdentifiers
import Foundation
import Testing
import TestSupport

/// A department that re-sends its whole table: records byte-identical to their key's current
/// version are counted unchanged without being checked (``PrintSet``), and the archive ends as
/// checking every record (`run --recheck`) leaves it, but for what a repeat need not write.
@Suite(.serialized) struct FullResendTests {
    /// Ten decisions of one department: the ninth lacks its 处罚内容, the tenth has a wrong check
    /// character (both rejected).
    static func rows() -> (rows: [PenaltyExport.Row], codes: [String]) {
        var generator = CodeGenerator(seed: 23)
        let codes = (0..<12).map { _ in generator.uscc() }
        var rows = (0..<10).map { index in
            PenaltyExport.Row(name: "宁波重发\(index + 1)有限公司", code: codes[index],
                              number: "甬市监罚〔2026〕5\(index + 10)号")
        }
        rows[8].content = ""
        rows[9].code = String(codes[9].dropLast()) + (codes[9].last == "0" ? "1" : "0")
        return (rows, codes)
    }

    /// The same records as another file: CRLF line ends, so other bytes and another SHA-256.
    static func crlf(_ rows: [PenaltyExport.Row]) -> String {
        PenaltyExport.csv(rows).replacingOccurrences(of: "\n", with: "\r\n")
    }

    @Test func anUnchangedFullResendAddsOnlyItsLineageAndCounts() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let rows = Self.rows().rows
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261103.csv", PenaltyExport.csv(rows))
        let first = try CLI.run(["run", workspace.pipeline])
        #expect(first.status == 0, "\(first.stderr)")
        let before = Set(try CanonicalDump.of(workspace.archive).split(separator: "\n").map(String.init))

        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261104.csv", Self.crlf(rows))
        let second = try CLI.run(["run", workspace.pipeline])
        #expect(second.status == 0, "\(second.stderr)")
        let after = Set(try CanonicalDump.of(workspace.archive).split(separator: "\n").map(String.init))
        let sha = try workspace.scalar("SELECT sha256 FROM files WHERE path LIKE '%20261104.csv'")

        // Nothing of the archive changed: records, versions, the accepted keys (the file that last
        // carried each included), first names, subjects. What was added is the new file's lineage
        // and counts: its ledger row, its two rejected records as received (the department's
        // feedback lists them again) and their findings; and the rejected records' keys and
        // pending decisions now name the new file, which sent them again.
        func kinds(_ lines: Set<String>) -> [String: Int] {
            lines.reduce(into: [:]) { $0[String($1.prefix { $0 != "|" }), default: 0] += 1 }
        }
        let removed = before.subtracting(after), added = after.subtracting(before)
        #expect(kinds(removed) == ["key": 2, "rejected_decision": 2], "\(removed.sorted())")
        #expect(kinds(added).filter { !["finding", "counts", "editions"].contains($0.key) }
                == ["file": 1, "rejected": 2, "key": 2, "rejected_decision": 2], "\(kinds(added))")
        #expect(added.allSatisfy { $0.contains(sha) })

        let figures = try ArchiveHistoryTests.figures(workspace)
        #expect(figures["records"] == 10)
        #expect(figures["compliant"] == 8)
        #expect(figures["unchanged"] == 8)
        #expect(figures["new_records"] == 0)
        // The codes were counted when first sent: a night that changes nothing brings none.
        #expect(figures["distinct_codes"] == 0)
        #expect(try workspace.scalar("SELECT unchanged FROM files WHERE sha256 = '\(sha)'") == "8")
    }

    /// Three nights of one department's full table: night 1 as ``rows()``; night 2 edited (see
    /// below); night 3 night 1's table re-sent as it was, CRLF. By file name.
    static func nights() -> [(name: String, text: String)] {
        let (rows, codes) = Self.rows()
        // Night 2: the table again, edited. The second row twice (a repeat); the third changed,
        // then as it was (a repeat of its key); the fourth as it was, then changed (a repeat);
        // the fifth's decision rejected (no 处罚内容), pending a correction; the ninth still
        // rejected; the tenth's code corrected; a new decision.
        var second: [PenaltyExport.Row] = []
        second.append(rows[0])
        second.append(rows[1])
        second.append(rows[1])
        var changed = rows[2]
        changed.content = "罚款"
        second.append(changed)
        second.append(rows[2])
        second.append(rows[3])
        var later = rows[3]
        later.content = "通报批评"
        second.append(later)
        var withdrawnContent = rows[4]
        withdrawnContent.content = ""
        second.append(withdrawnContent)
        second += rows[5...8]
        var corrected = rows[9]
        corrected.code = codes[9]
        second.append(corrected)
        second.append(PenaltyExport.Row(name: "宁波重发11有限公司", code: codes[10], number: "甬市监罚〔2026〕520号"))
        // Night 3: night 1's table re-sent as it was: the fifth decision's first version corrects
        // its pending rejection (纠正), so it is checked, not skipped.
        return [PenaltyExport.csv(rows), PenaltyExport.csv(second), Self.crlf(rows)].enumerated().map { index, text in
            ("nb-scjg/admin_penalty_2026110\(index + 3).csv", text)
        }
    }

    /// Repeats, changes and corrections mixed into full re-sends, over three nights: the archive
    /// (records, versions, keys, rejections and their findings, every count) is the one checking
    /// every record gives; only the keys' last carrying file and the re-sent codes differ.
    @Test func repeatsAndChangesInAResendEndAsCheckingEveryRecordDoes() throws {
        let (shortcut, reference) = try Self.bothWays(Self.nights())
        defer { shortcut.directory.remove() }
        defer { reference.directory.remove() }
        // The keys' last carrying file is left out (a skipped repeat does not move it), and the
        // subjects of re-sent records (a repeat's code was counted when first sent).
        let expected = try Self.comparable(reference), found = try Self.comparable(shortcut)
        #expect(found == expected, "\(Self.difference(found, expected))")
        #expect(found.contains { $0.hasPrefix("finding|") && $0.contains("DUP_RECORD") })
        #expect(try shortcut.scalar("SELECT SUM(corrected) FROM files") == "2")
        #expect(try shortcut.scalar("SELECT unchanged FROM files WHERE path LIKE '%20261103.csv'") == "0")

        // The shortcut was taken: night 2 skipped the checks of the rows as they were, night 3 of
        // all but three: the third (changed back), the fifth (its decision was pending) and the
        // tenth (its wrong code, rejected again, was not in night 2's file). The ninth was
        // rejected again as night 2 sent it: checked, kept, its code not counted again.
        func subjects(_ workspace: Workspace, _ night: Int) throws -> Int {
            Int(try workspace.scalar("""
                SELECT COUNT(*) FROM subject_codes s JOIN files f ON f.id = s.file_id
                WHERE f.path LIKE '%2026110\(night + 2).csv'
                """)) ?? -1
        }
        #expect(try subjects(reference, 3) == 10)
        #expect(try subjects(shortcut, 3) == 3)
        #expect(try subjects(shortcut, 2) < subjects(reference, 2))
    }

    /// Random re-sends (rows kept, repeated, edited, broken, fixed, dropped, added, reordered)
    /// over three nights, a few times: the shortcut ends as checking every record does. The seed
    /// is printed; `CREDIT_ETL_TEST_SEED` replays it.
    @Test func randomResendsEndAsCheckingEveryRecordDoes() throws {
        var random = SeededGenerator.forTest("randomResendsEndAsCheckingEveryRecordDoes")
        var generator = CodeGenerator(seed: random.next())
        // Companies' codes (91…), as 法人及非法人组织 carry: a skipped re-send repeats no warning
        // (it was reported when the record was first sent), so the rows here have none to repeat.
        var codes: [String] = []
        while codes.count < 10 {
            let code = generator.uscc()
            if code.hasPrefix("91") { codes.append(code) }
        }
        func row(_ index: Int) -> PenaltyExport.Row {
            PenaltyExport.Row(name: "宁波随机\(index % 10 + 1)有限公司", code: codes[index % 10],
                              number: "甬市监罚〔2026〕6\(index + 10)号")
        }
        func edited(_ row: PenaltyExport.Row) -> PenaltyExport.Row {
            var row = row
            switch Int.random(in: 0..<4, using: &random) {
            case 0: row.content = ["警告", "罚款", "通报批评"].randomElement(using: &random)!
            case 1: row.content = ""                                  // rejected: REQUIRED
            case 2: row.status = row.status == "有效" ? "撤销" : "有效"  // a withdrawal, or back
            default: row.code = String(row.code.dropLast()) + (row.code.last == "0" ? "1" : "0")  // 错码
            }
            return row
        }
        for _ in 0..<3 {
            var table = (0..<12).map(row)
            var nights: [String] = []
            for _ in 0..<3 {
                var sent: [PenaltyExport.Row] = []
                for row in table {
                    switch Int.random(in: 0..<10, using: &random) {
                    case 0: sent += [row, row]                        // the same row twice
                    case 1: sent += [edited(row), row]                // its key twice, changed first
                    case 2: sent += [row, edited(row)]                // its key twice, changed second
                    case 3: sent.append(edited(row))
                    case 4: break                                     // not sent this night
                    default: sent.append(row)
                    }
                }
                if Bool.random(using: &random) { sent.append(row(12 + nights.count)) }
                if Bool.random(using: &random) { sent.swapAt(0, sent.count - 1) }
                nights.append(Bool.random(using: &random) ? PenaltyExport.csv(sent) : Self.crlf(sent))
                // The department's table moves on with some of what it sent.
                table = table.map { Int.random(in: 0..<4, using: &random) == 0 ? edited($0) : $0 }
            }
            let (shortcut, reference) = try Self.bothWays(nights.enumerated().map { index, night in
                ("nb-scjg/admin_penalty_2026110\(index + 3).csv", night)
            })
            defer { shortcut.directory.remove() }
            defer { reference.directory.remove() }
            let expected = try Self.comparable(reference), found = try Self.comparable(shortcut)
            #expect(found == expected, "seed \(random.seed): \(Self.difference(found, expected))")
        }
    }

    /// The same nights archived twice, night by night: as a run does (the shortcut), and with
    /// `run --recheck` (every record checked).
    static func bothWays(_ nights: [(name: String, text: String)]) throws -> (shortcut: Workspace, reference: Workspace) {
        func archive(recheck: Bool) throws -> Workspace {
            let workspace = try Workspace()
            for night in nights {
                try workspace.directory.write("inbox/" + night.name, night.text)
                let run = try CLI.run(["run", workspace.pipeline] + (recheck ? ["--recheck"] : []))
                #expect(run.status == 0, "\(run.stderr)")
            }
            return workspace
        }
        return (try archive(recheck: false), try archive(recheck: true))
    }

    static func difference(_ found: [String], _ expected: [String]) -> String {
        "only in the shortcut's: \(Set(found).subtracting(expected).sorted()); "
            + "only in the reference: \(Set(expected).subtracting(found).sorted())"
    }

    /// A dump without what a skipped repeat legitimately leaves out: the keys' last carrying
    /// file, and the subjects of re-sent records.
    static func comparable(_ workspace: Workspace) throws -> [String] {
        try CanonicalDump.of(workspace.archive).split(separator: "\n").compactMap { line in
            if line.hasPrefix("subject|") { return nil }
            guard line.hasPrefix("key|") else { return String(line) }
            var columns = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            columns[2] = "-"
            return columns.joined(separator: "|")
        }.sorted()
    }
}
