import Foundation

/// One authenticated (or not yet) connection.
struct ConnectionState {
    let id: ConnectionID
    var identity: Identity?
    var locale: String
    var consecutiveErrors = 0
    /// Frames this connection may still send now, and its recent refusals for rate.
    var bucket = TokenBucket(rate: 20, burst: 40)
    var refusals = 0
    var firstRefusal: Date?
    /// An HTTP request passing through (see ``Broker/connectedOneShot(_:identity:locale:)``).
    var oneShot = false
    /// Sessions being replayed after `resume`: live messages wait for the replay, which
    /// already contains them (store results come back in order).
    var replaying: Set<SessionID> = []
    /// The highest seq sent per session, so nothing is sent twice.
    var delivered: [SessionID: Int] = [:]

    init(id: ConnectionID, locale: String) {
        self.id = id
        self.locale = locale
    }

    /// What to do with a live message for this connection.
    enum Delivery {
        /// Replaying, or already sent.
        case skip
        /// Send it, built for this locale (`role` decides whether a private note may go).
        case send(locale: String, role: Role?)
        /// Messages before it were never sent here: read them from `afterSeq` on first.
        case replay(afterSeq: Int)
    }

    /// Records that message `seq` of `session` goes out, unless it must not; see
    /// ``Broker/deliver(_:to:repairingGapsFrom:frame:)`` for `visibleFrom`.
    mutating func take(_ seq: Int, in session: SessionID, visibleFrom: Int?) -> Delivery {
        let sent = delivered[session, default: 0]
        guard !replaying.contains(session), seq > sent else { return .skip }
        if let visibleFrom, sent > 0, seq > max(sent, visibleFrom - 1) + 1 {
            let afterSeq = max(sent, visibleFrom - 1)
            replaying.insert(session)
            delivered[session] = afterSeq
            return .replay(afterSeq: afterSeq)
        }
        delivered[session] = seq
        return .send(locale: locale, role: identity?.role)
    }
}

/// A staff member's routing state.
struct StaffState {
    var identity: Identity
    var capacity: Int
    var availability: Availability = .away
    var sessions: Set<SessionID> = []
    /// When they were last given a session; nil means never (longest idle of all).
    var lastAssignedAt: Date?

    init(identity: Identity, capacity: Int) {
        self.identity = identity
        self.capacity = capacity
    }

    var load: Int { sessions.count }
    var hasRoom: Bool { load < capacity }
}

/// An open session in memory. `opening` until its first commit finished.
struct LiveSession {
    var record: SessionRecord
    var members: [SessionMember]
    var opening: Bool
    /// While opening: the ticket it came from, given back if the store fails.
    var origin: TicketRecord? = nil
    /// While opening: the booked interview it came from, booked again if the store fails.
    var interview: InterviewRecord? = nil
    /// How far each member has read (own messages count as read).
    var lastRead: [ParticipantID: Int] = [:]
    /// When the applicant wrote without an answer from staff since.
    var waitingSince: Date? = nil
    /// A complaint about this staff member: they never take the session over.
    var excludedStaff: ParticipantID? = nil

    func isMember(_ id: ParticipantID) -> Bool {
        members.contains { $0.id == id && $0.leftAt == nil }
    }
    var activeMembers: [SessionMember] { members.filter { $0.leftAt == nil } }
}

/// Recent handling times per queue, for wait estimates: an exponential moving average so a
/// change of pace shows within a few sessions.
struct HandlingTimes {
    var initial: Double = 300
    private var averages: [QueueKey: Double] = [:]

    func seconds(for key: QueueKey) -> Double { averages[key] ?? initial }

    mutating func record(_ seconds: Double, for key: QueueKey) {
        let previous = averages[key] ?? seconds
        averages[key] = previous * 0.8 + seconds * 0.2
    }
}

/// What to do when a store request finishes.
enum PendingWork {
    case nothing
    case ticketOpened(ConnectionID, re: String?, TicketRecord)
    case sessionOpened(SessionID)
    /// A transfer or a join committed (`re` and `connection` answer the staff member who
    /// asked); `restore` is the routed ticket to give back if the store failed.
    case membersChanged(MemberChange, re: String?, connection: ConnectionID?, restore: TicketRecord?)
    case messageLeft(ConnectionID, re: String?, TicketID, LeftMessage)
    case interviewBooked(ConnectionID, re: String?, InterviewRecord)
    case outcomeRecorded(ConnectionID, re: String?, SessionID, code: String, followUp: String?)
    case sessionList(ConnectionID, re: String?)
    case notified(ConnectionID, re: String?)
    case complaintOpened(ConnectionID, re: String?, TicketRecord)
    case complaintUpdated(ConnectionID, re: String?)
    case feedbackStored(ConnectionID, re: String?, SessionID, rating: Int, comment: String?)
    case interviewCancelled(ConnectionID, re: String?, InterviewRecord)
    case appended(ConnectionID, re: String?)
    case sessionClosed(SessionID, by: ParticipantID, re: String?, connection: ConnectionID)
    /// Closed because its staff member stayed away past the grace period: the applicant
    /// goes back to the front of the queue.
    case sessionRequeued(SessionID, staff: ParticipantID)
    /// `olderExist` is set when paging back: then `more` means older messages exist.
    case history(ConnectionID, re: String?, SessionID, olderExist: Bool?)
    case replay(ConnectionID, SessionID)
    /// A read after another node's commit (cluster mode).
    case caughtUp(SessionID)
    /// Active-active cluster: the shared picture, and a session another node closed.
    case snapshot
    case closedElsewhere(SessionID, reason: String)
    /// A history read of a session not in memory: check membership on the transcript.
    case archivedHistory(ConnectionID, re: String?, SessionID, afterSeq: Int, limit: Int, backwards: Bool)
}
