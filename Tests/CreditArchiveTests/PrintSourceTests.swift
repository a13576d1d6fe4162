import CreditArchive
import Testing

/// When a file is read against its feed's prints: a full re-send is, an increment or one file of a
/// backfill cut in many is not (each would read every print of the feed for a few records).
@Suite struct PrintSourceTests {
    @Test func aFullResendLoadsThePrintsAnIncrementDoesNot() {
        let table = 340.0 * 1_000_000   // a feed's table: a million records of 340 bytes
        #expect(PrintSource.worthLoading(fileSize: 340 * 1_000_000, tableBytes: table))
        #expect(PrintSource.worthLoading(fileSize: 340 * 250_000, tableBytes: table), "a quarter is the edge")
        #expect(!PrintSource.worthLoading(fileSize: 340 * 249_000, tableBytes: table))
        #expect(!PrintSource.worthLoading(fileSize: 340 * 10_000, tableBytes: table), "a night's increment")
        #expect(!PrintSource.worthLoading(fileSize: 340 * 10_000, tableBytes: 340 * 500_000),
                "the 51st file of a backfill cut in 100")
        #expect(!PrintSource.worthLoading(fileSize: 1_000, tableBytes: 0), "nothing archived: nothing to load")
    }

    /// Asked before the files ahead are archived, "no" is final (the table only grows) and
    /// anything else waits for the archiver: the answer never depends on the threads' timing.
    @Test func anEarlyNoIsFinal() {
        for size: Int64 in [1_000, 100_000, 10_000_000] {
            for known in [0.0, 1e5, 1e6, 1e8] where !PrintSource.mayLoad(fileSize: size, tableBytes: known) {
                for grown in [known, known * 2, known + 1e9] {
                    #expect(!PrintSource.worthLoading(fileSize: size, tableBytes: grown))
                }
            }
        }
        #expect(PrintSource.mayLoad(fileSize: 1_000, tableBytes: 0), "a feed with nothing archived yet waits")
    }
}
