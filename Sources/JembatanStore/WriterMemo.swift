import GRDB
import JembatanCore

/// What the writer already knows without reading it again: each active session's last seq
/// and senders' names. Looking both up for every message was a fifth of the store thread's
/// time in scenario (i) (README, "Load").
///
/// It holds only what a committed transaction wrote or read, as this connection is the
/// file's only writer (the broker's store thread). A batch that does not commit leaves
/// nothing behind (``SQLiteStore/perform(_:)`` starts it again from an empty memo), and any
/// command that may change a session's state or seq, or a participant's name, makes the
/// memo forget them first.
struct WriterMemo {
    private(set) var lastSeq: [SessionID: Int] = [:]
    private(set) var names: [ParticipantID: String] = [:]
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

    mutating func activeSession(_ id: SessionID, lastSeq seq: Int) {
        lastSeq[id] = seq
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
            lastSeq[id] = nil
        case .changeMembers(let change):
            lastSeq[change.session] = nil
            names = [:]
        case .openSession(let record, _, _), .openInterview(_, let record, _, _):
            lastSeq[record.id] = nil
            names = [:]
        case .openTicket, .updateTicket, .leaveMessage, .bookInterview, .cancelInterview, .openComplaint, .updateComplaint,
            .submitFeedback, .stats, .setOutcome, .markRead, .followUps, .notify, .notificationsSeen, .history, .transcript,
            .search, .people, .audit, .presence, .clusterSnapshot:
            break  // neither a session's state or seq nor a name
        case .purge:
            self = WriterMemo()
        }
    }
}
