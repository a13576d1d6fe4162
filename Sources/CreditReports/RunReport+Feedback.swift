extension RunReport {
    /// A feedback file to a department (问题数据反馈), beside the report.
    public struct FeedbackFile: Sendable, Hashable, Codable {
        public var department: String
        public var departmentName: String
        /// The department's file it answers, relative to the inbox.
        public var source: String
        /// Where it is, relative to the report's folder (`feedback/nb-scjg/admin_penalty_20261120.feedback.csv`).
        public var path: String
        public var format: String
        public var encoding: String
        /// Rejected records in it.
        public var rows: Int

        public init(department: String, departmentName: String, source: String, path: String, format: String,
                    encoding: String, rows: Int) {
            self.department = department
            self.departmentName = departmentName
            self.source = source
            self.path = path
            self.format = format
            self.encoding = encoding
            self.rows = rows
        }

        /// `feedback/<department>/<file name without extension>.feedback.<ext>`: the file's own
        /// name, so the department recognises what it answers; its extension follows the format.
        public static func path(for source: String, department: String, format: String) -> String {
            let name = source.split(separator: "/").last.map(String.init) ?? source
            let stem = name.split(separator: ".", omittingEmptySubsequences: false).count > 1
                ? name.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".") : name
            let sourceExtension = name.split(separator: ".").last.map(String.init) ?? format
            let ext = format == "json" && (sourceExtension == "jsonl" || sourceExtension == "ndjson") ? sourceExtension : format
            return "feedback/\(department)/\(stem).feedback.\(ext)"
        }
    }
}
