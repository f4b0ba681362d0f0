import Foundation
import JembatanCore
import JembatanStore

/// Booked interviews (as `SQLiteStore+Interviews.swift`): overlaps for the same person are
/// refused here too, so two requests in one batch cannot double-book.
extension PostgresStore {
    func bookInterview(_ interview: InterviewRecord) throws {
        let clash = try link.query(
            """
            SELECT 1 FROM interviews WHERE state = 'booked' AND starts_at < $1 AND ends_at > $2
            AND (applicant_id IN ($3, $4, $5) OR staff_id IN ($3, $4, $5) OR interpreter_id IN ($3, $4, $5))
            LIMIT 1
            """,
            [
                .int(Columns.millis(interview.endsAt)), .int(Columns.millis(interview.startsAt)), .text(interview.applicant.rawValue),
                .text(interview.staff.rawValue), .text(interview.interpreter.rawValue),
            ])
        guard clash.isEmpty else {
            throw StoreFailure(.conflict, "interview \(interview.id) overlaps another booking of one of its people")
        }
        try link.execute(
            """
            INSERT INTO interviews (id, service, applicant_id, staff_id, interpreter_id, language_a, language_b,
                starts_at, ends_at, state, session_id, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """,
            [
                .text(interview.id.rawValue), .text(interview.service.rawValue), .text(interview.applicant.rawValue),
                .text(interview.staff.rawValue), .text(interview.interpreter.rawValue), .text(interview.languages.first),
                .text(interview.languages.last), .int(Columns.millis(interview.startsAt)), .int(Columns.millis(interview.endsAt)),
                .text(interview.state.rawValue), .text(interview.session?.rawValue), .int(Columns.millis(interview.createdAt)),
            ])
    }

    func setInterview(_ id: InterviewID, _ state: InterviewState, session: SessionID?) throws {
        let changed = try link.execute(
            "UPDATE interviews SET state = $1, session_id = COALESCE($2, session_id) WHERE id = $3 AND state = 'booked'",
            [.text(state.rawValue), .text(session?.rawValue), .text(id.rawValue)])
        guard changed > 0 else { throw StoreFailure(.notFound, "no booked interview \(id)") }
    }

    /// The session first (the interview points at it); a refusal rolls both back.
    func openInterview(_ id: InterviewID, _ record: SessionRecord, members: [SessionMember], messages: [NewMessage]) throws
        -> [StoredMessage]
    {
        let opened = try openSession(record, members: members, messages: messages)
        try setInterview(id, .opened, session: record.id)
        return opened
    }
}
