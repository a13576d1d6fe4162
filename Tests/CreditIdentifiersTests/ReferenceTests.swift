import CreditCore

import CreditIdentifiers
import Foundation
import Testing
import TestSupport

@Suite struct ReferenceTests {
    /// The binary's compiled-in tables are `catalogs/reference/` as committed: run
    /// `scripts/embed-reference.py` after editing a table.
    @Test(arguments: IdentifierReference.File.all)
    func embeddedCopiesMatchTheCatalog(file: String) throws {
        let path = Repository.path("catalogs/reference/\(file)")
        let onDisk = try String(contentsOfFile: path, encoding: .utf8)
        let embedded = try #require(IdentifierReference.embeddedText(of: file))
        #expect(embedded == onDisk.trimmingCharacters(in: .newlines), "run scripts/embed-reference.py")
    }

    @Test func divisionsCoverHistoryAndDerivedCodes() {
        let divisions = IdentifierReference.standard.divisions
        #expect(divisions.count > 6_000)
        for code in [330200, 330201, 330204, 330283, 100000, 110103] { #expect(divisions.contains(code), "\(code)") }
        #expect(!divisions.contains(339999))
        #expect(divisions.entry(for: 330204)?.isCurrent == false)
        #expect(divisions.entry(for: 330204)?.fullName == "浙江省宁波市江东区")
        #expect(divisions.entry(for: 330206)?.name == "北仑区")  // reused code: the one in use wins
        #expect(divisions.hasValidPrefix(820000) && divisions.hasValidPrefix(100000) && !divisions.hasValidPrefix(200000))
    }

    @Test func aBrokenTableNamesItsLine() {
        #expect(throws: ReferenceError(file: "uscc-categories.csv", line: 3,
                                       message: "authority and category must each be one character of the USCC alphabet")) {
            try USCCCategoryTable(csv: "authority,authority_name,category,category_name,list,gb32100\n"
                + "9,工商,1,企业,main,yes\nI,x,1,y,main,no\n")
        }
        #expect(throws: ReferenceError(file: "gbt2260-divisions.csv", line: 1,
                                       message: "the header must be `\(DivisionTable.columns.joined(separator: ","))`")) {
            try DivisionTable(csv: "code,name\n110000,北京市\n")
        }
        #expect(throws: ReferenceError(file: "uscc-legacy-allowlist.csv", line: 2,
                                       message: "`123` is not an 18-character code")) {
            try IdentifierReference(texts: [IdentifierReference.File.legacyUSCC: "code,note\n123,x\n"])
        }
    }
}
