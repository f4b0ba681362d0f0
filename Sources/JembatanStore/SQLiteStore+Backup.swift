import Foundation
import GRDB

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
