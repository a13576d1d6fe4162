import CreditArchive

extension PostgresArchive: FileArchiving {}

extension PostgresArchiveFile: ArchivingFile {}
