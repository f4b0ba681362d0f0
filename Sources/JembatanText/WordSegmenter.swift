internal import CICU

/// Words for the search index and for search queries, by ICU's word break rules: Mandarin
/// has no spaces between words and Arabic attaches particles, so splitting on spaces finds
/// neither. Both the stored text and the query go through the same segmentation.
public enum WordSegmenter {
    /// The words of `text`, lower-cased, in order (punctuation and spaces dropped).
    public static func words(in text: String, locale: String = "") -> [String] {
        let units = Array(text.utf16)
        guard !units.isEmpty else { return [] }
        var starts = [Int32](repeating: 0, count: units.count)
        var ends = [Int32](repeating: 0, count: units.count)
        var status = CICU_ZERO_ERROR
        let count = units.withUnsafeBufferPointer { buffer in
            locale.withCString {
                cicu_word_boundaries(buffer.baseAddress, Int32(units.count), $0, &starts, &ends, Int32(units.count), &status)
            }
        }
        guard status <= CICU_ZERO_ERROR else { return [] }
        // Decoded from a contiguous buffer: a generic slice decode cost ~6,000 instructions a word.
        return units.withUnsafeBufferPointer { buffer in
            (0..<Int(count)).map { index in
                String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(starts[index])..<Int(ends[index])]), as: UTF16.self)
                    .lowercased()
            }
        }
    }
}
