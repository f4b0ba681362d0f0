import JembatanCore
import JembatanStore

/// The people a member of staff may look up: those they have shared a session with.
extension PostgresStore {
    func people(reader: ParticipantID?) throws -> [Identity] {
        guard let reader else {
            return try link.query("SELECT id, role, name, langs FROM participants LIMIT 10000").compactMap(Rows.identity)
        }
        return try link.query(
            """
            SELECT id, role, name, langs FROM participants
            WHERE id IN (SELECT participant_id FROM session_participants WHERE session_id IN
                (SELECT session_id FROM session_participants WHERE participant_id = $1))
            LIMIT 10000
            """, [.text(reader.rawValue)]
        ).compactMap(Rows.identity)
    }
}
