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
        let configuration: PipelineConfiguration
        do {
            configuration = try PipelineConfiguration.load(file)
        } catch {
            return (nil, error.problems)
        }
        var problems: [ConfigurationProblem] = []
        // Where each path key stands in the file, for the messages.
        let reader = YAMLReader(file: file)
        let text = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let root = reader.root(text)
        func problem(_ key: String, _ message: String) {
            problems.append(ConfigurationProblem(location: root?.location(of: key) ?? CatalogLocation(file: file),
                                                 keyPath: key, message: message))
        }
        do {
            _ = try Catalog.load(directory: configuration.catalog)
        } catch {
            problems += error.problems
        }
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: configuration.inbox, isDirectory: &isFolder) || !isFolder.boolValue {
            problem("inbox", "\(configuration.inbox): no such folder; create it or fix the path")
        }
        for (key, path) in [("archive", (configuration.archive as NSString).deletingLastPathComponent),
                            ("reports", configuration.reports), ("quarantine", configuration.quarantine)] {
            if let reason = unwritable(path) { problem(key, "\(path): \(reason)") }
        }
        return (configuration, problems)
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
