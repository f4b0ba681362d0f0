import Foundation

/// One unit of durable work. The core asks for these; a store performs them in order.
public enum StoreCommand: Sendable, Equatable {
    /// Remember a participant's latest name, role, languages and locale (for transcripts).
    case saveParticipant(Identity)
    case openTicket(TicketRecord)
    case updateTicket(TicketID, TicketState)
    /// Keep a message the applicant left on a queued ticket (it stays queued).
    case leaveMessage(TicketID, LeftMessage)
    /// Members leave or join an active session; its system messages are appended.
    case changeMembers(MemberChange)
    /// Book an interview (refused with `conflict` if one of its people is booked at an
    /// overlapping time), or cancel one.
    case bookInterview(InterviewRecord)
    case cancelInterview(InterviewID)
    /// Queue a complaint's ticket and open its case (numbered per year), or continue the
    /// applicant's open case `continuing`.
    case openComplaint(TicketRecord, answerBy: String, continuing: String?)
    /// Change a case's status, with an entry in its audit trail.
    case updateComplaint(number: String, status: ComplaintStatus, by: ParticipantID, at: Date)
    /// An applicant's rating of a session they were in, once, within `window` of its close.
    case submitFeedback(SessionID, applicant: ParticipantID, rating: Int, comment: String?, at: Date, window: TimeInterval)
    /// Figures for the range, computed from what is stored (read only).
    case stats(StatsQuery)
    /// Record a session's outcome; refused unless `by` handled the session (officer or counsellor).
    case setOutcome(SessionID, by: ParticipantID, code: String, followUp: String?, at: Date)
    /// Remember how far a member has read.
    case markRead(SessionID, ParticipantID, seq: Int)
    /// Sessions `staff` handled whose follow-up day is on or before `dueBy` (YYYY-MM-DD).
    case followUps(staff: ParticipantID, dueBy: String)
    /// Keep a notification for an applicant; the same id again answers with the original.
    case notify(NotificationRecord)
    case notificationsSeen(ParticipantID, ids: [String], at: Date)
    /// Open a booked interview's session (as ``openSession``) and mark it opened, at once.
    case openInterview(InterviewID, SessionRecord, members: [SessionMember], messages: [NewMessage])
    /// Open a session for `members`, mark its ticket assigned and append `messages`.
    case openSession(SessionRecord, members: [SessionMember], messages: [NewMessage])
    /// Append a message: the store gives it `last_seq + 1`, or, when its `client_msg_id` is
    /// already stored in that session, answers with the original (``StoreResult/appended(_:duplicate:)``).
    case append(NewMessage)
    /// Close a session and append its closing system message.
    case closeSession(SessionID, reason: String, message: NewMessage)
    /// Messages with `seq > afterSeq`, oldest first, at most `limit`.
    case history(SessionID, afterSeq: Int, limit: Int)
    case transcript(SessionID)
    /// Text messages whose words contain every word of `query` (segmented by
    /// `WordSegmenter`), newest first, in sessions `reader` is a member of (all sessions
    /// when `reader` is nil: supervisors).
    case search(query: String, reader: ParticipantID?, limit: Int)
    /// People `reader` has shared a session with (everyone when nil: supervisors), at most 10,000.
    case people(reader: ParticipantID?)
    /// Retention: erase what was said (text, template arguments, search index) in sessions
    /// closed before `closedBefore`; sessions, times, participants and counts stay for statistics.
    case purge(closedBefore: Date)
    /// Record that `actor` read something (supervisor transcript reads), from `address`: the
    /// real client's, which the edge fills in (the core knows no addresses).
    case audit(actor: ParticipantID, action: String, subject: String, address: String? = nil)
    /// Active-active cluster: `identity` is connected to this node with `availability`
    /// (staff) and `capacity`, or no longer (nil). Nothing to do for a single node.
    case presence(Identity, availability: Availability?, capacity: Int)
    /// Active-active cluster: what every node shares (``ClusterSnapshot``), and which of
    /// `known` have closed. A read; a single-node store answers `unavailable`.
    case clusterSnapshot(known: [SessionID])
}

/// The answer to one ``StoreCommand``, in the same order as the commands.
public enum StoreResult: Sendable, Equatable {
    case done
    case appended(StoredMessage, duplicate: Bool)
    case sessionOpened([StoredMessage])
    case sessionClosed(StoredMessage)
    case membersChanged([StoredMessage])
    case followUps([FollowUp])
    case complaint(ComplaintCase)
    case stats(StatsReport)
    case notified(NotificationRecord, duplicate: Bool)
    case history([StoredMessage], more: Bool)
    case transcript(Transcript?)
    case found([StoredMessage])
    case people([Identity])
    /// How many messages lost their text.
    case purged(Int)
    case clusterSnapshot(ClusterSnapshot)
    case failed(StoreFailure)
}

/// A command that could not be done. `detail` names what, never user content.
public struct StoreFailure: Error, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The session or ticket does not exist.
        case notFound
        /// The session is closed, or the command contradicts stored state.
        case conflict
        /// A reference (`reply_to`, `translation_of`) points at no message.
        case badReference
        /// The database failed; nothing of this command was stored.
        case unavailable
    }
    public var kind: Kind
    public var detail: String
    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }
}

/// Durable storage for the broker. An implementation is confined to one thread (the store
/// thread) and so need not be thread-safe. SQLite is the embedded default; the cluster mode
/// will add PostgreSQL behind the same protocol.
public protocol BrokerStore: AnyObject {
    /// Performs the commands in one transaction, each in its own savepoint so that one
    /// failing command fails alone. Results come back in command order, after the commit.
    /// If the commit itself fails, every result is ``StoreResult/failed(_:)`` with `.unavailable`.
    func perform(_ commands: [StoreCommand]) -> [StoreResult]

    /// Queued tickets and active sessions, to rebuild the broker after a restart.
    func recover() throws -> RecoveredState
}
