import Foundation
import GRDB
import JembatanCore
import Synchronization

/// The embedded store: one SQLite file through GRDB, WAL mode, one write transaction per
/// batch of commands.
///
/// It is used from the store thread only. It is `Sendable` so it can be handed to that thread;
/// its one stored property, the `DatabaseQueue`, is itself safe to share (GRDB serialises
/// every access on its own queue), so no `@unchecked` is needed.
public final class SQLiteStore: BrokerStore, Sendable {
    let dbQueue: DatabaseQueue
    let checkpointer: WALCheckpointer?
    /// Touched only by ``perform(_:)`` on the store thread; a mutex keeps the type `Sendable`.
    let searchBacklog = Mutex(SearchBacklog())
    /// As `searchBacklog`.
    let writerMemo = Mutex(WriterMemo())

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// - Parameters:
    ///   - path: the SQLite file. Its folder is created if missing.
    ///   - synchronousFull: `synchronous=FULL` (an acknowledged batch survives power loss)
    ///     instead of `NORMAL` (it survives a process crash; faster). See DESIGN.md.
    ///   - busyTimeout: how long a write waits for another connection (a checker, a backup)
    ///     to release the database before the batch fails as unavailable.
    ///   - backgroundCheckpoints: copy the WAL into the database file on a thread of its own
    ///     (``WALCheckpointer``) rather than inside the commit that fills it (the broker).
    public convenience init(
        path: String, synchronousFull: Bool = false, busyTimeout: TimeInterval = 5, backgroundCheckpoints: Bool = false
    ) throws {
        try self.init(
            path: path, synchronousFull: synchronousFull, busyTimeout: busyTimeout,
            checkpoints: backgroundCheckpoints ? WALCheckpointer.Policy() : nil)
    }

    init(path: String, synchronousFull: Bool = false, busyTimeout: TimeInterval = 5, checkpoints: WALCheckpointer.Policy?) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = Self.configuration(synchronousFull: synchronousFull, busyTimeout: busyTimeout, wal: true)
        dbQueue = try DatabaseQueue(path: path, configuration: config)
        try Self.migrator.migrate(dbQueue)
        try dbQueue.write { try Self.indexMissed($0) }
        guard let checkpoints else {
            checkpointer = nil
            return
        }
        try dbQueue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        config.label = "jembatan.checkpoint"
        let checkpointer = try WALCheckpointer(path: path, configuration: config, policy: checkpoints)
        checkpointer.start()
        self.checkpointer = checkpointer
    }

    deinit { checkpointer?.stop() }

    /// A private in-memory database with the real schema, for unit tests.
    public static func inMemory() throws -> SQLiteStore {
        let config = configuration(synchronousFull: false, busyTimeout: 0, wal: false)
        return try SQLiteStore(queue: DatabaseQueue(configuration: config))
    }

    private init(queue: DatabaseQueue) throws {
        dbQueue = queue
        checkpointer = nil
        try Self.migrator.migrate(dbQueue)
    }

    private static func configuration(synchronousFull: Bool, busyTimeout: TimeInterval, wal: Bool) -> Configuration {
        var config = Configuration()
        config.label = "jembatan.store"
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        // Statement arguments are user content: keep them out of error descriptions (the default,
        // stated here so nobody turns it on for debugging and forgets).
        config.publicStatementArguments = false
        let synchronous = synchronousFull ? "FULL" : "NORMAL"
        // WAL is set here rather than with `config.journalMode = .wal`: GRDB applies that after
        // `prepareDatabase` and resets `synchronous` to NORMAL, which would undo FULL.
        config.prepareDatabase { db in
            if wal {
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                    throw DatabaseError(message: "could not enable WAL mode")
                }
            }
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            // 64 MiB of pages (the default is 2 MiB): with hundreds of sessions writing, the
            // index pages they touch no longer fit, and each miss was a pread.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        return config
    }

    // MARK: BrokerStore (perform: SQLiteStore+Batch.swift)

    /// Queued tickets (highest priority first, then oldest) and active sessions with their
    /// members (oldest session first), to rebuild the broker after a restart.
    public func recover() throws -> RecoveredState {
        try dbQueue.read { db in
            let tickets = try Row.fetchAll(
                db, sql: "SELECT * FROM tickets WHERE state = ? ORDER BY priority DESC, created_at, id",
                arguments: [TicketState.queued.rawValue]
            ).map(Rows.ticket)
            let sessions = try Row.fetchAll(
                db, sql: "SELECT \(Self.sessionColumns) FROM sessions WHERE state = ? ORDER BY opened_at, id",
                arguments: [SessionState.active.rawValue]
            ).map(Rows.session)
            let active = try sessions.map { record in
                RecoveredState.ActiveSession(record: record, members: try Self.members(of: record.id, db))
            }
            let interviews = try Self.bookedInterviews(db)
            var state = RecoveredState(
                queuedTickets: tickets, activeSessions: active, bookedInterviews: interviews,
                people: try Self.recoveredPeople(interviews, db))
            state.unseenNotifications = try Self.unseenNotifications(db)
            return state
        }
    }

    // MARK: Checks

    /// How many messages the session has stored (0 for an unknown session). With ``lastSeq(session:)``
    /// a checker proves there are no gaps: `count == last_seq` (the highest seq).
    public func messageCount(session: SessionID) throws -> Int {
        try dbQueue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE session_id = ?", arguments: [session.rawValue]) ?? 0
        }
    }

    /// The session's last assigned `seq`, or nil if the session is unknown.
    public func lastSeq(session: SessionID) throws -> Int? {
        try dbQueue.read { db in
            try Int.fetchOne(db, sql: "SELECT \(Self.lastSeqSQL) FROM sessions WHERE id = ?", arguments: [session.rawValue])
        }
    }

    // MARK: Failures

    /// Names an error by code only. GRDB's own descriptions carry the SQL (never arguments,
    /// see `publicStatementArguments`), but a code is all a log needs and is surely free of
    /// user content.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as DatabaseError: "sqlite error \(error.extendedResultCode.rawValue)"
        case let error as UnreadableRow: error.description
        case is BatchAborted: "transaction rolled back by SQLite"
        default: "\(type(of: error))"
        }
    }
}
