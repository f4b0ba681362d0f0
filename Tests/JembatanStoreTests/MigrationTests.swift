import Foundation
import GRDB
import JembatanCore
import Testing

@testable import JembatanStore

@Suite struct MigrationTests {
    @Test func migrationsCreateTheSchemaOnANewDatabase() throws {
        let store = try SQLiteStore.inMemory()
        try store.dbQueue.read { (db: Database) throws in
            #expect(
                try SQLiteStore.migrator.appliedMigrations(db) == [
                    "v1", "v2-search", "v3-routing", "v4-interpreters", "v5-interviews", "v6-counsellor-tools", "v7-complaints-feedback",
                    "v8-stats-indexes", "v9-derived-last-seq", "v10-search-without-sizes", "v11-client-ids-in-memory",
                    "v12-audit-address",
                ])
            for table in ["participants", "tickets", "sessions", "session_participants", "messages", "audit_log", "message_search"] {
                #expect(try db.tableExists(table), "missing table \(table)")
            }
            // Repeated client ids are the writer memo's to find (v11), not an index's.
            #expect(try db.indexes(on: "messages").allSatisfy { !$0.columns.contains("client_msg_id") })
            #expect(try db.primaryKey("messages").columns == ["session_id", "seq"])
            #expect(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") == true)
            #expect(try db.columns(in: "audit_log").map(\.name).contains("client_address"))  // v12
        }
    }

    @Test func reopeningAFileDatabaseDoesNotMigrateAgain() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A missing parent folder is created.
        let path = folder.appendingPathComponent("data/nested/jembatan.sqlite").path
        do {
            let store = try SQLiteStore(path: path)
            #expect(store.one(.saveParticipant(Fixture.applicant)) == .done)
        }
        let reopened = try SQLiteStore(path: path)
        try reopened.dbQueue.read { (db: Database) throws in
            #expect(
                try SQLiteStore.migrator.appliedMigrations(db) == [
                    "v1", "v2-search", "v3-routing", "v4-interpreters", "v5-interviews", "v6-counsellor-tools", "v7-complaints-feedback",
                    "v8-stats-indexes", "v9-derived-last-seq", "v10-search-without-sizes", "v11-client-ids-in-memory",
                    "v12-audit-address",
                ])
            #expect(try SQLiteStore.migrator.hasBeenSuperseded(db) == false)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") == 12)
            #expect(try String.fetchOne(db, sql: "SELECT name FROM participants WHERE id = 'app-1'") == "Siti Rahma")
        }
    }

    @Test func fileStoreUsesWALAndTheChosenSynchronousLevel() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let normal = try SQLiteStore(path: folder.appendingPathComponent("normal.sqlite").path)
        let full = try SQLiteStore(path: folder.appendingPathComponent("full.sqlite").path, synchronousFull: true)
        try normal.dbQueue.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(db, sql: "PRAGMA synchronous") == 1)  // NORMAL
            #expect(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") == true)
        }
        try full.dbQueue.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(db, sql: "PRAGMA synchronous") == 2)  // FULL
        }
    }

    @Test func theSearchMigrationIndexesMessagesAVersionOneDatabaseAlreadyHeld() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A database as the first release left it: schema v1 with a message in it.
        let path = try olderDatabase(upTo: "v1", in: folder) { db in
            try db.execute(
                sql:
                    "INSERT INTO sessions (id, service, language, state, opened_at, last_seq) VALUES ('s-1', 'visa', 'zh', 'active', 0, 1)"
            )
            try db.execute(
                sql:
                    "INSERT INTO messages (session_id, seq, sender_role, kind, text, created_at) VALUES ('s-1', 1, 'applicant', 'text', '我想咨询居留许可', 0)"
            )
        }
        let store = try SQLiteStore(path: path)
        let original = try #require(try store.storedForTest(SessionID("s-1"), seq: 1))
        #expect(store.one(.search(query: "居留", reader: nil, limit: 10)) == .found([original]))
    }

    @Test func aSessionsLastSeqIsItsHighestMessageOnceTheStoredCopyIsDropped() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A v8 database whose stored last_seq (1) lags its messages (2): the messages win.
        let path = try olderDatabase(upTo: "v8-stats-indexes", in: folder) { db in
            try db.execute(
                sql:
                    "INSERT INTO sessions (id, service, language, state, opened_at, last_seq) VALUES ('s-1', 'visa', 'id', 'active', 0, 1)"
            )
            for seq in 1...2 {
                try db.execute(
                    sql:
                        "INSERT INTO messages (session_id, seq, sender_role, kind, text, created_at) VALUES ('s-1', ?, 'applicant', 'text', 'halo', 0)",
                    arguments: [seq])
            }
            try db.execute(
                sql:
                    "INSERT INTO sessions (id, service, language, state, opened_at, last_seq) VALUES ('s-2', 'visa', 'id', 'active', 0, 0)"
            )
        }
        let store = try SQLiteStore(path: path)
        try store.dbQueue.read { (db: Database) throws in
            #expect(try db.columns(in: "sessions").map(\.name).contains("last_seq") == false)
        }
        #expect(try store.lastSeq(session: SessionID("s-1")) == 2)
        #expect(try store.lastSeq(session: SessionID("s-2")) == 0)
        #expect(try store.lastSeq(session: SessionID("s-3")) == nil)
        let recovered = try store.recover().activeSessions.map { [$0.record.id.rawValue: $0.record.lastSeq] }
        #expect(recovered == [["s-1": 2], ["s-2": 0]])
    }

    @Test func theIndexIsBuiltAnewWithoutItsSizeTable() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try olderDatabase(upTo: "v9-derived-last-seq", in: folder) { db in
            try db.execute(
                sql: "INSERT INTO sessions (id, service, language, state, opened_at) VALUES ('s-1', 'visa', 'zh', 'active', 0)")
            for (seq, text) in [(1, "Paspor saya hilang"), (2, "我想咨询居留许可")] {
                try db.execute(
                    sql:
                        "INSERT INTO messages (session_id, seq, sender_role, kind, text, created_at) VALUES ('s-1', ?, 'applicant', 'text', ?, 0)",
                    arguments: [seq, text])
            }
            try SQLiteStore.indexMissed(db)
            #expect(try db.tableExists("message_search_docsize"))
        }
        let store = try SQLiteStore(path: path)
        try store.dbQueue.read { (db: Database) throws in
            #expect(try db.tableExists("message_search_docsize") == false)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM message_search") == 2)
        }
        for (query, seq) in [("paspor", 1), ("居留", 2)] {
            let original = try #require(try store.storedForTest(SessionID("s-1"), seq: seq))
            #expect(store.one(.search(query: query, reader: nil, limit: 10)) == .found([original]))
        }
    }

    /// A database file as an older release left it: migrated up to `migration`, then filled.
    private func olderDatabase(upTo migration: String, in folder: URL, _ fill: (Database) throws -> Void) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("old.sqlite").path
        let old = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(old, upTo: migration)
        try old.write(fill)
        return path
    }
}

extension SQLiteStore {
    func storedForTest(_ id: SessionID, seq: Int) throws -> StoredMessage? {
        try dbQueue.read { db in try SQLiteStore.storedMessage(id, seq: seq, db) }
    }
}
