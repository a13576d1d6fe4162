import CreditArchive
import CreditCatalog
import CreditCore
import Foundation

/// A pipeline file (`pipelines/nightly.yaml`), decoded and with its paths resolved.
///
/// ```yaml
/// name: nightly
/// catalog: ../catalogs            # the information catalog
/// inbox: ../samples               # where departments' files arrive
/// archive: ../var/archive.sqlite  # the embedded SQLite archive, or a PostgreSQL URL such as
///                                 # postgresql://credit@db.example:5432/credit (password: PGPASSWORD or PGPASSFILE)
/// reports: ../var/reports         # each run writes <reports>/run-NNNNNN/ and updates <reports>/latest
/// quarantine: ../var/quarantine   # optional: unreadable files are copied here with the reason
/// language: zh                    # zh (default) or en, for reports
/// settle_seconds: 3               # a file whose size or time changes within this is left pending
/// group_readable: false           # true: archive, reports and quarantine readable by the group too
/// targets:                        # optional; the plan's targets by default
///   compliance_rate: 98%          # 合规率, at least
///   compliance_rate_by_item: {admin_license: 99%, admin_penalty: 98%}
///   timeliness_rate: 95%          # 及时率, at least
///   dup_error_code_rate: 0.01%    # 重错码率, below
///   publication_timeliness_rate: 95%   # 公示及时率, at least
///   serious_dishonest_share: 0.7%       # 严重失信主体占比, below (a city indicator: shown, never fails a job)
///   clean_enterprise_share: 92%         # 无不良信息企业占比, at least (likewise)
/// fail_on: [unreadable_files, missed_targets]   # what fails the job (exit 2 / 3); [] for neither
/// ```
/// Relative paths are relative to the pipeline file, so a pipeline runs the same from any folder.
public struct PipelineConfiguration: Sendable, Hashable {
    public var file: String
    public var name: String
    public var catalog: String
    public var inbox: String
    /// The SQLite archive's path, or the PostgreSQL archive's URL (``postgresURL``).
    public var archive: String
    public var reports: String
    /// Where `credit-etl publish` writes its exports (`export-NNNNNN/`); nil when the pipeline
    /// publishes nothing.
    public var publication: String?
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
    /// What the run's figures are held against in the report and for the exit code.
    public var targets: QualityTargets
    /// Which outcomes fail the job with their exit code; the others exit 0 and are only reported.
    public var failOn: Set<JobFailure>
    /// The items `targets.compliance_rate_by_item` names, and where, to say so when the catalog
    /// has no such item.
    var itemTargetsInFile: ItemTargets?

    struct ItemTargets: Sendable, Hashable {
        var items: [String]
        var location: CatalogLocation
    }

    /// An outcome a pipeline may choose to fail its job (`fail_on:`).
    public enum JobFailure: String, Sendable, Hashable, CaseIterable {
        /// A file could not be read (exit 2).
        case unreadableFiles = "unreadable_files"
        /// A figure missed its target (exit 3).
        case missedTargets = "missed_targets"
    }

    public init(file: String, name: String, catalog: String, inbox: String, archive: String, reports: String,
                quarantine: String? = nil, language: Language = .zh, settleSeconds: Double = 3,
                groupReadable: Bool = false, targets: QualityTargets = .plan,
                failOn: Set<JobFailure> = Set(JobFailure.allCases)) {
        self.targets = targets
        self.failOn = failOn
        self.settleSeconds = settleSeconds
        self.groupReadable = groupReadable
        // Beside the archive; beside the reports when the archive is on a server.
        self.quarantine = quarantine
            ?? ((ArchiveURL.isPostgres(archive) ? reports : archive) as NSString).deletingLastPathComponent
            .appending("/quarantine")
        self.file = file
        self.name = name
        self.catalog = catalog
        self.inbox = inbox
        self.archive = archive
        self.reports = reports
        self.language = language
    }

