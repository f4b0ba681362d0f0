import Foundation
import GRDB
import JembatanCore
import JembatanText

/// Full-text search over what people typed. SQLite's FTS5 splits on spaces, which finds no
/// word in Mandarin and few in Arabic; so text is segmented with ICU's word rules first and
/// the index holds the words joined by spaces (ASCII text as it is: see ``indexedWords(_:)``).
/// Queries are segmented the same way.
extension SQLiteStore {
    /// The index as migration v2 made it, holding what v1 databases held.
    static func createSearchIndex(_ db: Database) throws {
        try db.execute(sql: "CREATE VIRTUAL TABLE message_search USING fts5(words, tokenize = '\(searchTokenizer)')")
        // Index what v1 databases already hold: with the index empty, every text message.
        try indexMissed(db)
    }

    /// The index again, without the words-per-message table FTS5 keeps for ranking: results
    /// come newest first, never by rank, and that table cost a row write per message (~0.5 µs).
    /// Everything is indexed anew, once, when a database takes this migration.
    static func recreateSearchIndexWithoutSizes(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE message_search")
        try db.execute(
            sql: "CREATE VIRTUAL TABLE message_search USING fts5(words, tokenize = '\(searchTokenizer)', columnsize = 0)")
        try indexMissed(db)
    }

    /// What the index holds for `text`. ASCII goes in as typed: FTS5's tokenizer splits it
    /// into the very terms ICU's words would give (ICU never breaks between two ASCII letters
    /// or digits, and what it leaves out holds neither) and folds its case, so segmenting it
    /// first cost ~11,000 instructions a message for the same index. ICU is for the rest.
    static func indexedWords(_ text: String) -> String {
        isASCII(text) ? text : WordSegmenter.joinedWords(in: text)
    }

    static func isASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
    }

    /// How the index splits what it is given: ``indexedWords(_:)`` relies on it.
    static let searchTokenizer = "unicode61 remove_diacritics 2"

    /// The words to index for a stored message, or nil when it has none (templates, system).
    static func searchWords(_ message: NewMessage) -> String? {
        guard message.kind == .text, let text = message.text else { return nil }
        return indexedWords(text)
    }

    /// Indexes messages, one INSERT each, in the batch's transaction and outside any savepoint:
    /// FTS5 flushes its pending terms whenever a savepoint around it ends, and one per
    /// command's savepoint paid a flush each (12% of the broker's instructions per message).
    /// One statement over `json_each` cost more than the inserts: the rows written as JSON,
    /// then parsed back by SQLite twice a row.
    static func index(_ entries: [SearchEntry], _ db: Database, _ memo: inout WriterMemo) throws {
        for entry in entries {
            var insert = BoundStatement(try memo.statement(.indexMessage, db), db)
            insert.bind(entry.rowid)
            insert.bind(entry.words)
            try insert.run()
        }
    }

    /// Indexes text messages stored after the newest indexed one: what a backlog held when
    /// the process ended. Messages are only ever appended, so their rowids only grow.
    static func indexMissed(_ db: Database) throws {
        let newest = try Int64.fetchOne(db, sql: "SELECT rowid FROM message_search ORDER BY rowid DESC LIMIT 1") ?? 0
        let rows = try Row.fetchAll(
            db, sql: "SELECT rowid, text FROM messages WHERE rowid > ? AND kind = 'text' AND text IS NOT NULL ORDER BY rowid",
            arguments: [newest])
        let insert = try db.cachedStatement(sql: "INSERT INTO message_search (rowid, words) VALUES (?, ?)")
        for row in rows {
            try insert.execute(arguments: [row[0] as Int64, indexedWords(row[1] as String)])
        }
    }

    /// A message's row (its rowid is its index entry's) and its words. The rowid is taken
    /// at the insert: finding it again by session and seq cost a look-up a message.
    struct SearchEntry {
        let rowid: Int64
        let words: String
    }

    /// Committed messages not yet in the search index. Each FTS5 insert writes a new segment
    /// (several pages) in its transaction, so indexing at every commit doubled the pages each
    /// commit wrote; the backlog is indexed once it is 100 ms old or 500 long, and always
    /// before a search or a purge reads or erases the index, so searches still see every
    /// acknowledged message. A backlog lost with the process is indexed at the next start
    /// (``indexMissed(_:)``), as is one a failed batch took with it.
    struct SearchBacklog {
        var entries: [SearchEntry] = []
        var since: ContinuousClock.Instant?
        /// A batch failed: index what is missing from the messages table instead.
        var lost = false

        static let maxAge: Duration = .milliseconds(100)
        static let maxEntries = 500

        func isDue(now: ContinuousClock.Instant) -> Bool {
            guard let since else { return false }
            return entries.count >= Self.maxEntries || now - since >= Self.maxAge
        }

        /// What is left unindexed after a batch; `restarted` when the batch indexed the
        /// earlier backlog, so the oldest entry left is from this batch.
        func leaving(_ entries: [SearchEntry], restarted: Bool, now: ContinuousClock.Instant) -> SearchBacklog {
            guard !entries.isEmpty else { return SearchBacklog() }
            return SearchBacklog(entries: entries, since: restarted ? now : since ?? now)
        }
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
