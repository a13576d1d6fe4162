import CreditCore
import Testing

@Suite struct KeyDigestTests {
    /// The archive stores 16 bytes and `trace` prints 32 hex digits: both read back to the digest.
    @Test func storedBytesAndHexReadBack() {
        for text in ["", "甬市监罚〔2026〕201号\u{1F}91330200MA2EL6266C\u{1F}2026-11-02\u{1F}", "a"] {
            let digest = KeyDigest(Array(text.utf8))
            #expect(KeyDigest(bytes: digest.bytes) == digest)
            #expect(KeyDigest(hex: digest.hex) == digest)
            #expect(digest.hex.count == 32)
        }
        #expect(KeyDigest(hex: "zz") == nil)
        #expect(KeyDigest(bytes: [1, 2, 3]) == nil)
    }

    /// Keys that differ in one byte or in order get different digests (the forward and backward
    /// halves both see the change).
    @Test func nearbyKeysDiffer() {
        let base = Array("甬市监罚〔2026〕201号\u{1F}2026-11-02".utf8)
        var seen: Set<KeyDigest> = [KeyDigest(base)]
        for index in base.indices {
            var changed = base
            changed[index] ^= 1
            #expect(seen.insert(KeyDigest(changed)).inserted)
        }
        #expect(KeyDigest(Array("ab".utf8)) != KeyDigest(Array("ba".utf8)))
    }
}
