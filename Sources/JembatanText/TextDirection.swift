internal import CICU

/// The base direction of a text, as sent in the `dir` field of messages.
public enum TextDirection: String, Sendable, Codable {
    /// Left to right (Latin, Han, …) — also the answer for text with no strong character.
    case ltr
    /// Right to left (Arabic, Hebrew, …).
    case rtl

    /// The direction a page in `locale` runs in ("ar" → rtl), by the script ICU expects for it.
    public init(locale: String) {
        let id = ICULocale.maximized(ICULocale.canonicalID(locale) ?? locale) ?? locale
        self = cicu_locale_is_rtl(id) != 0 ? .rtl : .ltr
    }
}

/// Why `TextSanitizer.sanitize` refused a text.
public enum TextRejection: Error, Equatable, Sendable {
    /// Nothing left after normalisation, bidi clean-up and trimming.
    case empty
    /// More grapheme clusters than the limit.
    case tooLong(limit: Int)
}
