import Foundation
import Testing
import TestSupport

/// 问题数据反馈 as departments receive it, and what happens when they send it back corrected.
@Suite struct DepartmentFeedbackTests {
    /// Every sample dump run once; returns the workspace and the run's report folder.
    static func samplesRun(groupReadable: Bool = false) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: Repository.path("samples"), toPath: directory.file("inbox"))
        try writePipeline(in: directory, groupReadable: groupReadable)
        let run = try CLI.run(["run", directory.file("pipeline.yaml")])
        #expect(run.status == 0, "\(run.stderr)")
        return (directory, directory.file("var/reports/run-000001"))
    }

    /// `pipeline.yaml` over `inbox/` into `var/`, failing the job on nothing (the samples miss their targets).
    static func writePipeline(in directory: TemporaryDirectory, groupReadable: Bool = false) throws {
        _ = try directory.write("pipeline.yaml", """
            catalog: \(Repository.path("catalogs"))
            inbox: inbox
            archive: var/archive.sqlite
            reports: var/reports
            settle_seconds: 0
            group_readable: \(groupReadable)
            fail_on: []
            """)
    }

    static func feedbackFiles(in report: String) -> [String] {
        (FileManager.default.enumerator(atPath: report + "/feedback")?.compactMap { $0 as? String } ?? [])
            .filter { $0.contains(".feedback.") }.sorted()
    }

    /// One golden file per format and encoding: CSV (`,` and `;`), CSV in GB18030, XML in the GBK
    /// its prolog declared, JSON inside `data.list`, JSON Lines. Re-record with RECORD_SNAPSHOTS=1.
    @Test func eachFeedbackFileMatchesItsGoldenFileByteForByte() throws {
        let (directory, report) = try Self.samplesRun()
        defer { directory.remove() }
        let files = Self.feedbackFiles(in: report)
        #expect(files.count == 10)
        for file in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(report)/feedback/\(file)"))
            let golden = Repository.path("Tests/CreditPipelineTests/Golden/feedback/\(file)")
            if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
                try FileManager.default.createDirectory(atPath: (golden as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try bytes.write(to: URL(fileURLWithPath: golden))
            }
            #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: golden))), "\(file) differs from its golden file")
        }
        // The department's encoding, not UTF-8: GB18030 bytes for the CSV, GBK for the XML.
        let gb = try Data(contentsOf: URL(fileURLWithPath: "\(report)/feedback/nb-fgw/credit_commitment_20261119.feedback.csv"))
        #expect(String(data: gb, encoding: .utf8) == nil)
        #expect(gb.starts(with: [0xB3, 0xD0, 0xC5, 0xB5]), "承诺 in GB18030")
        let xml = try Data(contentsOf: URL(fileURLWithPath: "\(report)/feedback/cx-scjg/admin_license_20261120.feedback.xml"))
        #expect(xml.starts(with: Array("<?xml version=\"1.0\" encoding=\"GBK\"?>".utf8)))
        #expect(String(data: xml, encoding: .utf8) == nil)
        // Listed in the report.
        let json = try String(contentsOfFile: report + "/report.json", encoding: .utf8)
        #expect(json.contains("\"path\" : \"feedback/nb-fgw/credit_commitment_20261119.feedback.csv\""))
        #expect(json.contains("\"encoding\" : \"GB18030\""))
        let html = try String(contentsOfFile: report + "/index.html", encoding: .utf8)
        #expect(html.contains("<a href=\"feedback/cx-scjg/admin_license_20261120.feedback.xml\">"))
    }

    /// A value the department's encoding cannot hold (a character reference in a GBK document):
    /// the feedback goes back in UTF-8 and its prolog says so, rather than not at all.
    @Test func aCharacterTheDepartmentsEncodingCannotHoldSendsTheFeedbackInUTF8() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let sample = try Data(contentsOf: URL(fileURLWithPath: Repository.path("samples/cx-scjg/admin_license_20261120.xml")))
        // <xk_xklb>特别</xk_xklb> in GBK bytes, given a character reference GBK has no place for.
        let special = Data(Array("<xk_xklb>".utf8) + [0xCC, 0xD8, 0xB1, 0xF0])
        let at = try #require(sample.range(of: special))
        var changed = sample
        changed.insert(contentsOf: Array("&#x1F600;".utf8), at: at.upperBound)
        let target = workspace.directory.file("inbox/cx-scjg/admin_license_20261122.xml")
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try changed.write(to: URL(fileURLWithPath: target))
        #expect(try CLI.run(["run", workspace.pipeline]).status == 0)
        let feedback = try String(contentsOfFile: workspace.directory.file("var/reports/run-000001/feedback/cx-scjg/admin_license_20261122.feedback.xml"),
                                  encoding: .utf8)
        #expect(feedback.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(feedback.contains("<xk_xklb>特别😀</xk_xklb>"))
        let report = try String(contentsOfFile: workspace.directory.file("var/reports/run-000001/report.json"), encoding: .utf8)
        #expect(report.contains("\"encoding\" : \"UTF-8\""))
        #expect(!FileManager.default.fileExists(atPath: workspace.directory.file("var/reports/run-000001/feedback/cx-scjg/admin_license_20261122.feedback.xml.tmp")))
    }

    /// The feedback carries unmasked personal data: owner only, even where reports are group-readable.
    @Test func theFeedbackFolderIsTheOwnersOnly() throws {
        let (directory, report) = try Self.samplesRun(groupReadable: true)
        defer { directory.remove() }
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
        }
        #expect(try mode(report + "/report.json") == 0o640)
        #expect(try mode(report + "/feedback") == 0o700)
        #expect(try mode(report + "/feedback/nb-zy") == 0o700)
        #expect(try mode(report + "/feedback/nb-zy/court_dishonest_20261119.feedback.jsonl") == 0o600)
        let jsonl = try String(contentsOfFile: report + "/feedback/nb-zy/court_dishonest_20261119.feedback.jsonl", encoding: .utf8)
        #expect(jsonl.contains("\"zjhm\": \"330203197006060046\""), "not masked: the department sent it")
    }

    /// Sent back as it is, each feedback file is read by its own feed (the same glob, format and
    /// encoding) and rejects the same records for the same rules.
    @Test func feedbackSentBackUnchangedRejectsTheSameRecordsForTheSameRules() throws {
        let (directory, report) = try Self.samplesRun()
        defer { directory.remove() }
        let again = try TemporaryDirectory()
        defer { again.remove() }
        for file in Self.feedbackFiles(in: report) {
            let target = again.file("inbox/\(file)")
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(report)/feedback/\(file)", toPath: target)
        }
        try Self.writePipeline(in: again)
        let run = try CLI.run(["run", again.file("pipeline.yaml")])
        #expect(run.status == 0, "\(run.stderr)")
        func rules(_ archive: String, _ sql: String) throws -> [String] {
            try CLIQuery.sqlite(archive, sql).1.split(separator: "\n").map(String.init).sorted()
        }
        // Per department and item: the error rules (with their fields) of the rejected records.
        // A record rejected only as a repeat of one accepted earlier in its file (DUP_RECORD)
        // comes back alone, so it is not a repeat any more: the one difference.
        let query = """
            SELECT f.department || ' ' || f.item || ' ' || g.rule || ' ' || COALESCE(g.field, '')
            FROM findings g JOIN files f ON f.id = g.file_id WHERE g.severity = 'error' AND g.rule <> 'DUP_RECORD'
            """
        let original = try rules(directory.file("var/archive.sqlite"), query)
        let resent = try rules(again.file("var/archive.sqlite"), query)
        #expect(original.count == 31)
        #expect(resent == original)
        #expect(try CLIQuery.sqlite(again.file("var/archive.sqlite"), "SELECT SUM(compliant), SUM(records) FROM files").1
            .trimmingCharacters(in: .whitespacesAndNewlines) == "1|32", "all 32 back, the repeat alone accepted")
        // The feedback's own columns are not unknown columns: the header findings are the originals'.
        let header = """
            SELECT f.department || ' ' || g.rule || ' ' || COALESCE(g.field, g.value, '')
            FROM findings g JOIN files f ON f.id = g.file_id WHERE g.rule LIKE 'HEADER%'
            """
        #expect(try rules(again.file("var/archive.sqlite"), header) == rules(directory.file("var/archive.sqlite"), header))
        #expect(try rules(again.file("var/archive.sqlite"), header).count == 3)
        // XML and JSON keep unknown keys in `_extra`: the feedback's three are not among them.
        #expect(try CLIQuery.sqlite(again.file("var/archive.sqlite"), """
            SELECT COUNT(*) FROM rejected_records r JOIN files f ON f.id = r.file_id
            WHERE f.format IN ('xml', 'json') AND (r.fields LIKE '%原行号%' OR r.fields LIKE '%问题说明%')
            """).1.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(try CLIQuery.sqlite(again.file("var/archive.sqlite"),
                                    "SELECT COUNT(*) FROM rejected_records r JOIN files f ON f.id = r.file_id WHERE f.format IN ('xml', 'json')")
            .1.trimmingCharacters(in: .whitespacesAndNewlines) == "6")
    }

    /// A department fixes a row of its feedback and sends the file back: the record is accepted,
    /// counted as a correction, and the feedback columns are not archived with it.
    @Test func aCorrectedRowSentBackCountsAsACorrection() throws {
        let (directory, report) = try Self.samplesRun()
        defer { directory.remove() }
        let feedback = report + "/feedback/nb-scjg/admin_penalty_20261120.feedback.csv"
        var text = try String(contentsOfFile: feedback, encoding: .utf8)
        // Line 6 of the original was rejected for its subject code's check digit only.
        #expect(text.contains(",6,USCC_CHECK,"))
        text = text.replacingOccurrences(of: "91330203MA7H5K3B64", with: "91330203MA7H5K3B63")
        try text.write(toFile: directory.file("inbox/nb-scjg/admin_penalty_20261123.csv"), atomically: true, encoding: .utf8)
        let run = try CLI.run(["run", directory.file("pipeline.yaml")])
        #expect(run.stdout.contains("admin_penalty_20261123.csv: 10 records, 1 compliant, 9 rejected (10.00%); 1 new, 1 corrected"),
                "\(run.stdout)")
        let archive = directory.file("var/archive.sqlite")
        #expect(try CLIQuery.sqlite(archive, """
            SELECT COALESCE(_extra, '') FROM item_admin_penalty WHERE _file = (SELECT MAX(id) FROM files)
            """).1.trimmingCharacters(in: .whitespacesAndNewlines) == "")
        // The file's feedback lists the nine still wrong, with one set of feedback columns.
        let next = try String(contentsOfFile: directory.file("var/reports/run-000002/feedback/nb-scjg/admin_penalty_20261123.feedback.csv"),
                              encoding: .utf8)
        #expect(next.components(separatedBy: "\r\n").first?.hasSuffix(",备注,原行号,问题规则,问题说明") == true)
        #expect(next.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1 + 9)
    }
}
