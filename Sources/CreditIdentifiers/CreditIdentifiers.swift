/// CreditIdentifiers checks the identifier codes credit records are keyed by (GB 32100 unified
/// social credit codes first); pure Swift with no dependencies so any tool can embed it.
public enum CreditIdentifiers {}
