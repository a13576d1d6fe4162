import CreditCore
import CreditIdentifiers
import Foundation
import Testing
import TestSupport

/// Our checks against python-stdnum 2.2 (`stdnum.cn.uscc`, `stdnum.cn.ric`) over 1.3 million
/// random and mutated codes.
///
/// Every disagreement must fall in a documented class where the standard (and our reading of it in
/// credit-data-standard §2–§4) and python-stdnum differ; the test asserts the set of classes seen,
/// so a new kind of disagreement fails it, and so does a documented class that stops occurring.
/// The classes are listed in docs/identifiers.md. `make test` installs python-stdnum into
/// .build/python and passes its interpreter in `CREDIT_ETL_PYTHON`.
@Suite struct IdentifierDifferentialTests {
    /// Why our verdict and python-stdnum's differ.
    enum Disagreement: String, CaseIterable, Comparable {
        // We accept, python-stdnum rejects.
        /// stdnum requires digits in positions 1–8, so authorities A, N, Y (and G, J, Q) fail.
        case stdnumDigitsOnlyAuthority = "uscc: stdnum rejects letters in positions 1-2"
        /// The code is on our allow-list of real 2015 pilot codes with a non-standard check character.
        case legacyAllowList = "uscc: legacy pilot code on the allow-list"
        /// stdnum reads only 18 digits; GB 11643 still has 15-digit numbers in circulation.
        case legacyFifteenDigits = "id: legacy 15-digit number"
        /// stdnum's place table (Wikipedia, with years of validity checked against the birth year)
        /// differs from the GB/T 2260 union, and a code in no list is only a warning for us.
        case stdnumPlaceTable = "id: stdnum's place-of-birth table"
        /// stdnum 2.2 raises KeyError, not a ValidationError, when the first six digits are no county
        /// in its table (a province or prefecture code, or a code in no list).
        case stdnumCrashOnUnlistedPlace = "id: stdnum raises KeyError on a place code it has no county for"
        // We reject, python-stdnum accepts.
        /// stdnum checks neither the authority nor the category.
        case authorityTable = "uscc: authority not allocated"
        case categoryTable = "uscc: category not in GB 32100 for its authority"
        /// stdnum does not look at the division code.
        case divisionPrefix = "uscc: positions 3-8 are no possible division"
        /// stdnum does not check the embedded organization code.
        case embeddedOrgCode = "uscc: embedded organization code"
        /// stdnum accepts birth dates after today.
        case futureBirthDate = "id: birth date in the future"

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    static let today = CivilDate(year: 2026, month: 1, day: 1)!

