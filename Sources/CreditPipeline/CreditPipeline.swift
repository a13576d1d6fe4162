/// CreditPipeline orchestrates a run: it reads the pipeline file, matches inbox files to feeds,
/// skips content already archived, streams each new file through adapter → validation →
/// normalization → archive, and renders the run's report from the archive.
public enum CreditPipeline {}
