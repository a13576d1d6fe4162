/// CreditCatalog owns the information catalog: which items exist, which fields they carry and
/// how those are typed and required, which departments send which item in which format.
/// It lives in YAML under `catalogs/` so reviewers change rules by editing data, not code.
public enum CreditCatalog {}
