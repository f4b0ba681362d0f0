internal import CICU

/// The checks every chat message passes before it is stored (PROTOCOL.md, `send`): Unicode
/// normalisation, bidi clean-up, trimming and a length limit in user-perceived characters.
public enum TextSanitizer {
    /// NFC-normalise (ICU unorm2), remove UNPAIRED bidi embedding/override/isolate controls
    /// (LRE RLE LRO RLO PDF LRI RLI FSI PDI: keep properly nested pairs, drop unmatched openers/closers;
    /// also a paragraph separator/newline terminates open embeddings), trim leading/trailing whitespace,
    /// then refuse empty text and text over maxGraphemes grapheme clusters (ICU character break iterator).
    public static func sanitize(_ text: String, maxGraphemes: Int) throws(TextRejection) -> String {
        // Bidi clean-up first: a dropped control may have sat between a letter and its
        // combining mark ("e", RLO, U+0301), which only compose once it is gone.
        // Plain ASCII has nothing for the first three steps to change (most Indonesian and
        // English messages): they cost ~7,000 instructions a message for nothing.
        let cleaned =
            isPlainASCII(text)
            ? trimmingWhitespace(text)
            : trimmingWhitespace(normalizedNFC(BidiControls.removingUnpaired(from: removingControlCharacters(text))))
        if cleaned.isEmpty { throw .empty }
        // Every grapheme cluster has at least one UTF-16 unit: short texts need no count.
        if cleaned.utf16.count > maxGraphemes, graphemeCount(cleaned) > maxGraphemes {
            throw .tooLong(limit: maxGraphemes)
        }
        return cleaned
    }

    /// The number of extended grapheme clusters (what a reader counts as characters: a flag,
    /// an emoji with skin tone, a Devanagari letter with its vowel signs is one), by ICU's
    /// break iterator. ICU 72 follows Unicode 15.0, which still splits Indic conjuncts
    /// ("क्ष" is two); Swift's `String.count` may follow a later Unicode and differ there.
    public static func graphemeCount(_ text: String) -> Int {
        do {
            return try ICUCall.withUTF16(text) { units, length throws(ICUError) in
                var status = CICU_ZERO_ERROR
                let count = cicu_grapheme_count(units, length, &status)
                try ICUError.check(status)
                return Int(count)
            }
        } catch {
            // Only reachable when ICU cannot allocate its iterator; Swift's own grapheme
            // breaking implements the same UAX #29 rules.
            return text.count
        }
    }

    /// Base direction by ICU (ubidi_getBaseDirection): the direction of the first strong
    /// character, so leading digits or punctuation do not decide; neutral text → .ltr
    public static func baseDirection(of text: String) -> TextDirection {
        // No ASCII character is right-to-left.
        if isPlainASCII(text) { return .ltr }
        let direction = ICUCall.withUTF16(text) { units, length in cicu_base_direction(units, length) }
        return direction == CICU_DIRECTION_RTL ? .rtl : .ltr
    }

    /// Printable ASCII, tab, line feed and carriage return only: no control character to
    /// drop, no bidi control, no strong right-to-left character, and already in NFC (every
    /// ASCII text is). Scanned as one buffer.
    static func isPlainASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.allSatisfy { byte in (0x20..<0x7F).contains(byte) || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        }
    }

    /// `text` in Normalization Form C; unchanged when ICU finds it normalised already.
    static func normalizedNFC(_ text: String) -> String {
        do {
            return try ICUCall.withUTF16(text) { units, length throws(ICUError) in
                var status = CICU_ZERO_ERROR
                let normalized = cicu_nfc_is_normalized(units, length, &status)
                try ICUError.check(status)
                if normalized != 0 { return text }
                return try ICUCall.string(hint: Int(length) + 16) { dest, capacity, status in
                    cicu_nfc_normalize(units, length, dest, capacity, &status)
                }
            }
        } catch {
            // ICU fails here only without memory or data; storing the text as sent is better
            // than refusing a message for a server-side problem.
            return text
        }
    }

    /// `text` without C0/C1 control characters other than tab, line feed and carriage
    /// return: NUL would cut a stored string short, and the rest only hide or garble text.
    static func removingControlCharacters(_ text: String) -> String {
        let kept: (Unicode.Scalar) -> Bool = { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: true
            case 0x00...0x1F, 0x7F...0x9F: false
            default: true
            }
        }
        guard !text.unicodeScalars.allSatisfy(kept) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter(kept))
        return String(scalars)
    }

    /// `text` without leading and trailing White_Space characters (Unicode property, so
    /// NBSP and ideographic space go too).
    static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        // Nothing to trim (the usual case): the text itself, not a copy.
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }
}
