import CreditCore
import CreditIdentifiers
import Foundation

extension Catalog {
    /// Loads `departments.yaml`, `feeds.yaml` and `items/*.yaml` from a catalog directory.
    ///
    /// Every file is read and cross-checked before anything is reported, so one
    /// ``ConfigurationError`` lists all problems with file, line, column and key path.
    public static func load(directory: String) throws(ConfigurationError) -> Catalog {
        var loader = CatalogLoader(directory: directory)
        return try loader.load()
    }
}

/// Reads and cross-checks the files of a catalog directory.
struct CatalogLoader {
    let directory: String
    var problems: [ConfigurationProblem] = []
    /// Every byte read, file by file (name, then contents), for ``Catalog/digest``.
    var readBytes: [UInt8] = []

    init(directory: String) {
        self.directory = directory
    }

    mutating func load() throws(ConfigurationError) -> Catalog {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError([ConfigurationProblem(
                location: CatalogLocation(file: directory), keyPath: "",
                message: "catalog directory not found; point `catalog:` in the pipeline file at the folder holding items/")])
        }
        let itemsDirectory = (directory as NSString).appendingPathComponent("items")
        let itemFiles = ((try? fileManager.contentsOfDirectory(atPath: itemsDirectory)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
            .map { (itemsDirectory as NSString).appendingPathComponent($0) }
        if itemFiles.isEmpty {
            problems.append(ConfigurationProblem(location: CatalogLocation(file: itemsDirectory), keyPath: "",
                                                 message: "no item files (*.yaml) found; the catalog needs at least one item"))
        }
        var items: [CatalogItem] = []
        for file in itemFiles {
            if let item = read(file, ItemReader.read) { items.append(item) }
        }
        let departments = read((directory as NSString).appendingPathComponent("departments.yaml"),
                               DepartmentReader.read) ?? []
        let feeds = read((directory as NSString).appendingPathComponent("feeds.yaml"), FeedReader.read) ?? []
        let identifiers = readReference()
        let calendar = readCalendar()
        crossCheck(items: items, departments: departments, feeds: feeds)
        if !problems.isEmpty { throw ConfigurationError(problems) }
        return Catalog(items: items, departments: departments.map(\.value), feeds: feeds.map(\.value),
                       identifiers: identifiers ?? .standard, calendar: calendar, directory: directory,
                       digest: KeyDigest(readBytes))
    }

    /// Reads `reference/*.csv`; a table the folder lacks is taken from the compiled-in copy.
    private mutating func readReference() -> IdentifierReference? {
        let folder = (directory as NSString).appendingPathComponent("reference")
        var texts: [String: String] = [:]
        for name in IdentifierReference.File.all {
            let path = (folder as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path) {
                remember(name, data)
                texts[name] = String(decoding: data, as: UTF8.self)
            }
        }
        do {
            return try IdentifierReference(texts: texts)
        } catch {
            problems.append(ConfigurationProblem(
                location: CatalogLocation(file: (folder as NSString).appendingPathComponent(error.file), line: error.line),
                keyPath: "", message: error.message))
            return nil
        }
    }

    /// Reads `reference/cn-official-calendar.csv` when the catalog has one.
    private mutating func readCalendar() -> WorkingCalendar? {
        let path = ((directory as NSString).appendingPathComponent("reference") as NSString)
            .appendingPathComponent(WorkingCalendar.file)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        remember(WorkingCalendar.file, data)
        do {
            return try WorkingCalendar(csv: String(decoding: data, as: UTF8.self))
        } catch {
            problems.append(ConfigurationProblem(location: CatalogLocation(file: path, line: error.line), keyPath: "",
                                                 message: error.message))
            return nil
        }
    }

    private mutating func remember(_ name: String, _ data: Data) {
        readBytes.append(contentsOf: name.utf8)
        readBytes.append(0)
        readBytes.append(contentsOf: data)
        readBytes.append(0)
    }

    private mutating func read<T>(_ file: String, _ body: (YAMLReader, inout YAMLReader.Map) -> T?) -> T? {
        let reader = YAMLReader(file: file)
        guard let data = FileManager.default.contents(atPath: file) else {
            problems.append(ConfigurationProblem(location: CatalogLocation(file: file), keyPath: "",
                                                 message: "cannot read the file; check that it exists and is readable"))
            return nil
        }
        remember((file as NSString).lastPathComponent, data)
        var result: T?
        if var root = reader.root(String(decoding: data, as: UTF8.self)) {
            result = body(reader, &root)
            root.finish()
        }
        problems += reader.problems
        return result
    }

    private mutating func crossCheck(items: [CatalogItem], departments: [Located<Department>],
                                     feeds: [Located<Feed>]) {
        var seenItems: [String: CatalogLocation] = [:]
        for item in items {
            if let first = seenItems[item.id] {
                problems.append(ConfigurationProblem(location: item.location, keyPath: "id",
                                                     message: "item id '\(item.id)' is already declared at \(first)"))
            } else {
                seenItems[item.id] = item.location
            }
        }
        // A publication's repairs and objections come from other items: they and their fields must exist.
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for item in items {
            guard let publication = item.publication else { continue }
            let links: [(key: String, link: RecordLink, fields: [String])] = [
                publication.repair.map { ("repair", $0.link, [$0.date] + ($0.when?.field.map { [$0] } ?? [])) },
                publication.objection.map { ("objection", $0.link, [$0.status]) },
            ].compactMap { $0 }
            for (key, link, fields) in links {
                guard let source = byID[link.item] else {
                    problems.append(ConfigurationProblem(location: item.location, keyPath: "publication.\(key).item",
                                                         message: "no item '\(link.item)' under items/; add it or fix the id"))
                    continue
                }
                for field in link.linkedFields + fields where source.fieldIndex(id: field) == nil {
                    problems.append(ConfigurationProblem(location: item.location, keyPath: "publication.\(key)",
                                                         message: "names no field '\(field)' of item \(link.item); use one of its field ids"))
                }
            }
        }
        var seenDepartments: [String: CatalogLocation] = [:]
        for department in departments {
            if let first = seenDepartments[department.value.id] {
                problems.append(ConfigurationProblem(
                    location: department.location, keyPath: department.keyPath + ".id",
                    message: "department id '\(department.value.id)' is already declared at \(first)"))
            } else {
                seenDepartments[department.value.id] = department.location
            }
        }
        var seenFeeds: [String: CatalogLocation] = [:]
        for feed in feeds {
            if let first = seenFeeds[feed.value.id] {
                problems.append(ConfigurationProblem(location: feed.location, keyPath: feed.keyPath + ".id",
                                                     message: "feed id '\(feed.value.id)' is already declared at \(first)"))
            } else {
                seenFeeds[feed.value.id] = feed.location
            }
            if seenDepartments[feed.value.department] == nil {
                problems.append(ConfigurationProblem(
                    location: feed.location, keyPath: feed.keyPath + ".department",
                    message: "no department '\(feed.value.department)' in departments.yaml; add it or fix the id"))
            }
            if seenItems[feed.value.item] == nil {
                problems.append(ConfigurationProblem(
                    location: feed.location, keyPath: feed.keyPath + ".item",
                    message: "no item '\(feed.value.item)' under items/; add it or fix the id"))
            } else if let item = items.first(where: { $0.id == feed.value.item }) {
                for (column, field) in feed.value.columns.sorted(by: { $0.key < $1.key }) where item.fieldIndex(id: field) == nil {
                    problems.append(ConfigurationProblem(
                        location: feed.location, keyPath: feed.keyPath + ".columns.\(column)",
                        message: "names no field '\(field)' of item \(item.id); use one of its field ids"))
                }
                for (fieldID, aliases) in feed.value.valueAliases.sorted(by: { $0.key < $1.key }) {
                    guard let index = item.fieldIndex(id: fieldID) else {
                        problems.append(ConfigurationProblem(
                            location: feed.location, keyPath: feed.keyPath + ".value_aliases.\(fieldID)",
                            message: "names no field '\(fieldID)' of item \(item.id); use one of its field ids"))
                        continue
                    }
                    let allowed: [String]
                    switch item.fields[index].type {
                    case .enumeration(let values), .enumerationList(let values): allowed = values
                    default: allowed = []
                    }
                    for (code, value) in aliases.sorted(by: { $0.key < $1.key }) where !allowed.contains(value) {
                        problems.append(ConfigurationProblem(
                            location: feed.location, keyPath: feed.keyPath + ".value_aliases.\(fieldID).\(code)",
                            message: allowed.isEmpty ? "field \(fieldID) is not an enum; only enum codes can be mapped"
                                : "maps to '\(value)', which is not a value of \(fieldID) (\(allowed.joined(separator: ", ")))"))
                    }
                }
            }
        }
    }
}

/// A value with where it was declared, kept until cross-checks are done.
struct Located<Value> {
    var value: Value
    var location: CatalogLocation
    var keyPath: String
}

/// Identifiers that become SQL table or column names must be plain lower-case words.
func isPlainIdentifier(_ text: String) -> Bool {
    guard let first = text.utf8.first, (0x61...0x7A).contains(first) else { return false }
    return text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
}
