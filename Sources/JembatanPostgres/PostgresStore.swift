import Foundation
import JembatanCore
import JembatanStore
import Logging
import PostgresNIO

/// The cluster's store: the same ``BrokerStore`` protocol as the embedded SQLite store, on
/// PostgreSQL through postgres-nio. Like SQLite's, it is used from the store thread only and
/// performs each batch in one transaction, each command in its own savepoint.
///
/// With a ``LeaseFence`` every batch first checks, under a share lock, that this node still
/// holds the broker lease: a node paused past its lease cannot write once another has taken
/// over, whatever it still believes (SCALEOUT.md, fencing).
public final class PostgresStore: BrokerStore, @unchecked Sendable {
    // Safe: used from one thread at a time (the store thread), as BrokerStore requires; the
    // Sendable conformance only lets the server hand it to that thread.
    let link: PostgresLink
    let fence: LeaseFence?

    /// Connects, and brings the schema up to date (several nodes may do so at once).
    public init(settings: PostgresSettings, fence: LeaseFence? = nil, logger: Logger = Logger(label: "jembatan.postgres")) throws {
        link = PostgresLink(settings: settings, logger: logger)
        self.fence = fence
        try PostgresSchema.migrate(link)
    }

    // MARK: BrokerStore

    public func perform(_ commands: [StoreCommand]) -> [StoreResult] {
        guard !commands.isEmpty else { return [] }
        do {
            try link.execute("BEGIN")
            do {
                if let fence, try !holdsLease(fence) {
                    fence.lost()
                    throw StoreFailure(.unavailable, "this node no longer holds the broker lease")
                }
                try lockSessions(of: commands)
                var results: [StoreResult] = []
                results.reserveCapacity(commands.count)
                var searchable: [SearchEntry] = []
                var next = 0
                while next < commands.count {
                    // Consecutive appends go out pipelined: one wait for the run, not one per message.
                    let run = commands[next...].prefix { $0.appendedMessage != nil }.compactMap(\.appendedMessage)
                    if run.isEmpty {
                        results.append(try performIsolated(commands[next]))
                        next += 1
                    } else {
                        results += try append(run)
                        next += run.count
                    }
                }
                for (command, result) in zip(commands, results) {
                    if let message = command.appendedMessage, case .appended(let stored, duplicate: false) = result,
                        let words = SearchEntry.words(of: message)
                    {
                        searchable.append(SearchEntry(session: stored.message.session, seq: stored.seq, words: words))
                    }
                }
                try index(searchable)
                try link.execute("COMMIT")
                return results
            } catch {
                _ = try? link.execute("ROLLBACK")
                throw error
            }
        } catch let failure as StoreFailure {
            return Array(repeating: .failed(failure), count: commands.count)
        } catch {
            let failure = StoreFailure(.unavailable, "batch not committed: \(PostgresFailure.describe(error))")
            return Array(repeating: .failed(failure), count: commands.count)
        }
    }

    public func recover() throws -> RecoveredState {
        let tickets = try link.query(
            "SELECT * FROM tickets WHERE state = $1 ORDER BY priority DESC, created_at, id", [.text(TicketState.queued.rawValue)]
        ).map(Rows.ticket)
        let sessions = try link.query(
            "SELECT * FROM sessions WHERE state = $1 ORDER BY opened_at, id", [.text(SessionState.active.rawValue)]
        ).map(Rows.session)
        let active = try sessions.map { RecoveredState.ActiveSession(record: $0, members: try members(of: $0.id)) }
        let interviews = try bookedInterviews()
        var state = RecoveredState(
            queuedTickets: tickets, activeSessions: active, bookedInterviews: interviews, people: try recoveredPeople(interviews))
        state.unseenNotifications = try unseenNotifications()
        return state
    }

    // MARK: Checks

    /// How many messages the session has stored (0 for an unknown session); with
    /// ``lastSeq(session:)`` a checker proves there are no gaps.
    public func messageCount(session: SessionID) throws -> Int {
        try link.query("SELECT COUNT(*) AS n FROM messages WHERE session_id = $1", [.text(session.rawValue)]).first?.requiredInt("n") ?? 0
    }

    /// The session's last assigned `seq`, or nil if the session is unknown.
    public func lastSeq(session: SessionID) throws -> Int? {
        try link.query("SELECT last_seq FROM sessions WHERE id = $1", [.text(session.rawValue)]).first?.requiredInt("last_seq")
    }

    // MARK: Savepoints

    /// One command. A refusal (``StoreFailure``, a constraint) rolls back that command alone;
    /// anything else (the connection, the server) is thrown and fails the batch.
    private func performIsolated(_ command: StoreCommand) throws -> StoreResult {
        try link.execute("SAVEPOINT command")
        do {
            let result = try perform(command)
            try link.execute("RELEASE SAVEPOINT command")
            return result
        } catch let failure as StoreFailure {
            try link.execute("ROLLBACK TO SAVEPOINT command")
            return .failed(failure)
        } catch let error where PostgresFailure.sqlState(error)?.hasPrefix("23") == true {
            // Class 23: integrity constraint violation (duplicate key, foreign key, check).
            try link.execute("ROLLBACK TO SAVEPOINT command")
            return .failed(StoreFailure(.conflict, "constraint violated (\(PostgresFailure.describe(error)))"))
        }
    }

    /// Locks the rows of the sessions the batch writes, in id order, before anything else.
    /// Two nodes' batches writing the same sessions (active-active) would otherwise lock them
    /// in arrival order and could deadlock, which PostgreSQL breaks only after a second by
    /// failing one batch.
    private func lockSessions(of commands: [StoreCommand]) throws {
        let ids = Set(commands.compactMap(\.writtenSession)).map(\.rawValue).sorted()
        guard !ids.isEmpty else { return }
        try link.query(
            "SELECT id FROM sessions WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY id FOR UPDATE",
            [.text(JSONWriter.string(.array(ids.map(JSONValue.string))))])
    }

    private func holdsLease(_ fence: LeaseFence) throws -> Bool {
        let table = fence.scope == .lease ? "broker_lease" : "broker_nodes"
        return try !link.query(
            "SELECT 1 FROM \(table) WHERE node_id = $1 AND epoch = $2 AND expires_at > now() FOR SHARE",
            [.text(fence.node), .int(fence.epoch)]
        ).isEmpty
    }
}

extension StoreCommand {
    /// The message of an `append`, nil for any other command.
    fileprivate var appendedMessage: NewMessage? {
        if case .append(let message) = self { return message }
        return nil
    }

    /// The existing session whose row the command locks, if any.
    fileprivate var writtenSession: SessionID? {
        switch self {
        case .append(let message): message.session
        case .closeSession(let id, _, _), .markRead(let id, _, _): id
        case .changeMembers(let change): change.session
        default: nil
        }
    }
}

/// What a store of a node holding the lease needs to check it: the node, the epoch it took the
/// lease with, and what to do when it finds the lease gone (the node stops serving).
public struct LeaseFence: Sendable {
    /// What the node holds: the one broker lease (active/standby), or its own node row
    /// (active-active, ``NodeRegistration``).
    public enum Scope: Sendable { case lease, node }
    public var node: String
    public var epoch: Int
    public var scope: Scope
    public var lost: @Sendable () -> Void

    public init(node: String, epoch: Int, scope: Scope = .lease, lost: @escaping @Sendable () -> Void) {
        self.node = node
        self.epoch = epoch
        self.scope = scope
        self.lost = lost
    }
}
