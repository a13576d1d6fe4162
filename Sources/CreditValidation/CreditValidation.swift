/// CreditValidation checks records against the catalog: each rule is a small type that looks at
/// one record and reports findings; a ``Validator`` runs an item's rules over whole batches.
public enum CreditValidation {}
