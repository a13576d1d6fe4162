import CreditArchive
import CreditCatalog
import Foundation

/// Every mistake in a pipeline file at once, each with file:line:column and key: what
/// `credit-etl check-pipeline` prints, so a configuration is fixed in one pass before a night.
///
/// Beyond the file's own keys (``PipelineConfiguration/load(_:)``), it loads the catalog it names
/// and checks that the inbox exists and that the archive's, reports' and quarantine's folders
/// exist or can be made.
public enum PipelineCheck {
    public static func problems(file: String) -> (configuration: PipelineConfiguration?, problems: [ConfigurationProblem]) {
        var configuration: PipelineConfiguration?
        var problems: [ConfigurationProblem] = []
        do {
            configuration = try PipelineConfiguration.load(file)
        } catch {
            problems = error.problems
        }
        // The paths are checked even when other keys are wrong, from the file's own text.
        let reader = YAMLReader(file: file)
        let text = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard let root = reader.root(text) else { return (configuration, problems) }
        func path(_ key: String) -> String? {
            root.peekString(key).map { PipelineConfiguration.resolve($0, relativeTo: file) }
        }
        func problem(_ key: String, _ message: String) {
            let found = ConfigurationProblem(location: root.location(of: key), keyPath: key, message: message)
            if !problems.contains(found) { problems.append(found) }
        }
        if let catalog = path("catalog") {
            do {
                let loaded = try Catalog.load(directory: catalog)
                for found in configuration?.problems(against: loaded) ?? [] where !problems.contains(found) {
                    problems.append(found)
                }
            } catch {
                for found in error.problems where !problems.contains(found) { problems.append(found) }
            }
        }
        if let inbox = path("inbox") {
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: inbox, isDirectory: &isFolder) || !isFolder.boolValue {
                problem("inbox", "\(inbox): no such folder; create it or fix the path")
            }
        }
        var folders: [(String, String)] = []
        // A PostgreSQL archive has no folder here: `doctor` connects to it.
        if !ArchiveURL.isPostgres(root.peekString("archive") ?? ""), let archive = path("archive") {
            folders.append(("archive", (archive as NSString).deletingLastPathComponent))
        }
        if let reports = path("reports") { folders.append(("reports", reports)) }
        if let quarantine = path("quarantine") ?? configuration?.quarantine { folders.append(("quarantine", quarantine)) }
        for (key, folder) in folders {
            if let reason = unwritable(folder) { problem(key, "\(folder): \(reason)") }
        }
        return (problems.isEmpty ? configuration : nil, problems)
    }

    /// Why files cannot be made in `folder` (or in its nearest existing parent), or nil.
    static func unwritable(_ folder: String) -> String? {
        var existing = folder
        while !FileManager.default.fileExists(atPath: existing) {
            let parent = (existing as NSString).deletingLastPathComponent
            if parent == existing || parent.isEmpty { return "no existing parent folder" }
            existing = parent
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: existing, isDirectory: &isFolder), isFolder.boolValue else {
            return "\(existing) is a file, not a folder"
        }
        guard FileManager.default.isWritableFile(atPath: existing) else {
            return "\(existing) is not writable by this user"
        }
        return nil
    }
}
