/// CreditCore owns the shapes every stage shares: the record batch with its provenance, findings
/// and their severities, quality counts, and byte-level value parsing. It has no I/O and no C.
public enum CreditCore {}
