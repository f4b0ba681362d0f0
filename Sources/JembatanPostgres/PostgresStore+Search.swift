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

extension PostgresStore {
    /// Typed messages holding every word of `query` (segmented and normalised as they were
    /// indexed), newest first, that `reader` may read (everything when nil).
    func search(_ query: String, reader: ParticipantID?, limit: Int) throws -> [StoredMessage] {
        let words = SearchEntry.normalised(WordSegmenter.words(in: query))
        // A word holding the separator was never indexed (see ``index(_:)``).
        guard !words.isEmpty, !words.contains(where: { $0.contains("\u{1F}") }) else { return [] }
        var sql =
            Self.messageSelect + """
                 WHERE (m.session_id, m.seq) IN (SELECT session_id, seq FROM message_words
                    WHERE word = ANY(string_to_array($1, chr(31))) GROUP BY session_id, seq HAVING COUNT(*) = $2)
                """
        var arguments: [SQLArgument] = [.text(words.joined(separator: "\u{1F}")), .int(words.count)]
        if let reader {
            // Only what the reader may read: an interpreter without the earlier history sees from their join on.
            sql += """
                 AND EXISTS (SELECT 1 FROM session_participants sp WHERE sp.session_id = m.session_id
                     AND sp.participant_id = $3 AND m.seq >= COALESCE(sp.visible_from_seq, 1)
                     AND (m.visibility IS NULL OR sp.role IN ('officer', 'counsellor')))
                """
            arguments.append(.text(reader.rawValue))
        }
        sql += " ORDER BY m.created_at DESC, m.seq DESC LIMIT $\(arguments.count + 1)"
        arguments.append(.int(max(1, min(limit, 200))))
        return try link.query(sql, arguments).map(Rows.message)
    }
}
