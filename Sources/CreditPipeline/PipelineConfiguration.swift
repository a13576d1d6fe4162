import CreditCatalog
import CreditCore
import Foundation

/// A pipeline file (`pipelines/nightly.yaml`), decoded and with its paths resolved.
///
/// ```yaml
/// name: nightly
/// catalog: ../catalogs            # the information catalog
/// inbox: ../samples               # where departments' files arrive
/// archive: ../var/archive.sqlite  # the embedded SQLite archive
/// reports: ../var/reports         # each run writes <reports>/run-NNNNNN/ and updates <reports>/latest
/// quarantine: ../var/quarantine   # optional: unreadable files are copied here with the reason
/// language: zh                    # zh (default) or en, for reports
/// settle_seconds: 3               # a file whose size or time changes within this is left pending
/// group_readable: false           # true: archive, reports and quarantine readable by the group too
/// ```
/// Relative paths are relative to the pipeline file, so a pipeline runs the same from any folder.
public struct PipelineConfiguration: Sendable, Hashable {
    public var file: String
    public var name: String
    public var catalog: String
    public var inbox: String
    public var archive: String
    public var reports: String
    /// Where files that cannot be read are copied, with the reason beside them
    /// (`<quarantine>/run-NNNNNN/<path>` and `<path>.error.txt`); default: `quarantine/` beside the archive.
    public var quarantine: String
    public var language: Language
    /// How long files are watched before a run reads them: one whose size or modification time
    /// moves meanwhile is still being written, and is left for the next run as `pending`.
    public var settleSeconds: Double
    /// Whether what a run creates is readable by the owner's group (0640/0750) instead of the
    /// owner only (0600/0700).
    public var groupReadable: Bool

    public init(file: String, name: String, catalog: String, inbox: String, archive: String, reports: String,
                quarantine: String? = nil, language: Language = .zh, settleSeconds: Double = 3,
                groupReadable: Bool = false) {
        self.settleSeconds = settleSeconds
        self.groupReadable = groupReadable
        self.quarantine = quarantine
            ?? ((archive as NSString).deletingLastPathComponent as NSString).appendingPathComponent("quarantine")
        self.file = file
        self.name = name
        self.catalog = catalog
        self.inbox = inbox
        self.archive = archive
        self.reports = reports
        self.language = language
    }

    /// A path as the pipeline file gives it, made absolute: relative paths are relative to the file.
    static func resolve(_ value: String, relativeTo file: String) -> String {
        let base = (file as NSString).deletingLastPathComponent
        let joined = value.hasPrefix("/") ? value : ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(value)
        return URL(fileURLWithPath: joined).absoluteURL.standardized.path
    }

    public static func load(_ file: String) throws(ConfigurationError) -> PipelineConfiguration {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigurationError([ConfigurationProblem(location: CatalogLocation(file: file), keyPath: "",
                                                           message: "cannot read the pipeline file; check the path")])
        }
        let reader = YAMLReader(file: file)
        guard var root = reader.root(String(decoding: data, as: UTF8.self)) else {
            throw ConfigurationError(reader.problems)
        }
        func path(_ key: String, required: Bool = true) -> String? {
            root.string(key, required: required).map { resolve($0, relativeTo: file) }
        }
        let name = root.string("name", required: false)
            ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let catalog = path("catalog")
        let inbox = path("inbox")
        let archive = path("archive")
        let reports = path("reports")
        let quarantine = path("quarantine", required: false)
        var language = Language.zh
        if let text = root.string("language", required: false) {
            if let parsed = Language(rawValue: text) {
                language = parsed
            } else {
                reader.report(location: root.location(of: "language"), "language", "unknown language '\(text)'; use zh or en")
            }
        }
        let groupReadable = root.bool("group_readable") ?? false
        let settle = root.double("settle_seconds") ?? 3
        if settle < 0 || settle > 600 {
            reader.report(location: root.location(of: "settle_seconds"), "settle_seconds",
                          "must be from 0 to 600 seconds")
        }
        root.finish()
        guard reader.problems.isEmpty, let catalog, let inbox, let archive, let reports else {
            throw ConfigurationError(reader.problems)
        }
        return PipelineConfiguration(file: file, name: name, catalog: catalog, inbox: inbox, archive: archive,
                                     reports: reports, quarantine: quarantine, language: language,
                                     settleSeconds: settle, groupReadable: groupReadable)
    }
}
