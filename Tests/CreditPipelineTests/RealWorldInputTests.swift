import Foundation
import Testing
import TestSupport

/// Files as real departments' tools write them, which a strict reader used to get wrong without
/// saying so.
@Suite struct RealWorldInputTests {
    /// The sample with its line ends as an old Mac or Excel export writes them: a lone CR.
    static func carriageReturnOnly() throws -> String {
        let sample = try String(contentsOfFile: Repository.path("samples/nb-scjg/admin_penalty_20261120.csv"), encoding: .utf8)
        return sample.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r")
    }

    /// A CR-only file was read as 0 records and the run said success; a rerun then skipped it as
    /// already archived, so its records were never read. Now it is read like the LF sample.
    @Test func aCarriageReturnOnlyFileIsReadLikeAnyOther() throws {
        let workspace = try Workspace()
        defer { workspace.directory.remove() }
        let text = try Self.carriageReturnOnly()
        #expect(!text.contains("\n"))
        try workspace.directory.write("inbox/nb-scjg/admin_penalty_20261120.csv", text)
        let run = try CLI.run(["run", workspace.pipeline])
        #expect(run.stdout.contains("20 records, 10 compliant, 10 rejected (50.00%)"), "\(run.stdout)")
        #expect(try workspace.scalar("SELECT records, compliant FROM files") == "20|10")
        // The findings point at the lines a text editor shows.
        #expect(try workspace.scalar("SELECT MAX(line) FROM findings") == "22")

        let file = workspace.directory.file("inbox/nb-scjg/admin_penalty_20261120.csv")
        let validate = try CLI.run(["validate", file, "--item", "admin_penalty"])
        #expect(validate.stdout.contains("records 20 · compliant 10 · rejected 10"), "\(validate.stdout)")
    }
}
