import Foundation
import JembatanCore
import JembatanStore
import PostgresNIO

/// Queries shared by the commands and ``PostgresStore/recover()``.
extension PostgresStore {
    private static let messageSelect = """
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

    private func sessionExists(_ id: SessionID) throws -> Bool {
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
        try link.query("SELECT * FROM interviews WHERE state = 'booked' ORDER BY starts_at, id").map(Self.interview)
    }

    static func interview(_ row: PostgresRandomAccessRow) throws -> InterviewRecord {
        let starts = try Rows.date(row, "starts_at")
        return InterviewRecord(
            id: InterviewID(try row.requiredText("id")), service: try Rows.value(Service.self, row, "service"),
            applicant: ParticipantID(try row.requiredText("applicant_id")), staff: ParticipantID(try row.requiredText("staff_id")),
            interpreter: ParticipantID(try row.requiredText("interpreter_id")),
            languages: [try row.requiredText("language_a"), try row.requiredText("language_b")],
            startsAt: starts, durationSeconds: Int(try Rows.date(row, "ends_at").timeIntervalSince(starts).rounded()),
            createdAt: try Rows.date(row, "created_at"))
    }

    /// Interpreters (the pool to book from) and the people of booked interviews.
    func recoveredPeople(_ interviews: [InterviewRecord]) throws -> [Identity] {
        let ids = Set(interviews.flatMap { [$0.applicant, $0.staff, $0.interpreter] }.map(\.rawValue))
        return try link.query("SELECT id, role, name, langs FROM participants").compactMap { row in
            guard let role = Role(rawValue: try row.requiredText("role")) else { return nil }
            let id = try row.requiredText("id")
            guard role == .interpreter || ids.contains(id) else { return nil }
            return Identity(id: ParticipantID(id), role: role, name: try row.requiredText("name"), langs: try Rows.langs(row, "langs"))
        }
    }

    func unseenNotifications() throws -> [NotificationRecord] {
        try link.query("SELECT * FROM notifications WHERE seen_at IS NULL ORDER BY created_at, id").map(Self.notification)
    }

    static func notification(_ row: PostgresRandomAccessRow) throws -> NotificationRecord {
        NotificationRecord(
            id: try row.requiredText("id"), applicant: ParticipantID(try row.requiredText("applicant_id")),
            key: try row.requiredText("template_key"), args: try Rows.templateArgs(row, "template_args") ?? [:],
            createdAt: try Rows.date(row, "created_at"))
    }
}
