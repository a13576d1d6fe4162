import CreditArchive
import CreditCatalog
import CreditCore
import CreditReports
import CreditValidation
import Foundation

/// 问题数据反馈: for each file of a run with rejected records, those records sent back to the
/// department in its own columns, format and encoding, with the original line, the rule ids and
/// the messages, so it can fix them and send them again. Written beside the report in
/// `feedback/<department>/<file>.feedback.<ext>`; personal data is not masked (the department sent
/// it), so the folder is readable by the owner only, whatever `group_readable` says.
struct DepartmentFeedback {
    let archive: Archive
    let catalog: Catalog
    let language: Language

    /// The columns added after the department's own.
    var addedColumns: [String] { FeedbackColumns.names(language) }

    /// Writes every feedback file of `run` under `directory/feedback` and returns what was written.
    func write(run: Int64, into directory: String) throws(PipelineError) -> [RunReport.FeedbackFile] {
        let files: [RejectedFile]
        do {
            files = try archive.rejectedFiles(run: run)
        } catch {
            throw .archive(error)
        }
        guard !files.isEmpty else { return [] }
        let root = (directory as NSString).appendingPathComponent("feedback")
        var written: [RunReport.FeedbackFile] = []
        for file in files {
            let relative = RunReport.FeedbackFile.path(for: file.path, department: file.department, format: file.format)
            let target = (directory as NSString).appendingPathComponent(relative)
            let rows: [RejectedRow]
            do {
                rows = try archive.rejectedRows(file: file.fileID)
            } catch {
                throw .archive(error)
            }
            let feed = catalog.feeds.first { $0.id == file.feed }
            var text = encode(file, rows: rows, feed: feed)
            var encoding = file.encoding
            if encoding != "UTF-8" {
                if let converted = Transcoding.fromUTF8(text, to: encoding) {
                    text = converted
                } else {
                    // A character the department's encoding cannot hold: UTF-8 rather than nothing
                    // (and an XML prolog that says so).
                    encoding = "UTF-8"
                    text = encode(file, rows: rows, feed: feed, declaring: "UTF-8")
                }
            }
            do {
                try Self.makePrivateFolder(root)
                try Self.makePrivateFolder((target as NSString).deletingLastPathComponent)
                try Self.writePrivate(text, to: target)
            } catch {
                throw .report(target, error)
            }
            written.append(RunReport.FeedbackFile(
                department: file.department, departmentName: catalog.departments[file.department]?.name ?? file.department,
                source: file.path, path: relative, format: file.format, encoding: encoding, rows: rows.count))
        }
        return written
    }

    /// The feedback as UTF-8 bytes in the file's format; `declaring` is the encoding an XML
    /// prolog names (the department's own by default).
    func encode(_ file: RejectedFile, rows: [RejectedRow], feed: Feed?, declaring: String? = nil) -> [UInt8] {
        let added = rows.map { row -> [String] in
            let rules = Array(NSOrderedSet(array: row.errors.map(\.rule.rawValue))) as? [String] ?? []
            let messages = row.errors.map { error in
                let message = RuleDescription.describing(error.rule)?.message(for: error, language: language) ?? error.rule.rawValue
                return error.field.map { "\(fieldName($0, item: file.item)): \(message)" } ?? message
            }
            return [String(row.line), rules.joined(separator: ";"), messages.joined(separator: language == .zh ? "；" : "; ")]
        }
        switch file.format {
        case "xml":
            return FeedbackXML.encode(columns: departmentKeys(file, feed: feed), rows: rows.map(\.fields),
                                      added: addedColumns, addedValues: added, recordPath: feed?.recordPath,
                                      encoding: declaring ?? file.encoding)
        case "json":
            let lines = file.path.hasSuffix(".jsonl") || file.path.hasSuffix(".ndjson")
            return FeedbackJSON.encode(columns: departmentKeys(file, feed: feed), rows: rows.map(\.fields),
                                       added: addedColumns, addedValues: added, recordPath: feed?.recordPath,
                                       lines: lines)
        default:
            // Feedback sent back still wrong carries the last feedback's columns: replaced, not repeated.
            let earlier = FeedbackColumns.trailing(in: file.header)
            let own = earlier.isEmpty ? file.header.count : earlier.lowerBound
            return CSVText.encode(header: file.header.prefix(own) + addedColumns,
                                      rows: zip(rows, added).map { $0.fields.prefix(own) + $1 },
                                      delimiter: feed?.delimiter ?? UInt8(ascii: ","))
        }
    }

    /// For XML and JSON, the archive keeps values by field id: the department's own key for each
    /// (its feed's `columns:`), else the id.
    func departmentKeys(_ file: RejectedFile, feed: Feed?) -> [String] {
        var own: [String: String] = [:]
        for (name, id) in feed?.columns ?? [:] where own[id] == nil || name < own[id]! { own[id] = name }
        return file.header.map { own[$0] ?? $0 }
    }

    func fieldName(_ id: String, item: String) -> String {
        guard let field = catalog.items[item]?.fields.first(where: { $0.id == id }) else { return id }
        return language == .zh ? field.name : (field.nameEnglish ?? field.name)
    }

    static func makePrivateFolder(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        guard chmod(path, 0o700) == 0 else {
            throw PipelineError(.report, "\(path): cannot make it private (\(String(cString: strerror(errno))))")
        }
    }

    static func writePrivate(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PipelineError(.report, "\(temporary): \(String(cString: strerror(errno)))")
        }
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw PipelineError(.report, "\(temporary): \(reason)")
            }
            offset += count
        }
        let synced = fsync(descriptor) == 0 ? nil : String(cString: strerror(errno))
        let closed = close(descriptor) == 0 ? nil : String(cString: strerror(errno))
        if let reason = synced ?? closed {
            unlink(temporary)
            throw PipelineError(.report, "\(temporary): \(reason)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw PipelineError(.report, "\(path): \(String(cString: strerror(errno)))")
        }
    }
}
