import GRDB
import JembatanCore

/// What the writer already knows without reading it again: each active session's last seq
/// and the seq of every `client_msg_id` in it, and senders' names. Looking these up for
/// every message was a fifth of the store thread's time in scenario (i) (README, "Load"),
/// and a unique index to find repeated client ids another ~2 µs a message.
///
/// It holds only what a committed transaction wrote or read, as this connection is the
/// file's only writer (the broker's store thread). A batch that does not commit leaves
/// nothing behind (``SQLiteStore/perform(_:)`` starts it again from an empty memo), and any
/// command that may change a session's state or messages, or a participant's name, makes
/// the memo forget them first.
struct WriterMemo {
    private var sessions: [SessionID: KnownSession] = [:]
    private(set) var names: [ParticipantID: String] = [:]

    /// An active session as the writer knows it: complete, or not in the memo at all.
    struct KnownSession {
        var lastSeq: Int
        var clientIDs: [ClientMessageID: Int]
    }

    /// Where session `id` is in the memo, if it is known: found once per message, as each
    /// look-up hashes the id. Valid until the next ``know(_:_:)``.
    typealias Slot = [SessionID: KnownSession].Index

    func slot(of id: SessionID) -> Slot? {
        sessions.index(forKey: id)
    }

    func lastSeq(at slot: Slot) -> Int {
        sessions.values[slot].lastSeq
    }

    /// The seq of the message that carried `clientID` in the session at `slot`.
    func seq(of clientID: ClientMessageID, at slot: Slot) -> Int? {
        sessions.values[slot].clientIDs[clientID]
    }

    mutating func know(_ id: SessionID, _ session: KnownSession) -> Slot {
        sessions[id] = session
        return sessions.index(forKey: id)!
    }

    /// A message appended to the session at `slot`, in place (a copy would copy its client ids).
    mutating func appended(at slot: Slot, seq: Int, clientID: ClientMessageID?) {
        sessions.values[slot].lastSeq = seq
        if let clientID { sessions.values[slot].clientIDs[clientID] = seq }
    }

    mutating func name(_ name: String, of participant: ParticipantID) {
        names[participant] = name
    }

    /// Drops what `command` may change. Commands not listed as harmless clear everything,
    /// so a new command cannot leave a stale entry behind.
    mutating func forget(before command: StoreCommand) {
        switch command {
        case .append:
            break  // keeps the memo up to date itself
        case .saveParticipant(let identity):
            names[identity.id] = nil
        case .closeSession(let id, _, _):
            sessions[id] = nil
        case .changeMembers(let change):
            sessions[change.session] = nil
            names = [:]
        case .openSession(let record, _, _), .openInterview(_, let record, _, _):
            sessions[record.id] = nil
            names = [:]
        case .openTicket, .updateTicket, .leaveMessage, .bookInterview, .cancelInterview, .openComplaint, .updateComplaint,
            .submitFeedback, .stats, .setOutcome, .markRead, .followUps, .notify, .notificationsSeen, .history, .transcript,
            .search, .people, .audit, .presence, .clusterSnapshot:
            break  // neither a session's state or messages nor a name
        case .purge:
            self = WriterMemo()
        }
    }

    /// The message path's statements, looked up once a batch: GRDB's statement cache hashes
    /// the whole SQL at every look-up (~1,500 instructions for the message insert). Only for
    /// the batch's length: ``keptPastBatch()`` is what outlives it.
    private var statements = [BatchStatement?](repeating: nil, count: WriteStatement.allCases.count)

    mutating func statement(_ kind: WriteStatement, _ db: Database) throws -> Statement {
        if let known = statements[kind.rawValue] { return known.statement }
        let statement = try db.cachedStatement(sql: kind.sql)
        statements[kind.rawValue] = BatchStatement(statement: statement)
        return statement
    }

    /// The memo without the batch's statements.
    func keptPastBatch() -> WriterMemo {
        var memo = self
        memo.statements = [BatchStatement?](repeating: nil, count: WriteStatement.allCases.count)
        return memo
    }

    /// Unchecked: only the store thread holds one, and only within its batch.
    private struct BatchStatement: @unchecked Sendable {
        let statement: Statement
    }
}