    /// The PostgreSQL archive's URL, when `archive:` names one.
    public var postgresURL: String? { ArchiveURL.isPostgres(archive) ? archive : nil }

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
        let archive: String? = root.string("archive", required: true).flatMap { text in
            guard ArchiveURL.isPostgres(text) else { return resolve(text, relativeTo: file) }
            if let problem = ArchiveURL.problem(text) {
                reader.report(location: root.location(of: "archive"), "archive", problem)
                return nil
            }
            return text
        }
        let reports = path("reports")
        let publication = path("publication", required: false)
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
        let targetsLocation = root.location(of: "targets")
        let (targets, itemsInFile) = readTargets(&root, reader: reader)
        var failOn = Set(JobFailure.allCases)
        if root.has("fail_on") {
            let names = root.strings("fail_on")
            failOn = Set(names.compactMap(JobFailure.init(rawValue:)))
            for name in names where JobFailure(rawValue: name) == nil {
                reader.report(location: root.location(of: "fail_on"), "fail_on",
                              "unknown outcome '\(name)'; use unreadable_files, missed_targets, or [] for neither")
            }
        }
        root.finish()
        guard reader.problems.isEmpty, let catalog, let inbox, let archive, let reports else {
            throw ConfigurationError(reader.problems)
        }
        var configuration = PipelineConfiguration(
            file: file, name: name, catalog: catalog, inbox: inbox, archive: archive, reports: reports,
            quarantine: quarantine, language: language, settleSeconds: settle, groupReadable: groupReadable,
            targets: targets, failOn: failOn)
        configuration.publication = publication
        configuration.itemTargetsInFile = itemsInFile.isEmpty ? nil
            : ItemTargets(items: itemsInFile, location: targetsLocation)
        return configuration
    }

    /// What the file says that the catalog it names contradicts: an item target for an item the
    /// catalog does not have (a typo would silently hold that item to the overall target).
    public func problems(against catalog: Catalog) -> [ConfigurationProblem] {
        guard let written = itemTargetsInFile else { return [] }
        return written.items.compactMap { item in
            guard catalog.items[item] == nil else { return nil }
            return ConfigurationProblem(
                location: written.location,
                keyPath: "targets.compliance_rate_by_item.\(item)",
                message: "no item '\(item)' in the catalog; use an item id such as "
                    + catalog.items.keys.sorted().prefix(3).joined(separator: ", "))
        }
    }

    /// `targets:`: each key optional, the plan's target where one is absent; an item's own 合规率
    /// target replaces the plan's for that item only.
    private static func readTargets(_ root: inout YAMLReader.Map, reader: YAMLReader)
        -> (QualityTargets, itemsInFile: [String])
    {
        var targets = QualityTargets.plan
        var itemsInFile: [String] = []
        _ = root.mappings("targets") { (map: inout YAMLReader.Map) -> Void? in
            func rate(_ key: String) -> TargetRate? {
                guard let text = map.string(key, required: false) else { return nil }
                guard let rate = TargetRate(percent: text) else {
                    reader.report(location: map.location(of: key), "targets.\(key)",
                                  "'\(text)' is not a percentage; write it like 98% or 0.01%")
                    return nil
                }
                return rate
            }
            if let rate = rate("compliance_rate") { targets.complianceRate = rate }
            if let rate = rate("timeliness_rate") { targets.timelinessRate = rate }
            if let rate = rate("dup_error_code_rate") { targets.dupErrorCodeRate = rate }
            if let rate = rate("publication_timeliness_rate") { targets.publicationTimelinessRate = rate }
            if let rate = rate("serious_dishonest_share") { targets.seriousDishonestShare = rate }
            if let rate = rate("clean_enterprise_share") { targets.cleanEnterpriseShare = rate }
            for (item, text) in map.pairs("compliance_rate_by_item") {
                guard let rate = TargetRate(percent: text) else {
                    reader.report(location: map.location(of: "compliance_rate_by_item"),
                                  "targets.compliance_rate_by_item.\(item)",
                                  "'\(text)' is not a percentage; write it like 99%")
                    continue
                }
                targets.complianceRateByItem[item] = rate
                itemsInFile.append(item)
            }
            return nil
        }
        return (targets, itemsInFile)
    }
}

/// `archive:` as a PostgreSQL URL: checked when the pipeline file is read, so that a password
/// never sits in a file that is copied, committed and shown in logs.
extension ArchiveURL {
    /// What is wrong with the URL, in words the operator can act on; nil when it is usable.
    static func problem(_ text: String) -> String? {
        guard let url = URLComponents(string: text) else {
            return "not a PostgreSQL URL; write it like postgresql://credit@db.example:5432/credit"
        }
        if url.password != nil || (url.queryItems ?? []).contains(where: { $0.name == "password" }) {
            return "the URL carries a password; remove it and give it in PGPASSWORD or a PGPASSFILE "
                + "(a pipeline file is not a secret)"
        }
        if (url.path as NSString).lastPathComponent.isEmpty || url.path == "/" {
            return "the URL names no database; end it with /<database>, like postgresql://credit@db:5432/credit"
        }
        return nil
    }
}
