import Foundation
import GRDB
import JembatanCore

/// Retention: what people said is erased once a closed session is older than the office
/// keeps transcripts; who talked, when, and how long stays for the figures.
extension SQLiteStore {
    static func purge(closedBefore: Date, _ db: Database) throws -> Int {
        let expired = """
            SELECT m.rowid FROM messages m JOIN sessions s ON s.id = m.session_id
            WHERE s.state = 'closed' AND s.closed_at < ? AND (m.text IS NOT NULL OR m.template_args IS NOT NULL OR m.shown IS NOT NULL)
            """
        let cutoff = Columns.millis(closedBefore)
        try db.execute(sql: "DELETE FROM message_search WHERE rowid IN (\(expired))", arguments: [cutoff])
        try db.execute(
            sql: "UPDATE messages SET text = NULL, template_args = NULL, shown = NULL WHERE rowid IN (\(expired))", arguments: [cutoff])
        let purged = db.changesCount
        // What applicants wrote on tickets long finished goes too.
        try db.execute(
            sql:
                "UPDATE tickets SET note = NULL, left_text = NULL WHERE state != 'queued' AND updated_at < ? AND (note IS NOT NULL OR left_text IS NOT NULL)",
            arguments: [cutoff])
        return purged
    }
}
