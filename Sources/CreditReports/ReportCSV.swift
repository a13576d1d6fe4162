import CreditCore

/// CSV as reviewers' spreadsheets and departments' loaders read it: RFC 4180 quoting (a value
/// with the delimiter, a quote or a line break is quoted, quotes doubled), CRLF line ends.
public enum CSVText {
    public static func encode(header: some Collection<String>, rows: [some Collection<String>],
                              delimiter: UInt8 = UInt8(ascii: ","), byteOrderMark: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        append(header, delimiter: delimiter, to: &bytes)
        for row in rows { append(row, delimiter: delimiter, to: &bytes) }
        return bytes
    }

    /// One record and its CRLF.
    public static func append(_ record: some Collection<String>, delimiter: UInt8, to bytes: inout [UInt8]) {
        for (index, value) in record.enumerated() {
            if index > 0 { bytes.append(delimiter) }
            let utf8 = Array(value.utf8)
            if utf8.contains(where: { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                bytes.append(0x22)
                for byte in utf8 {
                    if byte == 0x22 { bytes.append(0x22) }
                    bytes.append(byte)
                }
                bytes.append(0x22)
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }
}

/// The report's tables as CSV for spreadsheets (UTF-8 with a byte-order mark, so Excel reads the
/// Chinese): `figures.csv` per department × item, `findings.csv` per department × item × rule ×
/// field. Functions of the report alone, like the HTML.
public enum ReportCSV {
    /// A rate as a percentage with four decimals (重错码率 targets are hundredths of a percent),
    /// empty when there is nothing to divide by.
    public static func percent(_ ratio: Ratio) -> String {
        guard ratio.denominator > 0 else { return "" }
        let tenThousandths = (ratio.numerator * 1_000_000 + ratio.denominator / 2) / ratio.denominator
        let whole = String(tenThousandths / 10_000), fraction = String(tenThousandths % 10_000)
        return whole + "." + String(repeating: "0", count: 4 - fraction.count) + fraction + "%"
    }

    static func verdict(_ met: Bool?, _ t: ReportText) -> String { met.map { t.verdict($0) } ?? "" }

    public static func figures(_ report: RunReport) -> [UInt8] {
        let t = ReportText(language: report.language)
        let header = [t("报送单位代码", "department"), t("报送单位", "department_name"), t("信息项代码", "item"),
                      t("信息项", "item_name"), t("记录数", "records"), t("合规", "compliant"), t("不合规", "rejected"),
                      t("合规率", "compliance_rate"), t("合规率目标", "compliance_target"), t("是否达标", "target_met"),
                      t("及时", "timely"), t("超时", "late"), t("及时性未知", "timeliness_unknown"),
                      t("及时率", "timeliness_rate"), t("代码数", "distinct_codes"), t("错码", "error_codes"),
                      t("重码", "duplicate_codes"), t("重错码", "dup_error_codes"), t("重错码率", "dup_error_code_rate"),
                      t("新增", "new_records"), t("新版本", "new_versions"), t("未变", "unchanged"),
                      t("撤销", "withdrawn"), t("纠正", "corrected"), t("纠正率", "correction_rate")]
        let rows = report.slices.map { slice -> [String] in
            let f = slice.figures
            return [slice.department, slice.departmentName, slice.item, slice.itemName, "\(f.records)", "\(f.compliant)",
                    "\(f.rejected)", percent(f.complianceRate), slice.complianceTarget.description,
                    verdict(slice.meetsComplianceTarget, t), "\(f.timely)", "\(f.late)", "\(f.timelinessUnknown)",
                    percent(f.timelinessRate), "\(f.distinctCodes)", "\(f.errorCodes)", "\(f.duplicateCodes)",
                    "\(f.dupErrorCodes)", percent(f.dupErrorCodeRate), "\(f.newRecords)", "\(f.newVersions)",
                    "\(f.unchanged)", "\(f.withdrawn)", "\(f.corrected)", percent(f.correctionRate)]
        }
        return CSVText.encode(header: header, rows: rows, byteOrderMark: true)
    }

    public static func findings(_ report: RunReport) -> [UInt8] {
        let t = ReportText(language: report.language)
        let header = [t("报送单位代码", "department"), t("报送单位", "department_name"), t("信息项代码", "item"),
                      t("信息项", "item_name"), t("规则", "rule"), t("级别", "severity"), t("字段代码", "field"),
                      t("字段", "field_name"), t("次数", "count"), t("说明", "summary")]
        let rows = report.slices.flatMap { slice in
            slice.figures.findings.map { count -> [String] in
                [slice.department, slice.departmentName, slice.item, slice.itemName, count.rule, t.severity(count.severity),
                 count.field ?? "", count.fieldName ?? "", "\(count.count)", count.summary ?? ""]
            }
        }
        return CSVText.encode(header: header, rows: rows, byteOrderMark: true)
    }
}
