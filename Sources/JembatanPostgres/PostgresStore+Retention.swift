import Foundation
import JembatanCore
import JembatanStore

/// Retention (as `SQLiteStore+Retention.swift`): what people said is erased once a closed
/// session is older than the office keeps transcripts, search words included; who talked,
/// when, and how long stays for the figures.
extension PostgresStore {
    func purge(closedBefore: Date) throws -> Int {
        let cutoff: [SQLArgument] = [.int(Columns.millis(closedBefore))]
        try link.execute(
            """
            DELETE FROM message_words w USING messages m, sessions s
            WHERE w.session_id = m.session_id AND w.seq = m.seq AND s.id = m.session_id AND s.state = 'closed' AND s.closed_at < $1
            """, cutoff)
        let purged = try link.execute(
            """
            UPDATE messages m SET text = NULL, template_args = NULL, shown = NULL FROM sessions s
            WHERE s.id = m.session_id AND s.state = 'closed' AND s.closed_at < $1
            AND (m.text IS NOT NULL OR m.template_args IS NOT NULL OR m.shown IS NOT NULL)
            """, cutoff)
        // What applicants wrote on tickets long finished goes too.
        try link.execute(
            """
            UPDATE tickets SET note = NULL, left_text = NULL
            WHERE state <> 'queued' AND updated_at < $1 AND (note IS NOT NULL OR left_text IS NOT NULL)
            """, cutoff)
        return purged
    }
}
