import Foundation
import Testing
import TestSupport

/// The demo's report as a reviewer sees it: rendered by headless Chromium (Debian's `chromium`,
/// which `make test` installs when missing), screenshot kept in `.build/screenshots/`, and the
/// figures read from the rendered DOM checked against `report.json` and the archive.
@Suite struct BrowserReportTests {
    static func chromium() -> String? {
        for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }

    /// Runs Chromium headless on `page`; gives up after a minute rather than hang the suite.
    static func chromium(_ arguments: [String], page: String, profile: String) throws -> String {
        let browser = try #require(chromium(), """
            chromium is missing: `make test` installs it (scripts/debian-packages.txt), or run \
            `apt-get install chromium fonts-noto-cjk`
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        // No sandbox: the page is our own file, and CI runs as root where the sandbox cannot start.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                             "--user-data-dir=\(profile)"] + arguments + ["file://\(page)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        try #require(process.terminationStatus == 0, "chromium exited with \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }

    /// `data-figure` values in the rendered DOM: a card's value, or a table cell's text.
    static func figures(in text: some StringProtocol) -> [String: String] {
        let html = Substring(text)
        var result: [String: String] = [:]
        let card = /data-figure="([a-z_]+)"><div class="label">[^<]*<\/div><div class="value">([^<]*)<\/div>/
        for match in html.matches(of: card) { result[String(match.1)] = String(match.2) }
        let cell = /<td class="n[^"]*" data-figure="([a-z_]+)"[^>]*>([^<]*)<\/td>/
        for match in html.matches(of: cell) where result[String(match.1)] == nil {
            result[String(match.1)] = String(match.2).replacingOccurrences(of: " ▼", with: "")
        }
        return result
    }

    /// The `<tr …>…</tr>` rows carrying `attribute="value"`, by value.
    static func rows(_ html: String, _ attribute: String) -> [String: Substring] {
        var rows: [String: Substring] = [:]
        let pattern = try! Regex("<tr \(attribute)=\"([^\"]+)\"[^>]*>(.*?)</tr>")
        for match in html.matches(of: pattern) {
            rows[String(match.output[1].substring!)] = match.output[2].substring!
        }
        return rows
    }

    static func percent(_ ratio: [String: Int]?) -> String {
        guard let ratio, let denominator = ratio["denominator"], denominator > 0, let numerator = ratio["numerator"] else {
            return "—"
        }
        let hundredths = Int((Double(numerator) / Double(denominator) * 10_000).rounded())
        return String(format: "%d.%02d%%", hundredths / 100, hundredths % 100)
    }

    @Test func theRenderedReportShowsTheFiguresOfReportJSONAndOfTheArchive() throws {
        let (directory, report) = try DepartmentFeedbackTests.samplesRun()
        defer { directory.remove() }
        let profile = try TemporaryDirectory()
        defer { profile.remove() }
        let page = report + "/index.html"
        // The screenshot a reviewer would see, kept for people to look at.
        let screenshots = Repository.path(".build/screenshots")
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)
        let screenshot = screenshots + "/report.zh.png"
        try? FileManager.default.removeItem(atPath: screenshot)
        _ = try Self.chromium(["--window-size=1280,2600", "--screenshot=\(screenshot)"], page: page, profile: profile.file("shot"))
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 50_000, "a real picture of the page")

        let dom = try Self.chromium(["--dump-dom"], page: page, profile: profile.file("dom"))
        #expect(dom.contains("<h1>信用数据质量报告</h1>"), "the page rendered")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report + "/report.json")))
            as? [String: Any])
        let totals = try #require(json["totals"] as? [String: Any])
        let archive = directory.file("var/archive.sqlite")
        func sql(_ query: String) throws -> String {
            try CLIQuery.sqlite(archive, query).1.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        // The cards: as report.json has them, and as the archive counts them.
        let cards = Self.figures(in: dom[..<(dom.range(of: "<section id=\"targets\">")?.lowerBound ?? dom.endIndex)])
        #expect(cards["records"] == "\(totals["records"] as? Int ?? -1)")
        #expect(cards["compliant"] == "\(totals["compliant"] as? Int ?? -1)")
        #expect(cards["rejected"] == "\(totals["rejected"] as? Int ?? -1)")
        #expect(cards["records"] == (try sql("SELECT SUM(records) FROM files")))
        #expect(cards["compliant"] == (try sql("SELECT SUM(compliant) FROM files")))
        #expect(cards["compliance_rate"] == Self.percent(totals["compliance_rate"] as? [String: Int]))
        #expect(cards["compliance_rate"] == "60.00%")
        #expect(cards["timeliness_rate"] == Self.percent(totals["timeliness_rate"] as? [String: Int]))
        #expect(cards["dup_error_code_rate"] == Self.percent(totals["dup_error_code_rate"] as? [String: Int]))

        // Each department × item row against report.json's slice and the archive's files.
        let slices = try #require(json["slices"] as? [[String: Any]])
        let sliceRows = Self.rows(dom, "data-slice")
        #expect(sliceRows.count == slices.count && slices.count == 10)
        for slice in slices {
            let key = "\(slice["department"]!)/\(slice["item"]!)"
            let figures = try #require(slice["figures"] as? [String: Any])
            let shown = Self.figures(in: try #require(sliceRows[key], "\(key) is not on the page"))
            #expect(shown["records"] == "\(figures["records"] as? Int ?? -1)", "\(key)")
            #expect(shown["compliant"] == "\(figures["compliant"] as? Int ?? -1)", "\(key)")
            #expect(shown["compliance_rate"] == Self.percent(figures["compliance_rate"] as? [String: Int]), "\(key)")
            #expect(shown["records"] == (try sql("""
                SELECT SUM(records) FROM files WHERE department = '\(slice["department"]!)' AND item = '\(slice["item"]!)'
                """)), "\(key)")
        }

        // Departments: every one expected to send is a row, the silent ones marked.
        let departments = try #require(json["departments"] as? [[String: Any]])
        let departmentRows = Self.rows(dom, "data-department")
        #expect(departmentRows.count == departments.filter { $0["status"] as? String != "no_feed" }.count)
        #expect(departmentRows["bl-scjg"]?.contains("data-status=\"overdue\"") == true)
        #expect(Self.figures(in: departmentRows["nb-scjg"] ?? "")["records"] == (try sql("SELECT SUM(records) FROM files WHERE department = 'nb-scjg'")))

        // Targets: each check's verdict as report.json decided it.
        let checks = try #require(json["target_checks"] as? [[String: Any]])
        let checkRows = Self.rows(dom, "data-check")
        #expect(checkRows.count == checks.count)
        #expect(dom.contains("data-check=\"compliance_rate:all\" data-met=\"false\""))
    }
}
