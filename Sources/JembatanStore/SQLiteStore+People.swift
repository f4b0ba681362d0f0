import Foundation
import GRDB
import JembatanCore

/// The people a member of staff may look up: those they have shared a session with.
extension SQLiteStore {
    static func people(reader: ParticipantID?, _ db: Database) throws -> [Identity] {
        var sql = "SELECT id, role, name, langs FROM participants"
        var arguments: StatementArguments = []
        if let reader {
            sql += """
                 WHERE id IN (SELECT participant_id FROM session_participants WHERE session_id IN
                    (SELECT session_id FROM session_participants WHERE participant_id = ?))
                """
            arguments = [reader.rawValue]
        }
        sql += " LIMIT 10000"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap(Rows.identity)
    }
}
