import CreditArchive
import CreditCatalog
import CreditCore
import CreditValidation
import Foundation

/// 问题数据反馈: for each file of a run with rejected records, those records sent back to the
/// department in its own columns, format and encoding, with the original line, the rule ids and
/// the messages, so it can fix them and send them again. Written beside the report in
/// `feedback/<department>/<file>.feedback.<ext>`; personal data is not masked (the department sent
/// it), so the folder is readable by the owner only, whatever `group_readable` says.
struct DepartmentFeedback {
    let archive: any ReportArchive
    let catalog: Catalog
    let language: Language

    /// The columns added after the department's own.
    var addedColumns: [String] { FeedbackColumns.names(language) }

    /// Writes every feedback file of `run` under `directory/feedback` and returns what was written.
    func write(run: Int64, into directory: String) throws(ReportWriteError) -> [RunReport.FeedbackFile] {
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
            do {
                try Self.makePrivateFolder(root)
                try Self.makePrivateFolder((target as NSString).deletingLastPathComponent)
            } catch {
                throw .unwritable(target, error)
            }
            // In the department's encoding; a character it cannot hold sends the file again in
            // UTF-8 (and an XML prolog that says so) rather than nothing.
            var encoding = file.encoding
            var rows = try write(file, to: target, encoding: encoding)
            if rows == nil {
                encoding = "UTF-8"
                rows = try write(file, to: target, encoding: encoding)
            }
            written.append(RunReport.FeedbackFile(
                department: file.department, departmentName: catalog.departments[file.department]?.name ?? file.department,
                source: file.path, path: relative, format: file.format, encoding: encoding, rows: rows ?? 0))
        }
        return written
    }

    /// Streams one file's feedback to `target` in `encoding`; returns the records written, or nil
    /// when a character has no place in the encoding (nothing is left behind then).
    func write(_ file: RejectedFile, to target: String, encoding: String) throws(ReportWriteError) -> Int? {
        let transcoder = encoding == "UTF-8" ? nil : Transcoder(to: encoding)
        if encoding != "UTF-8", transcoder == nil { return nil }
        var format = self.format(for: file, encoding: encoding)
        let output: PrivateFile
        do {
            output = try PrivateFile(path: target)
        } catch {
            throw .unwritable(target, error)
        }
        var failure: (any Error)?
        var untranslatable = false
        var rows = 0
        func emit(_ bytes: [UInt8]) -> Bool {
            guard let converted = transcoder.map({ $0.convert(bytes) }) ?? bytes else {
                untranslatable = true
                return false
            }
            do {
                try output.append(converted)
                return true
            } catch {
                failure = error
                return false
            }
        }
        var going = emit(format.opening)
        if going {
            do {
                try archive.forEachRejectedRow(file: file.fileID) { row in
                    rows += 1
                    return emit(format.record(row.fields, added: added(row, item: file.item)))
                }
            } catch {
                output.abandon()
                throw .archive(error)
            }
            going = failure == nil && !untranslatable && emit(format.closing)
        }
        if !going {
            output.abandon()
            if untranslatable { return nil }
            throw .unwritable(target, failure ?? ReportWriteError.unwritable("cannot write"))
        }
        do {
            try output.finish()
        } catch {
            throw .unwritable(target, error)
        }
        return rows
    }

    /// The three added values of a rejected record: its line, its rules, its messages.
    func added(_ row: RejectedRow, item: String) -> [String] {
        var rules: [String] = []
        for error in row.errors where !rules.contains(error.rule.rawValue) { rules.append(error.rule.rawValue) }
        let messages = row.errors.map { error in
            let message = RuleDescription.describing(error.rule)?.message(for: error, language: language) ?? error.rule.rawValue
            return error.field.map { "\(fieldName($0, item: item)): \(message)" } ?? message
        }
        return [String(row.line), rules.joined(separator: ";"), messages.joined(separator: language == .zh ? "；" : "; ")]
    }

    /// The file's own format: the feed's delimiter, record path and (XML) declared encoding.
    func format(for file: RejectedFile, encoding: String) -> any FeedbackFormat {
        let feed = catalog.feeds.first { $0.id == file.feed }
        switch file.format {
        case "xml":
            return FeedbackXML(columns: departmentKeys(file, feed: feed), added: addedColumns,
                               recordPath: feed?.recordPath, encoding: encoding)
        case "json":
            return FeedbackJSON(columns: departmentKeys(file, feed: feed), added: addedColumns,
                                recordPath: feed?.recordPath,
                                lines: file.path.hasSuffix(".jsonl") || file.path.hasSuffix(".ndjson"))
        default:
            return FeedbackCSV(header: file.header, added: addedColumns, delimiter: feed?.delimiter ?? UInt8(ascii: ","))
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
            throw ReportWriteError.unwritable("\(path): cannot make it private (\(String(cString: strerror(errno))))")
        }
    }
}

/// A file created readable by the owner only, written through a buffer under a temporary name
/// and renamed into place once synced: a reader never sees half a feedback file, and every
/// write, sync and rename is checked.
final class PrivateFile {
    let path: String
    private let temporary: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws {
        self.path = path
        temporary = path + ".tmp"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ReportWriteError.unwritable("\(temporary): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 16)
    }

    func append(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let count = buffer[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReportWriteError.unwritable("\(temporary): \(String(cString: strerror(errno)))")
            }
            offset += count
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        do {
            try flush()
        } catch {
            abandon()
            throw error
        }
        let synced = fsync(descriptor) == 0 ? nil : String(cString: strerror(errno))
        let closed = close(descriptor) == 0 ? nil : String(cString: strerror(errno))
        descriptor = -1
        if let reason = synced ?? closed {
            unlink(temporary)
            throw ReportWriteError.unwritable("\(temporary): \(reason)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ReportWriteError.unwritable("\(path): \(reason)")
        }
    }

    /// Closes and removes what was written.
    func abandon() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporary)
    }

    deinit { if descriptor >= 0 { abandon() } }
}
