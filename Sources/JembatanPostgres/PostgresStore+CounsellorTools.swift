import Foundation
import JembatanCore
import JembatanStore

/// Outcomes and follow-ups (as `SQLiteStore+CounsellorTools.swift`).
extension PostgresStore {
    /// Only an officer or counsellor who was in the session records its outcome (open or closed).
    func setOutcome(_ id: SessionID, by staff: ParticipantID, code: String, followUp: String?, at: Date) throws {
        guard try sessionExists(id) else { throw StoreFailure(.notFound, "session \(id) not found") }
        let handled = try link.query(
            """
            SELECT 1 FROM session_participants WHERE session_id = $1 AND participant_id = $2
            AND role IN ('officer', 'counsellor')
            """,
            [.text(id.rawValue), .text(staff.rawValue)])
        guard !handled.isEmpty else { throw StoreFailure(.conflict, "only staff who handled session \(id) record its outcome") }
        try link.execute(
            "UPDATE sessions SET outcome = $1, follow_up = $2, outcome_by = $3, outcome_at = $4 WHERE id = $5",
            [.text(code), .text(followUp), .text(staff.rawValue), .int(Columns.millis(at)), .text(id.rawValue)])
    }

    func followUps(staff: ParticipantID, dueBy: String) throws -> [FollowUp] {
        try link.query(
            """
            SELECT s.id, s.follow_up, s.outcome, s.service, s.language, a.participant_id AS applicant_id, p.name AS applicant_name
            FROM sessions s
            JOIN session_participants me ON me.session_id = s.id AND me.participant_id = $1
            LEFT JOIN session_participants a ON a.session_id = s.id AND a.role = 'applicant'
            LEFT JOIN participants p ON p.id = a.participant_id
            WHERE s.follow_up IS NOT NULL AND s.follow_up <= $2
            ORDER BY s.follow_up, s.id LIMIT 200
            """,
            [.text(staff.rawValue), .text(dueBy)]
        ).map(Rows.followUp)
    }
}
