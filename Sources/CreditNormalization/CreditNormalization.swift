/// CreditNormalization turns accepted records into their archived form: canonical codes and ISO
/// dates, empty tokens as NULL, with every raw value that normalization changed kept beside it.
public enum CreditNormalization {}
