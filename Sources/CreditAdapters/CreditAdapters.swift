/// CreditAdapters turns department files into record batches: byte sources read files, and one
/// decoder per format (CSV through libcsv now; XML and JSON next) splits them into records that
/// keep their line and byte offset.
public enum CreditAdapters {}
