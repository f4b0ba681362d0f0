/// The base direction of a text, as sent in the `dir` field of messages.
public enum TextDirection: String, Sendable, Codable {
    /// Left to right (Latin, Han, …) — also the answer for text with no strong character.
    case ltr
    /// Right to left (Arabic, Hebrew, …).
    case rtl
}

/// Why `TextSanitizer.sanitize` refused a text.
public enum TextRejection: Error, Equatable, Sendable {
    /// Nothing left after normalisation, bidi clean-up and trimming.
    case empty
    /// More grapheme clusters than the limit.
    case tooLong(limit: Int)
}