    @Test func disagreementsFallInDocumentedClasses() throws {
        let python = try #require(Self.python(), """
            python-stdnum is not available: run `make test`, which installs it into .build/python, \
            or set CREDIT_ETL_PYTHON to an interpreter that has python-stdnum 2.2
            """)
        var generator = CodeGenerator(seed: 20_261_122)
        var inputs: [(kind: IdentifierKind, code: String)] = []
        inputs.reserveCapacity(1_300_000)
        for _ in 0..<1_000_000 { inputs.append((.uscc, Self.usccInput(&generator))) }
        for _ in 0..<300_000 { inputs.append((.id, Self.idInput(&generator))) }

        let verdicts = try Self.stdnumVerdicts(inputs, python: python)
        try #require(verdicts.count == inputs.count, "python-stdnum answered \(verdicts.count) of \(inputs.count) codes")

        var seen: [Disagreement: Int] = [:]
        var disagreements = 0
        var unexplained: [String] = []
        for (input, stdnum) in zip(inputs, verdicts) {
            let canonical = IdentifierText.canonical(input.code)
            let ours = canonical.withUnsafeBufferPointer { input.kind.check($0, today: Self.today) }
            let classes = Self.classify(ours, stdnum: stdnum, canonical: canonical)
            if classes == nil {
                if unexplained.count < 20 {
                    unexplained.append("\(input.kind) \(input.code): ours \(ours.status) \(ours.defects.map(\.code)), stdnum \(stdnum)")
                }
                continue
            }
            if let classes, !classes.isEmpty { disagreements += 1 }
            for found in classes ?? [] { seen[found, default: 0] += 1 }
        }
        print("identifier differential: \(inputs.count) codes, \(disagreements) disagreements;",
              seen.sorted { $0.key < $1.key }.map { "\($0.key.rawValue): \($0.value)" }.joined(separator: "; "))
        #expect(unexplained.isEmpty, "unexplained disagreements:\n\(unexplained.joined(separator: "\n"))")
        #expect(Set(seen.keys) == Set(Disagreement.allCases),
                "classes seen: \(seen.sorted { $0.key < $1.key }.map { "\($0.key.rawValue): \($0.value)" })")
    }

    /// The documented classes a disagreement falls in; `[]` when both agree, nil when none explains it.
    static func classify(_ ours: CodeCheck, stdnum: String, canonical: [UInt8]) -> [Disagreement]? {
        let weAccept = ours.status != .invalid, theyAccept = stdnum == "ok"
        if weAccept == theyAccept { return [] }
        if weAccept {
            switch ours.kind {
            case .uscc:
                if stdnum == "InvalidFormat", canonical.prefix(2).contains(where: { $0 > UInt8(ascii: "9") }) {
                    return [.stdnumDigitsOnlyAuthority]
                }
                if stdnum == "InvalidChecksum", ours.has(.usccCheckLegacy) { return [.legacyAllowList] }
            case .id:
                if stdnum == "InvalidLength", canonical.count == 15, ours.has(.idLegacy15) { return [.legacyFifteenDigits] }
                if stdnum == "InvalidComponent" { return [.stdnumPlaceTable] }
                if stdnum == "crash:KeyError" { return [.stdnumCrashOnUnlistedPlace] }
            default: break
            }
            return nil
        }
        // We reject what python-stdnum accepts: only for checks it does not make.
        let errors = ours.defects.filter { $0.severity == .error }
        let classes: [Disagreement] = errors.compactMap {
            switch $0 {
            case .usccAuthority: .authorityTable
            case .usccCategory: .categoryTable
            case .usccDivision: .divisionPrefix
            case .usccOrgCodeCheck: .embeddedOrgCode
            case .idBirthDate: .futureBirthDate
            default: nil
            }
        }
        return classes.count == errors.count ? classes : nil
    }

    // MARK: Inputs

    /// A valid code, a code with one chosen defect, a mutated valid code, or random characters;
    /// some in lower case or with separators, which both sides fold away.
    static func usccInput(_ generator: inout CodeGenerator) -> String {
        let defects = IdentifierDefect.allCases.filter { $0.kind == .uscc && $0 != .usccEmpty }
        var code: String
        switch generator.random.next() % 10 {
        case 0, 1, 2: code = generator.uscc()
        case 3, 4: code = generator.code(with: defects[Int(generator.random.next() % UInt64(defects.count))]) ?? ""
        case 5, 6, 7: code = mutate(generator.uscc(), &generator)
        default:
            let pool = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
            var bytes = (0..<17).map { _ in pool[Int(generator.random.next() % 31)] }
            // Half with digits in positions 1–8, so the check character is what decides.
            if generator.random.next() % 2 == 0 { for index in 0..<8 { bytes[index] = UInt8(0x30 + generator.random.next() % 10) } }
            bytes.append(bytes.withUnsafeBufferPointer { USCC.checkCharacter(forPrefix: $0) } ?? 0x30)
            code = String(decoding: bytes, as: UTF8.self)
        }
        return decorate(code, &generator)
    }

    static func idInput(_ generator: inout CodeGenerator) -> String {
        let defects = IdentifierDefect.allCases.filter { $0.kind == .id && $0 != .idEmpty }
        switch generator.random.next() % 10 {
        case 0, 1, 2, 3: return generator.residentID()
        case 4, 5, 6: return generator.code(with: defects[Int(generator.random.next() % UInt64(defects.count))]) ?? ""
        default: return mutate(generator.residentID(), &generator)
        }
    }

    /// One substitution, adjacent transposition, deletion or insertion.
    static func mutate(_ code: String, _ generator: inout CodeGenerator) -> String {
        var bytes = Array(code.utf8)
        let pool = Array("0123456789ABCDEFGHJKLMNPQRTUWXYIOZSV".utf8)
        let position = Int(generator.random.next() % UInt64(bytes.count))
        switch generator.random.next() % 4 {
        case 0: bytes[position] = pool[Int(generator.random.next() % UInt64(pool.count))]
        case 1: if position + 1 < bytes.count { bytes.swapAt(position, position + 1) }
        case 2: bytes.remove(at: position)
        default: bytes.insert(pool[Int(generator.random.next() % UInt64(pool.count))], at: position)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decorate(_ code: String, _ generator: inout CodeGenerator) -> String {
        switch generator.random.next() % 20 {
        case 0: return code.lowercased()
        case 1: return String(code.prefix(8)) + "-" + String(code.dropFirst(8))
        case 2: return " " + code + " "
        default: return code
        }
    }

    // MARK: python-stdnum

    static func python() -> String? { TestPython.interpreter() }

    static func stdnumVerdicts(_ inputs: [(kind: IdentifierKind, code: String)], python: String) throws -> [String] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = inputs.map { "\($0.kind.rawValue)\t\($0.code)" }.joined(separator: "\n") + "\n"
        let inputFile = try directory.write("codes.tsv", text)
        let outputFile = directory.file("verdicts.txt")
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Repository.path("Tests/Differential/stdnum_verdicts.py"), inputFile]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "stdnum_verdicts.py exited with \(process.terminationStatus)")
        return try String(contentsOfFile: outputFile, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
