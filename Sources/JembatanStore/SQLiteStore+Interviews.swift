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
        try db.executeCached(
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
        try db.executeCached(
            sql: "UPDATE interviews SET state = ?, session_id = COALESCE(?, session_id) WHERE id = ? AND state = 'booked'",
            arguments: [state.rawValue, session?.rawValue, id.rawValue])
        guard db.changesCount > 0 else { throw StoreFailure(.notFound, "no booked interview \(id)") }
    }

    static func bookedInterviews(_ db: Database) throws -> [InterviewRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM interviews WHERE state = 'booked' ORDER BY starts_at, id").map(Rows.interview)
    }

    /// Interpreters (the pool to book from) and the people of booked interviews.
    static func recoveredPeople(_ interviews: [InterviewRecord], _ db: Database) throws -> [Identity] {
        Rows.bookingPool(try Row.fetchAll(db, sql: "SELECT id, role, name, langs FROM participants").compactMap(Rows.identity), interviews)
    }
}
