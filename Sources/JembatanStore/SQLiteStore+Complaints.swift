import Foundation
import GRDB
import JembatanCore

/// Complaint cases with their audit trail, and ratings after sessions.
extension SQLiteStore {
    static func openComplaint(_ ticket: TicketRecord, answerBy: String, continuing: String?, _ db: Database) throws -> ComplaintCase {
        var ticket = ticket
        let complaint: ComplaintCase
        if let continuing {
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM complaints WHERE number = ?", arguments: [continuing]),
                (row["applicant_id"] as String) == ticket.applicant.rawValue
            else { throw StoreFailure(.notFound, "no such complaint case of this applicant") }
            complaint = try Rows.complaint(row)
            guard complaint.status != .resolved else { throw StoreFailure(.conflict, "complaint case \(continuing) is resolved") }
        } else {
            let year = Int(Timestamp.format(ticket.createdAt).prefix(4)) ?? 0
            let next = (try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM complaints WHERE year = ?", arguments: [year]) ?? 0) + 1
            complaint = ComplaintCase(
                number: String(format: "ADU-%04d-%06d", year, next), applicant: ticket.applicant, about: ticket.excludedStaff,
                status: .open, answerBy: answerBy, openedAt: ticket.createdAt)
            try db.executeCached(
                sql: """
                    INSERT INTO complaints (number, year, seq, applicant_id, about_id, status, answer_by, opened_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    complaint.number, year, next, ticket.applicant.rawValue, complaint.about?.rawValue, complaint.status.rawValue,
                    answerBy, Columns.millis(ticket.createdAt), Columns.millis(ticket.createdAt),
                ])
            try event(complaint.number, status: .open, actor: ticket.applicant, at: ticket.createdAt, db)
        }
        ticket.complaintCase = complaint.number
        ticket.excludedStaff = ticket.excludedStaff ?? complaint.about
        try openTicket(ticket, db)
        return complaint
    }

    static func updateComplaint(_ number: String, _ status: ComplaintStatus, by actor: ParticipantID, at: Date, _ db: Database) throws
        -> ComplaintCase
    {
        try db.executeCached(
            sql: "UPDATE complaints SET status = ?, updated_at = ? WHERE number = ?",
            arguments: [status.rawValue, Columns.millis(at), number])
        guard db.changesCount > 0, let row = try Row.fetchOne(db, sql: "SELECT * FROM complaints WHERE number = ?", arguments: [number])
        else { throw StoreFailure(.notFound, "no complaint case \(number)") }
        try event(number, status: status, actor: actor, at: at, db)
        return try Rows.complaint(row)
    }

    private static func event(_ number: String, status: ComplaintStatus, actor: ParticipantID, at: Date, _ db: Database) throws {
        try db.executeCached(
            sql: "INSERT INTO complaint_events (number, at, actor_id, status) VALUES (?, ?, ?, ?)",
            arguments: [number, Columns.millis(at), actor.rawValue, status.rawValue])
    }

    static func submitFeedback(
        _ session: SessionID, applicant: ParticipantID, rating: Int, comment: String?, at: Date, window: TimeInterval, _ db: Database
    ) throws {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT s.state, s.closed_at FROM sessions s JOIN session_participants sp ON sp.session_id = s.id
                    WHERE s.id = ? AND sp.participant_id = ? AND sp.role = 'applicant'
                    """,
                arguments: [session.rawValue, applicant.rawValue])
        else { throw StoreFailure(.notFound, "no session \(session) of this applicant") }
        guard (row["state"] as String) == SessionState.closed.rawValue, let closed = try Rows.optionalDate(row, "closed_at") else {
            throw StoreFailure(.conflict, "session \(session) is not closed yet")
        }
        guard at.timeIntervalSince(closed) <= window else {
            throw StoreFailure(.conflict, "the time to rate session \(session) has passed")
        }
        guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM feedback WHERE session_id = ?", arguments: [session.rawValue]) == 0 else {
            throw StoreFailure(.conflict, "session \(session) is already rated")
        }
        try db.executeCached(
            sql: "INSERT INTO feedback (session_id, rating, comment, created_at) VALUES (?, ?, ?, ?)",
            arguments: [session.rawValue, rating, comment, Columns.millis(at)])
    }
}
