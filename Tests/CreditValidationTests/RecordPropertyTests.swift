import CreditCore
import CreditIdentifiers
import CreditValidation
import Testing

/// Property tests over generated 行政处罚 records: a valid record stays valid under benign
/// variation (spaces, full-width characters, other date layouts), and becomes non-compliant under
/// each single planted defect, with exactly the rule that names it.
@Suite struct RecordPropertyTests {
    /// Random valid records of all three subject kinds.
    struct Records {
        var codes = CodeGenerator(seed: 77)
        var serial = 0

        mutating func next() -> [String: String] {
            serial += 1
            var record = validPenalty
            record["cf_wsh"] = "甬市监罚〔2026〕\(serial)号"
            switch codes.random.next() % 3 {
            case 0:
                record["cf_xdr_lb"] = codes.random.next() % 2 == 0 ? "法人及非法人组织" : "02"
                record["cf_xdr_shxym"] = code { !$0.hasPrefix("92") }
            case 1:
                record["cf_xdr_mc"] = "宁波某某商店"
                record["cf_xdr_lb"] = "个体工商户"
                record["cf_xdr_shxym"] = code { $0.hasPrefix("92") }
            default:
                record = validPersonPenalty.merging(["cf_wsh": record["cf_wsh"] ?? ""]) { $1 }
                record["cf_xdr_zjhm"] = codes.residentID()
            }
            let day = 11 + Int(codes.random.next() % 9)
            record["cf_jdrq"] = "2026/11/\(day)"
            // No end is written 2099/12/31 (长期 as text is a warning of its own).
            record["cf_yxq"] = codes.random.next() % 4 == 0 ? "2099/12/31" : "2027/11/\(day)"
            if codes.random.next() % 2 == 0 {
                record["cf_cflb"] = "警告"
                record["cf_nr"] = "警告"
                record["cf_nr_fk"] = nil
            } else {
                // 处罚内容 states the same fine in 元 as 罚款金额 gives in 万元.
                let units = 1 + codes.random.next() % 9999, hundredths = codes.random.next() % 100
                record["cf_nr_fk"] = "\(units).\(hundredths < 10 ? "0" : "")\(hundredths)"
                record["cf_nr"] = "罚款人民币\(units * 10_000 + hundredths * 100)元"
            }
            return record
        }

        mutating func code(where accept: (String) -> Bool) -> String {
            while true {
                let candidate = codes.uscc()
                if accept(candidate) { return candidate }
            }
        }
    }

    /// Variations that change how a value is written, not what it says.
    static let benign: [(String, @Sendable (String, String) -> String)] = [
        ("surrounding spaces", { _, value in "  \(value) " }),
        ("full-width letters and digits", { field, value in
            field == "cf_xdr_mc" || field == "cf_cfjg" || field == "cf_sjly" ? value : fullWidth(value)
        }),
        ("dates with dashes", { field, value in field.hasSuffix("jdrq") || field == "cf_yxq" ? value.replacingOccurrences(of: "/", with: "-") : value }),
        ("dates in Chinese", { field, value in
            guard field.hasSuffix("jdrq"), value.contains("/") else { return value }
            let parts = value.split(separator: "/")
            return "\(parts[0])年\(Int(parts[1]) ?? 0)月\(Int(parts[2]) ?? 0)日"
        }),
    ]

    static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x21...0x7E).contains(scalar.value) && scalar != "/" ? Unicode.Scalar(scalar.value + 0xFEE0) ?? scalar : scalar
        }))
    }

    @Test func benignVariationsStayValid() throws {
        let penalties = try ItemRecords("admin_penalty")
        var records = Records()
        var batch: [[String: String]] = []
        for _ in 0..<150 {
            let record = records.next()
            batch.append(record)
            for (_, vary) in Self.benign {
                var varied = record
                for (field, value) in record { varied[field] = vary(field, value) }
                // The same decision again would be a duplicate: each variation is its own decision.
                varied["cf_wsh"] = (record["cf_wsh"] ?? "") + "-\(batch.count)"
                batch.append(varied)
            }
        }
        let (outcome, findings) = try penalties.validate(batch)
        for (index, found) in findings.enumerated() where !found.isEmpty {
            Issue.record("record \(index) \(batch[index]): \(found.map(\.rule.rawValue))")
        }
        #expect(outcome.rejectedCount == 0)
    }

    /// Each defect, planted alone in a valid record, and the one rule that must name it.
    static let defects: [(rule: String, plant: @Sendable (inout [String: String]) -> Bool)] = [
        ("REQUIRED", { $0["cf_sy"] = nil; return true }),
        ("USCC_CHECK", { record in
            guard let code = record["cf_xdr_shxym"] else { return false }
            record["cf_xdr_shxym"] = String(code.dropLast()) + (code.last == "0" ? "1" : "0")
            return true
        }),
        ("ID_CHECK", { record in
            guard let id = record["cf_xdr_zjhm"] else { return false }
            record["cf_xdr_zjhm"] = String(id.dropLast()) + (id.last == "0" ? "1" : "0")
            return true
        }),
        ("DATE_FORMAT", { $0["cf_yxq"] = "2027/02/30"; return true }),
        ("ENUM_VALUE", { $0["cf_cflb"] = "罚金"; $0["cf_nr_fk"] = nil; return true }),
        ("FORBIDDEN_WHEN", { record in
            guard record["cf_xdr_lb"] == "自然人" else { return false }
            record["cf_frdb"] = "某人"
            return true
        }),
        ("REQUIRED_WHEN", { record in
            guard record["cf_nr_fk"] != nil else { return false }
            record["cf_nr_fk"] = nil
            return true
        }),
        ("DECIMAL_FORMAT", { record in
            guard record["cf_nr_fk"] != nil else { return false }
            record["cf_nr_fk"] = "1.2345678"
            return true
        }),
        ("DATE_ORDER", { $0["cf_yxq"] = "2026/01/01"; return true }),
        ("DATE_AFTER_SUBMISSION", { $0["cf_jdrq"] = "2026/11/21"; $0["cf_yxq"] = "2027/11/21"; return true }),
    ]

    @Test func eachSingleDefectIsCaughtByItsRule() throws {
        let penalties = try ItemRecords("admin_penalty")
        var records = Records()
        var batch: [[String: String]] = []
        var expected: [String] = []
        for _ in 0..<60 {
            let valid = records.next()
            for defect in Self.defects {
                var record = valid
                guard defect.plant(&record) else { continue }
                record["cf_wsh"] = (record["cf_wsh"] ?? "") + "-" + defect.rule
                batch.append(record)
                expected.append(defect.rule)
            }
        }
        let (outcome, findings) = try penalties.validate(batch)
        #expect(Set(expected) == Set(Self.defects.map(\.rule)), "every defect was planted")
        for (index, found) in findings.enumerated() {
            #expect(found.map(\.rule.rawValue) == [expected[index]], "\(batch[index])")
        }
        #expect(outcome.rejectedCount == batch.count)
    }

    @Test func aRepeatedRecordIsADuplicate() throws {
        var records = Records()
        let record = records.next()
        let (_, findings) = try ItemRecords("admin_penalty").validate([record, record])
        #expect(findings.map { $0.map(\.rule.rawValue) } == [[], ["DUP_RECORD"]])
    }
}
