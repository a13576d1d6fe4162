/// What a file did to the archive's history of records, by business key.
///
/// A department re-exports whole tables all the time: most records of a resubmission are
/// `unchanged`, and only what changed becomes a new version.
public struct HistoryCounts: Sendable, Hashable, Codable {
    /// Accepted records whose key the archive had never accepted (or that have no key).
    public var new = 0
    /// Accepted records that changed an archived record: its next version.
    public var versions = 0
    /// Accepted records identical (after normalization) to the current version: not stored again.
    public var unchanged = 0
    /// New versions that withdraw their decision (当前状态 撤销/无效).
    public var withdrawn = 0
    /// Accepted records whose key an earlier file had rejected: the department corrected it (纠正).
    public var corrected = 0

    public init(new: Int = 0, versions: Int = 0, unchanged: Int = 0, withdrawn: Int = 0, corrected: Int = 0) {
        self.new = new
        self.versions = versions
        self.unchanged = unchanged
        self.withdrawn = withdrawn
        self.corrected = corrected
    }

    public static func += (lhs: inout HistoryCounts, rhs: HistoryCounts) {
        lhs.new += rhs.new
        lhs.versions += rhs.versions
        lhs.unchanged += rhs.unchanged
        lhs.withdrawn += rhs.withdrawn
        lhs.corrected += rhs.corrected
    }
}
