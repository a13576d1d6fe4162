/// CreditReports renders quality reports from the archive: `report.json` for machines and a
/// self-contained `index.html` in Chinese (English on request) for data-quality reviewers.
public enum CreditReports {}
