import CreditCore
/// Reads `departments.yaml`: the units that send data.
enum DepartmentReader {
    static func read(_ reader: YAMLReader, _ root: inout YAMLReader.Map) -> [Located<Department>] {
        root.list("departments") { entry in
            let id = entry.string("id")
            let name = entry.string("name")
            let level = entry.string("level")
            let district = entry.string("district", required: false)
            let uscc = entry.string("uscc", required: false)
            if let level, level != "市级", level != "区县" {
                reader.report(location: entry.location(of: "level"), entry.path + ".level",
                              "unknown level '\(level)'; use 市级 or 区县")
            }
            guard let id, let name, let level else { return nil }
            return Located(value: Department(id: id, name: name, level: level, district: district, uscc: uscc),
                           location: entry.location, keyPath: entry.path)
        }
    }
}

/// Reads `feeds.yaml`: which department sends which item, and how.
enum FeedReader {
    static func read(_ reader: YAMLReader, _ root: inout YAMLReader.Map) -> [Located<Feed>] {
        root.list("feeds") { entry in
            let id = entry.string("id")
            let department = entry.string("department")
            let item = entry.string("item")
            let formatText = entry.string("format")
            let encoding = entry.string("encoding", required: false) ?? "auto"
            if !["auto", "utf-8", "utf8", "gb18030", "gbk", "gb2312", "cp936"].contains(encoding.lowercased()) {
                reader.report(location: entry.location(of: "encoding"), entry.path + ".encoding",
                              "unknown encoding '\(encoding)'; use auto, utf-8 or gb18030 (gbk, gb2312)")
            }
            let files = entry.string("files")
            let delimiterText = entry.string("delimiter", required: false) ?? ","
            let columns = entry.pairs("columns")
            let recordPath = entry.string("record_path", required: false)
            let strictQuotes = entry.bool("strict_quotes") ?? false
            var cadences: [FeedCadence] = []
            if let days = entry.int("due_every_working_days") {
                if days >= 1 { cadences.append(.everyWorkingDays(days)) } else {
                    reader.report(location: entry.location(of: "due_every_working_days"),
                                  entry.path + ".due_every_working_days", "must be at least 1")
                }
            }
            if let day = entry.int("due_monthly_by") {
                if (1...28).contains(day) { cadences.append(.monthlyBy(day: day)) } else {
                    reader.report(location: entry.location(of: "due_monthly_by"), entry.path + ".due_monthly_by",
                                  "a day of the month from 1 to 28")
                }
            }
            if let text = entry.string("due_yearly_by", required: false) {
                let parts = text.split(separator: "-").compactMap { Int($0) }
                if parts.count == 2, CivilDate(year: 2001, month: parts[0], day: parts[1]) != nil {
                    cadences.append(.yearlyBy(month: parts[0], day: parts[1]))
                } else {
                    reader.report(location: entry.location(of: "due_yearly_by"), entry.path + ".due_yearly_by",
                                  "a month and day such as \"04-30\"")
                }
            }
            if cadences.count > 1 {
                reader.report(location: entry.location, entry.path, "a feed has one cadence: due_every_working_days, "
                    + "due_monthly_by or due_yearly_by")
            }
            let valueAliases = entry.nestedPairs("value_aliases")
            var format: SourceFormat?
            if let formatText {
                format = SourceFormat(rawValue: formatText)
                if format == nil {
                    reader.report(location: entry.location(of: "format"), entry.path + ".format",
                                  "unknown format '\(formatText)'; use csv, xml or json")
                }
            }
            let delimiter = delimiterText == "\\t" || delimiterText == "tab" ? "\t" : delimiterText
            if delimiter.utf8.count != 1 {
                reader.report(location: entry.location(of: "delimiter"), entry.path + ".delimiter",
                              "a delimiter is one ASCII character such as , ; | or tab")
            }
            guard let id, let department, let item, let format, let files, let byte = delimiter.utf8.first
            else { return nil }
            var feed = Feed(id: id, department: department, item: item, format: format,
                                       encoding: encoding, files: files, delimiter: byte,
                                       columns: Dictionary(columns.map { ($0.key, $0.value) },
                                                           uniquingKeysWith: { first, _ in first }),
                                       recordPath: recordPath,
                                       valueAliases: Dictionary(valueAliases.map { field in
                                           (field.key, Dictionary(field.pairs.map { ($0.key, $0.value) },
                                                                  uniquingKeysWith: { first, _ in first }))
                                       }, uniquingKeysWith: { first, _ in first }))
            feed.strictQuotes = strictQuotes
            feed.cadence = cadences.first
            return Located(value: feed, location: entry.location, keyPath: entry.path)
        }
    }
}
