/// Which digits numbers are written with. Arabic uses Arabic-Indic digits by default; many
/// Indonesian offices prefer Latin digits everywhere.
public enum DigitStyle: String, Sendable, CaseIterable {
    /// Each locale's own default: Arabic-Indic (٠١٢٣) for `ar`, Latin for `id`, `en` and `zh`.
    case native
    /// Latin digits (0123) in every locale: ICU's `numbers=latn` keyword (`ar@numbers=latn`).
    case latin

    /// The ICU locale ID for `locale` with this digit style.
    func localeID(_ locale: String) -> String {
        let base = ICULocale.canonicalID(locale) ?? locale
        return self == .latin ? base + "@numbers=latn" : base
    }
}
