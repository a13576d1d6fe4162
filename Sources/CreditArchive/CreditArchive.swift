/// CreditArchive owns the embedded SQLite archive (through GRDB): accepted records in one table
/// per catalog item with their file and line, rejected records with their findings, the ledger of
/// ingested files keyed by content hash, and a row per run.
public enum CreditArchive {}
