internal import CICU

/// Words for the search index and for search queries, by ICU's word break rules: Mandarin
/// has no spaces between words and Arabic attaches particles, so splitting on spaces finds
/// neither. Both the stored text and the query go through the same segmentation.
public enum WordSegmenter {
    /// The words of `text`, lower-cased, in order (punctuation and spaces dropped).
    public static func words(in text: String, locale: String = "") -> [String] {
        spans(of: text, locale: locale).map { text[$0].lowercased() }
    }

    /// `words(in:)` joined by spaces, as the search index holds them: built and lower-cased
    /// as one string rather than word by word.
    public static func joinedWords(in text: String, locale: String = "") -> String {
        var joined = ""
        joined.reserveCapacity(text.utf8.count)
        for span in spans(of: text, locale: locale) {
            if !joined.isEmpty { joined.append(" ") }
            joined.append(contentsOf: text[span])
        }
        return joined.lowercased()
    }

    /// Where `text`'s words are; none when ICU fails or the text is empty. ICU counts in
    /// UTF-16; its offsets are turned back into indices of `text` rather than decoding the
    /// UTF-16 again, which Swift does a code unit at a time.
    private static func spans(of text: String, locale: String) -> [Range<String.Index>] {
        ICUCall.withUTF16(text) { units, length in
            guard length > 0 else { return [] }
            let count = Int(length)
            // At most one word per code unit; on the stack, as the text is a message's.
            return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * count) { bounds in
                let starts = bounds.baseAddress!
                let ends = starts + count
                var status = CICU_ZERO_ERROR
                let found = locale.withCString { cicu_word_boundaries(units, length, $0, starts, ends, length, &status) }
                guard status <= CICU_ZERO_ERROR else { return [] }
                // Boundaries come in order: walk forward from the last one instead of from the start.
                let utf16 = text.utf16
                var index = utf16.startIndex
                var offset = 0
                func position(_ target: Int32) -> String.Index {
                    index = utf16.index(index, offsetBy: Int(target) - offset)
                    offset = Int(target)
                    return index
                }
                return (0..<Int(found)).map { position(starts[$0])..<position(ends[$0]) }
            }
        }
    }
}
