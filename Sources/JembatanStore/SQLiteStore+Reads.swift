import GRDB
import JembatanCore

/// Queries shared by the commands and ``SQLiteStore/recover()``.
extension SQLiteStore {
    /// Messages with the sender's current display name (nil for system messages).
    private static let messageSelect = """
        SELECT m.*, p.name AS sender_name FROM messages m
        LEFT JOIN participants p ON p.id = m.sender_id
        """

    static func history(
        _ id: SessionID, afterSeq: Int, limit: Int, _ db: Database
    ) throws -> (messages: [StoredMessage], more: Bool) {
        guard try sessionState(id, db) != nil else { throw StoreFailure(.notFound, "session \(id) not found") }
        // One row past the page tells whether there is more without a second query.
        let page = min(max(limit, 0), Int(Int32.max))
        let rows = try storedMessages(id, afterSeq: afterSeq, limit: page + 1, db)
        return (Array(rows.prefix(page)), rows.count > page)
    }

    static func transcript(_ id: SessionID, _ db: Database) throws -> Transcript? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(sessionColumns) FROM sessions WHERE id = ?", arguments: [id.rawValue])
        else { return nil }
        let record = try Rows.session(row)
        let messages = try storedMessages(id, afterSeq: 0, limit: -1, db)  // -1: no limit in SQLite
        return Transcript(session: record, members: try members(of: id, db), messages: messages)
    }

    /// Members in the order they joined (insertion order among equal times), with the name and
    /// languages of their latest token.
    static func members(of id: SessionID, _ db: Database) throws -> [SessionMember] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT sp.participant_id, sp.role, sp.joined_at, sp.left_at, sp.visible_from_seq, sp.last_read_seq, p.name, p.langs
                FROM session_participants sp LEFT JOIN participants p ON p.id = sp.participant_id
                WHERE sp.session_id = ? ORDER BY sp.joined_at, sp.rowid
                """,
            arguments: [id.rawValue]
        ).map(Rows.member)
    }

    /// The session's state and last seq, or nil if it does not exist.
    static func sessionState(_ id: SessionID, _ db: Database) throws -> (SessionState, Int)? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT state, \(lastSeqSQL) AS last_seq FROM sessions WHERE id = ?"),
                arguments: [id.rawValue])
        else { return nil }
        return (try Rows.value(SessionState.self, row, "state"), row["last_seq"])
    }

    /// A session's last seq: the highest of its messages (0 before the first), found at the
    /// end of the primary key's index. Derived, never stored, so it cannot disagree with them.
    static let lastSeqSQL = "(SELECT COALESCE(MAX(seq), 0) FROM messages WHERE session_id = sessions.id)"

    /// `sessions.*` and `last_seq`, the columns ``Rows/session(_:)`` reads.
    static let sessionColumns = "*, \(lastSeqSQL) AS last_seq"

    static func storedMessages(_ id: SessionID, afterSeq: Int, limit: Int, _ db: Database) throws -> [StoredMessage] {
        try Row.fetchAll(
            db.cachedStatement(sql: messageSelect + " WHERE m.session_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?"),
            arguments: [id.rawValue, afterSeq, limit]
        ).map(Rows.message)
    }

    static func storedMessage(_ id: SessionID, seq: Int, _ db: Database) throws -> StoredMessage {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: messageSelect + " WHERE m.session_id = ? AND m.seq = ?"), arguments: [id.rawValue, seq])
        else { throw StoreFailure(.unavailable, "message \(seq) of session \(id) vanished") }
        return try Rows.message(row)
    }

    static func storedMessage(
        _ id: SessionID, clientMessageID: ClientMessageID, _ db: Database
    ) throws -> StoredMessage? {
        try Row.fetchOne(
            db.cachedStatement(sql: messageSelect + " WHERE m.session_id = ? AND m.client_msg_id = ?"),
            arguments: [id.rawValue, clientMessageID.rawValue]
        ).map(Rows.message)
    }
}
