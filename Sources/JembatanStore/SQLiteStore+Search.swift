import Foundation
import GRDB
import JembatanCore
import JembatanText

/// Full-text search over what people typed. SQLite's FTS5 splits on spaces, which finds no
/// word in Mandarin and few in Arabic; so text is segmented with ICU's word rules first and
/// the index holds the words joined by spaces. Queries are segmented the same way.
extension SQLiteStore {
    static func createSearchIndex(_ db: Database) throws {
        try db.execute(sql: "CREATE VIRTUAL TABLE message_search USING fts5(words, tokenize = 'unicode61 remove_diacritics 2')")
        // Index what v1 databases already hold.
        let rows = try Row.fetchAll(db, sql: "SELECT rowid, text FROM messages WHERE kind = 'text' AND text IS NOT NULL")
        for row in rows {
            try db.execute(
                sql: "INSERT INTO message_search (rowid, words) VALUES (?, ?)",
                arguments: [row[0] as Int64, indexedWords(row[1] as String)])
        }
    }

    static func indexedWords(_ text: String) -> String {
        WordSegmenter.words(in: text).joined(separator: " ")
    }

    static func index(_ message: NewMessage, rowID: Int64, _ db: Database) throws {
        guard message.kind == .text, let text = message.text else { return }
        try db.cachedStatement(sql: "INSERT INTO message_search (rowid, words) VALUES (?, ?)").execute(
            arguments: [rowID, indexedWords(text)])
    }

    static func search(_ query: String, reader: ParticipantID?, limit: Int, _ db: Database) throws -> [StoredMessage] {
        let words = WordSegmenter.words(in: query)
        guard !words.isEmpty else { return [] }
        // Every word as a quoted phrase: user input never becomes FTS5 syntax.
        let match = words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " ")
        var sql = """
            SELECT m.session_id, m.seq FROM message_search s JOIN messages m ON m.rowid = s.rowid
            WHERE message_search MATCH ?
            """
        var arguments: [any DatabaseValueConvertible] = [match]
        if let reader {
            // Only what the reader may read: an interpreter without the earlier history sees from their join on.
            sql += """
                 AND EXISTS (SELECT 1 FROM session_participants sp WHERE sp.session_id = m.session_id
                     AND sp.participant_id = ? AND m.seq >= COALESCE(sp.visible_from_seq, 1)
                     AND (m.visibility IS NULL OR sp.role IN ('officer', 'counsellor')))
                """
            arguments.append(reader.rawValue)
        }
        sql += " ORDER BY m.created_at DESC, m.seq DESC LIMIT ?"
        arguments.append(max(1, min(limit, 200)))
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
            try storedMessage(SessionID(row[0] as String), seq: row[1] as Int, db)
        }
    }
}
