import Foundation
import JembatanCore
import JembatanStore

/// Complaint cases with their audit trail, and ratings after sessions (as
/// `SQLiteStore+Complaints.swift`).
extension PostgresStore {
    func openComplaint(_ ticket: TicketRecord, answerBy: String, continuing: String?) throws -> ComplaintCase {
        var ticket = ticket
        let complaint: ComplaintCase
        if let continuing {
            guard let row = try link.query("SELECT * FROM complaints WHERE number = $1", [.text(continuing)]).first,
                try row.requiredText("applicant_id") == ticket.applicant.rawValue
            else { throw StoreFailure(.notFound, "no such complaint case of this applicant") }
            complaint = try Rows.complaint(row)
            guard complaint.status != .resolved else { throw StoreFailure(.conflict, "complaint case \(continuing) is resolved") }
        } else {
            let year = Int(Timestamp.format(ticket.createdAt).prefix(4)) ?? 0
            let last = try link.query("SELECT MAX(seq) AS seq FROM complaints WHERE year = $1", [.int(year)]).first?.optionalInt("seq")
            let next = (last ?? 0) + 1
            complaint = ComplaintCase(
                number: String(format: "ADU-%04d-%06d", year, next), applicant: ticket.applicant, about: ticket.excludedStaff,
                status: .open, answerBy: answerBy, openedAt: ticket.createdAt)
            try link.execute(
                """
                INSERT INTO complaints (number, year, seq, applicant_id, about_id, status, answer_by, opened_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
                """,
                [
                    .text(complaint.number), .int(year), .int(next), .text(ticket.applicant.rawValue), .text(complaint.about?.rawValue),
                    .text(complaint.status.rawValue), .text(answerBy), .int(Columns.millis(ticket.createdAt)),
                ])
            try complaintEvent(complaint.number, status: .open, actor: ticket.applicant, at: ticket.createdAt)
        }
        ticket.complaintCase = complaint.number
        ticket.excludedStaff = ticket.excludedStaff ?? complaint.about
        try openTicket(ticket)
        return complaint
    }

    func updateComplaint(_ number: String, _ status: ComplaintStatus, by actor: ParticipantID, at: Date) throws -> ComplaintCase {
        guard
            let row = try link.query(
                "UPDATE complaints SET status = $1, updated_at = $2 WHERE number = $3 RETURNING *",
                [.text(status.rawValue), .int(Columns.millis(at)), .text(number)]
            ).first
        else { throw StoreFailure(.notFound, "no complaint case \(number)") }
        try complaintEvent(number, status: status, actor: actor, at: at)
        return try Rows.complaint(row)
    }

    private func complaintEvent(_ number: String, status: ComplaintStatus, actor: ParticipantID, at: Date) throws {
        try link.execute(
            "INSERT INTO complaint_events (number, at, actor_id, status) VALUES ($1, $2, $3, $4)",
            [.text(number), .int(Columns.millis(at)), .text(actor.rawValue), .text(status.rawValue)])
    }

    func submitFeedback(
        _ session: SessionID, applicant: ParticipantID, rating: Int, comment: String?, at: Date, window: TimeInterval
    ) throws {
        guard
            let row = try link.query(
                """
                SELECT s.state, s.closed_at FROM sessions s JOIN session_participants sp ON sp.session_id = s.id
                WHERE s.id = $1 AND sp.participant_id = $2 AND sp.role = 'applicant'
                """,
                [.text(session.rawValue), .text(applicant.rawValue)]
            ).first
        else { throw StoreFailure(.notFound, "no session \(session) of this applicant") }
        guard try row.requiredText("state") == SessionState.closed.rawValue, let closed = try Rows.optionalDate(row, "closed_at") else {
            throw StoreFailure(.conflict, "session \(session) is not closed yet")
        }
        guard at.timeIntervalSince(closed) <= window else {
            throw StoreFailure(.conflict, "the time to rate session \(session) has passed")
        }
        guard try link.query("SELECT 1 FROM feedback WHERE session_id = $1", [.text(session.rawValue)]).isEmpty else {
            throw StoreFailure(.conflict, "session \(session) is already rated")
        }
        try link.execute(
            "INSERT INTO feedback (session_id, rating, comment, created_at) VALUES ($1, $2, $3, $4)",
            [.text(session.rawValue), .int(rating), .text(comment), .int(Columns.millis(at))])
    }
}
