import Foundation
import GRDB
import JembatanCore

/// Outcomes and follow-ups, and notifications from the application system.
extension SQLiteStore {
    /// Only an officer or counsellor who was in the session records its outcome (open or closed).
    static func setOutcome(_ id: SessionID, by staff: ParticipantID, code: String, followUp: String?, at: Date, _ db: Database) throws {
        guard try sessionState(id, db) != nil else { throw StoreFailure(.notFound, "session \(id) not found") }
        let handled = try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM session_participants WHERE session_id = ? AND participant_id = ?
                AND role IN ('officer', 'counsellor')
                """,
            arguments: [id.rawValue, staff.rawValue])
        guard handled ?? 0 > 0 else { throw StoreFailure(.conflict, "only staff who handled session \(id) record its outcome") }
        try db.executeCached(
            sql: "UPDATE sessions SET outcome = ?, follow_up = ?, outcome_by = ?, outcome_at = ? WHERE id = ?",
            arguments: [code, followUp, staff.rawValue, Columns.millis(at), id.rawValue])
    }

    static func followUps(staff: ParticipantID, dueBy: String, _ db: Database) throws -> [FollowUp] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT s.id, s.follow_up, s.outcome, s.service, s.language, a.participant_id AS applicant_id, p.name AS applicant_name
                FROM sessions s
                JOIN session_participants me ON me.session_id = s.id AND me.participant_id = ?
                LEFT JOIN session_participants a ON a.session_id = s.id AND a.role = 'applicant'
                LEFT JOIN participants p ON p.id = a.participant_id
                WHERE s.follow_up IS NOT NULL AND s.follow_up <= ?
                ORDER BY s.follow_up, s.id LIMIT 200
                """,
            arguments: [staff.rawValue, dueBy]
        ).map(Rows.followUp)
    }

    /// Idempotent by the caller's id: the same id again answers with the stored notification;
    /// the same id for something else is a conflict.
    static func notify(_ record: NotificationRecord, _ db: Database) throws -> StoreResult {
        if let row = try Row.fetchOne(db, sql: "SELECT * FROM notifications WHERE id = ?", arguments: [record.id]) {
            let original = try Rows.notification(row)
            guard original.applicant == record.applicant, original.key == record.key else {
                throw StoreFailure(.conflict, "notification id \(record.id) was used for another notification")
            }
            return .notified(original, duplicate: true)
        }
        try db.executeCached(
            sql: "INSERT INTO notifications (id, applicant_id, template_key, template_args, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [
                record.id, record.applicant.rawValue, record.key, Columns.templateArgs(record.args), Columns.millis(record.createdAt),
            ])
        return .notified(record, duplicate: false)
    }

    static func unseenNotifications(_ db: Database) throws -> [NotificationRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM notifications WHERE seen_at IS NULL ORDER BY created_at, id").map(Rows.notification)
    }
}
