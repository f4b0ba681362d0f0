import Foundation
import GRDB
import JembatanCore

extension SQLiteStore {
    /// Writes a consistent copy of the database to `path` while the broker keeps running
    /// (`VACUUM INTO` reads one snapshot; writers are not blocked in WAL mode).
    /// Refuses to overwrite an existing file.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw DatabaseError(message: "the backup file exists already")
        }
        try dbQueue.inDatabase { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [path])
        }
    }
}

extension SQLiteStore {
    /// The audit trail of one actor, oldest first: (action, subject) pairs.
    public func auditTrail(actor: ParticipantID) throws -> [(action: String, subject: String)] {
        try dbQueue.read { db in
            try Row.fetchAll(db, sql: "SELECT action, subject FROM audit_log WHERE actor_id = ? ORDER BY id", arguments: [actor.rawValue])
                .map { ($0["action"], $0["subject"]) }
        }
    }

    /// The client addresses of one actor's audit entries, oldest first (nil where none was known).
    public func auditAddresses(actor: ParticipantID) throws -> [String?] {
        try dbQueue.read { db in
            try String?.fetchAll(
                db, sql: "SELECT client_address FROM audit_log WHERE actor_id = ? ORDER BY id", arguments: [actor.rawValue])
        }
    }
}
