import CreditArchive

extension Archive: FileArchiving {}

extension ArchiveFile: ArchivingFile {}

extension Archive: ReportArchive {
    public var location: String { path }
}

extension Archive: RecordArchive {}
