import JembatanCore
import JembatanStore
import JembatanText

/// Search: each typed message's ICU words in `message_words` (the SQLite store keeps the
/// same words in FTS5). Indexed once per batch, in one statement.
struct SearchEntry {
    let session: SessionID
    let seq: Int
    let words: [String]

    /// The distinct lower-cased words of a typed message; nil for templates and system messages.
    static func words(of message: NewMessage) -> [String]? {
        guard message.kind == .text, let text = message.text else { return nil }
        return normalised(WordSegmenter.words(in: text))
    }

    static func normalised(_ words: [String]) -> [String] {
        Array(Set(words.map { $0.lowercased() }))
    }
}

extension PostgresStore {
    func index(_ entries: [SearchEntry]) throws {
        guard !entries.isEmpty else { return }
        var sessions: [String] = []
        var seqs: [String] = []
        var words: [String] = []
        for entry in entries {
            for word in entry.words {
                sessions.append(entry.session.rawValue)
                seqs.append(String(entry.seq))
                words.append(word)
            }
        }
        guard !words.isEmpty else { return }
        // Unit separator: never in an id, and the sanitiser keeps control characters out of words.
        let separator = "\u{1F}"
        try link.execute(
            """
            INSERT INTO message_words (session_id, seq, word)
            SELECT s, q::BIGINT, w FROM unnest(string_to_array($1, chr(31)), string_to_array($2, chr(31)),
                string_to_array($3, chr(31))) AS t(s, q, w)
            ON CONFLICT DO NOTHING
            """,
            [
                .text(sessions.joined(separator: separator)), .text(seqs.joined(separator: separator)),
                .text(words.joined(separator: separator)),
            ])
    }
}
