import Foundation
import GRDB
import JembatanCore

/// Booked interviews: stored in UTC milliseconds; overlaps for the same person are refused
/// here too, so two brokers (or two requests in one batch) cannot double-book.
extension SQLiteStore {
    static func bookInterview(_ interview: InterviewRecord, _ db: Database) throws {
        let clash = try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM interviews WHERE state = 'booked' AND starts_at < ? AND ends_at > ?
                AND (applicant_id IN (?, ?, ?) OR staff_id IN (?, ?, ?) OR interpreter_id IN (?, ?, ?))
                """,
            arguments: [
                Columns.millis(interview.endsAt), Columns.millis(interview.startsAt),
            ]
                + StatementArguments(
                    Array(repeating: [interview.applicant, interview.staff, interview.interpreter].map(\.rawValue), count: 3).flatMap { $0 }
                ))
        guard clash == 0 else { throw StoreFailure(.conflict, "interview \(interview.id) overlaps another booking of one of its people") }
        try db.execute(
            sql: """
                INSERT INTO interviews (id, service, applicant_id, staff_id, interpreter_id, language_a, language_b,
                    starts_at, ends_at, state, session_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                interview.id.rawValue, interview.service.rawValue, interview.applicant.rawValue, interview.staff.rawValue,
                interview.interpreter.rawValue, interview.languages.first, interview.languages.last, Columns.millis(interview.startsAt),
                Columns.millis(interview.endsAt), interview.state.rawValue, interview.session?.rawValue,
                Columns.millis(interview.createdAt),
            ])
    }

    static func setInterview(_ id: InterviewID, _ state: InterviewState, session: SessionID?, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE interviews SET state = ?, session_id = COALESCE(?, session_id) WHERE id = ? AND state = 'booked'",
            arguments: [state.rawValue, session?.rawValue, id.rawValue])
        guard db.changesCount > 0 else { throw StoreFailure(.notFound, "no booked interview \(id)") }
    }

    static func bookedInterviews(_ db: Database) throws -> [InterviewRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM interviews WHERE state = 'booked' ORDER BY starts_at, id").map { row in
            let starts = try Rows.date(row, "starts_at")
            return InterviewRecord(
                id: InterviewID(row["id"] as String), service: try Rows.value(Service.self, row, "service"),
                applicant: ParticipantID(row["applicant_id"] as String), staff: ParticipantID(row["staff_id"] as String),
                interpreter: ParticipantID(row["interpreter_id"] as String), languages: [row["language_a"], row["language_b"]],
                startsAt: starts, durationSeconds: Int(try Rows.date(row, "ends_at").timeIntervalSince(starts).rounded()),
                createdAt: try Rows.date(row, "created_at"))
        }
    }

    /// Interpreters (the pool to book from) and the people of booked interviews.
    static func recoveredPeople(_ interviews: [InterviewRecord], _ db: Database) throws -> [Identity] {
        let ids = Set(interviews.flatMap { [$0.applicant, $0.staff, $0.interpreter] }.map(\.rawValue))
        return try Row.fetchAll(db, sql: "SELECT id, role, name, langs FROM participants").compactMap { row in
            guard let role = Role(rawValue: row["role"]) else { return nil }
            let id = row["id"] as String
            guard role == .interpreter || ids.contains(id) else { return nil }
            return Identity(id: ParticipantID(id), role: role, name: row["name"], langs: try Rows.langs(row, "langs"))
        }
    }
}
