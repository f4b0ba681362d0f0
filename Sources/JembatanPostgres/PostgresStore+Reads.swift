import Foundation
import JembatanCore
import JembatanStore
import PostgresNIO

/// Queries shared by the commands and ``PostgresStore/recover()``.
extension PostgresStore {
    static let messageSelect = """
        SELECT m.*, p.name AS sender_name FROM messages m
        LEFT JOIN participants p ON p.id = m.sender_id
        """

    func history(_ id: SessionID, afterSeq: Int, limit: Int) throws -> (messages: [StoredMessage], more: Bool) {
        guard try sessionExists(id) else { throw StoreFailure(.notFound, "session \(id) not found") }
        // One row past the page tells whether there is more without a second query.
        let page = min(max(limit, 0), Int(Int32.max))
        let rows = try storedMessages(id, afterSeq: afterSeq, limit: page + 1)
        return (Array(rows.prefix(page)), rows.count > page)
    }

    func transcript(_ id: SessionID) throws -> Transcript? {
        guard let row = try link.query("SELECT * FROM sessions WHERE id = $1", [.text(id.rawValue)]).first else { return nil }
        let record = try Rows.session(row)
        let messages = try storedMessages(id, afterSeq: 0, limit: nil)
        return Transcript(session: record, members: try members(of: id), messages: messages)
    }

    /// Members in the order they joined, with the name and languages of their latest token.
    func members(of id: SessionID) throws -> [SessionMember] {
        try link.query(
            """
            SELECT sp.participant_id, sp.role, sp.joined_at, sp.left_at, sp.visible_from_seq, sp.last_read_seq, p.name, p.langs
            FROM session_participants sp LEFT JOIN participants p ON p.id = sp.participant_id
            WHERE sp.session_id = $1 ORDER BY sp.joined_at, sp.row_order
            """, [.text(id.rawValue)]
        ).map(Rows.member)
    }

    func sessionExists(_ id: SessionID) throws -> Bool {
        try !link.query("SELECT 1 FROM sessions WHERE id = $1", [.text(id.rawValue)]).isEmpty
    }

    /// The session's state and last seq, its row locked until the batch ends (another node's
    /// append waits), or nil if it does not exist.
    func lockedSession(_ id: SessionID) throws -> (SessionState, Int)? {
        guard let row = try link.query("SELECT state, last_seq FROM sessions WHERE id = $1 FOR UPDATE", [.text(id.rawValue)]).first
        else { return nil }
        return (try Rows.value(SessionState.self, row, "state"), try row.requiredInt("last_seq"))
    }

    /// Messages after `afterSeq`, oldest first; all of them when `limit` is nil.
    func storedMessages(_ id: SessionID, afterSeq: Int, limit: Int?) throws -> [StoredMessage] {
        try link.query(
            Self.messageSelect + " WHERE m.session_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3",
            [.text(id.rawValue), .int(afterSeq), .int(limit)]
        ).map(Rows.message)
    }

    func storedMessage(_ id: SessionID, seq: Int) throws -> StoredMessage {
        guard
            let row = try link.query(Self.messageSelect + " WHERE m.session_id = $1 AND m.seq = $2", [.text(id.rawValue), .int(seq)])
                .first
        else { throw StoreFailure(.unavailable, "message \(seq) of session \(id) vanished") }
        return try Rows.message(row)
    }

    func bookedInterviews() throws -> [InterviewRecord] {
        try link.query("SELECT * FROM interviews WHERE state = 'booked' ORDER BY starts_at, id").map(Rows.interview)
    }

    /// Interpreters (the pool to book from) and the people of booked interviews.
    func recoveredPeople(_ interviews: [InterviewRecord]) throws -> [Identity] {
        Rows.bookingPool(try link.query("SELECT id, role, name, langs FROM participants").compactMap(Rows.identity), interviews)
    }

    func unseenNotifications() throws -> [NotificationRecord] {
        try link.query("SELECT * FROM notifications WHERE seen_at IS NULL ORDER BY created_at, id").map(Rows.notification)
    }
}
