import Foundation

/// Where a ticket is in its life.
public enum TicketState: String, Sendable, Codable {
    case queued, assigned, cancelled
}

/// An applicant's place in a queue, as stored.
public struct TicketRecord: Sendable, Equatable {
    public var id: TicketID
    public var applicant: ParticipantID
    public var service: Service
    public var language: String
    public var note: String?
    public var priority: Int
    public var createdAt: Date
    public var state: TicketState
    /// A transfer to a team: only this role may take it (nil: the roles serving `service`).
    public var role: Role?
    /// A transfer: the open session the staff member joins (nil: a new session is opened).
    public var session: SessionID?
    /// A message the applicant left instead of waiting; it opens the session when staff take it.
    public var leftMessage: LeftMessage?
    /// An interpreter request (`role` interpreter): the pair is `language` and this one. The
    /// ticket's `applicant` is then the staff member who asked.
    public var pairLanguage: String?
    /// An interpreter request: whether the interpreter may read what was said before they joined.
    public var shareHistory: Bool
    /// A complaint: its case number, and the staff member it is about (never assigned to them).
    public var complaintCase: String?
    public var excludedStaff: ParticipantID?

    public init(
        id: TicketID, applicant: ParticipantID, service: Service, language: String, note: String?,
        priority: Int = 0, createdAt: Date, state: TicketState = .queued, role: Role? = nil,
        session: SessionID? = nil, leftMessage: LeftMessage? = nil, pairLanguage: String? = nil, shareHistory: Bool = true,
        complaintCase: String? = nil, excludedStaff: ParticipantID? = nil
    ) {
        self.id = id
        self.applicant = applicant
        self.service = service
        self.language = language
        self.note = note
        self.priority = priority
        self.createdAt = createdAt
        self.state = state
        self.role = role
        self.session = session
        self.leftMessage = leftMessage
        self.pairLanguage = pairLanguage
        self.shareHistory = shareHistory
        self.complaintCase = complaintCase
        self.excludedStaff = excludedStaff
    }
}

/// Whether a session still takes messages.
public enum SessionState: String, Sendable, Codable {
    case active, closed
}

/// A session as stored (its members are kept apart, in ``SessionMember``).
public struct SessionRecord: Sendable, Equatable {
    public var id: SessionID
    public var ticket: TicketID?
    public var service: Service
    public var language: String
    public var state: SessionState
    public var openedAt: Date
    public var closedAt: Date?
    public var closeReason: String?
    public var lastSeq: Int

    public init(
        id: SessionID, ticket: TicketID?, service: Service, language: String,
        state: SessionState = .active, openedAt: Date, closedAt: Date? = nil,
        closeReason: String? = nil, lastSeq: Int = 0
    ) {
        self.id = id
        self.ticket = ticket
        self.service = service
        self.language = language
        self.state = state
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.closeReason = closeReason
        self.lastSeq = lastSeq
    }
}

/// A participant of a session. Name and languages come from their latest token.
public struct SessionMember: Sendable, Equatable {
    public var id: ParticipantID
    public var role: Role
    public var name: String
    public var langs: [String]
    public var joinedAt: Date
    public var leftAt: Date?
    /// How far this member has read (0: nothing).
    public var lastReadSeq: Int = 0
    /// The first seq this member may read (an interpreter not given the earlier history); nil: all.
    public var visibleFromSeq: Int?

    public init(
        id: ParticipantID, role: Role, name: String, langs: [String], joinedAt: Date,
        leftAt: Date? = nil, visibleFromSeq: Int? = nil
    ) {
        self.id = id
        self.role = role
        self.name = name
        self.langs = langs
        self.joinedAt = joinedAt
        self.leftAt = leftAt
        self.visibleFromSeq = visibleFromSeq
    }

    public init(_ identity: Identity, joinedAt: Date) {
        self.init(id: identity.id, role: identity.role, name: identity.name, langs: identity.langs, joinedAt: joinedAt)
    }
}

/// What a transcript entry is.
public enum MessageKind: String, Sendable, Codable {
    /// Typed by a participant.
    case text
    /// Said by the broker: a template key and arguments, rendered per reader.
    case system
    /// A staff member's reply template: key and typed arguments, rendered per reader.
    case template
}

/// A transcript entry before the store gives it its `seq`.
public struct NewMessage: Sendable, Equatable {
    public var session: SessionID
    public var sender: ParticipantID?
    public var senderRole: Role
    public var kind: MessageKind
    public var text: String?
    public var templateKey: String?
    public var templateArgs: JSONObject?
    public var dir: String?
    public var lang: String?
    public var clientMessageID: ClientMessageID?
    public var replyTo: Int?
    public var translationOf: Int?
    public var createdAt: Date
    /// A private note: officers, counsellors and supervisors read it; applicants and
    /// interpreters never receive it.
    public var staffOnly: Bool
    /// A template message: the text each participant was shown, by locale.
    public var shown: [String: String]?

    public init(
        session: SessionID, sender: ParticipantID?, senderRole: Role, kind: MessageKind,
        text: String? = nil, templateKey: String? = nil, templateArgs: JSONObject? = nil,
        dir: String? = nil, lang: String? = nil, clientMessageID: ClientMessageID? = nil,
        replyTo: Int? = nil, translationOf: Int? = nil, createdAt: Date, staffOnly: Bool = false, shown: [String: String]? = nil
    ) {
        self.session = session
        self.sender = sender
        self.senderRole = senderRole
        self.kind = kind
        self.text = text
        self.templateKey = templateKey
        self.templateArgs = templateArgs
        self.dir = dir
        self.lang = lang
        self.clientMessageID = clientMessageID
        self.replyTo = replyTo
        self.translationOf = translationOf
        self.createdAt = createdAt
        self.staffOnly = staffOnly
        self.shown = shown
    }

    /// A system message: stored as key and arguments, rendered in each reader's locale.
    public static func system(
        _ session: SessionID, key: String, args: JSONObject, at date: Date
    ) -> NewMessage {
        NewMessage(session: session, sender: nil, senderRole: .system, kind: .system, templateKey: key, templateArgs: args, createdAt: date)
    }
}

/// A transcript entry as stored, with its place in the session and its sender's name.
public struct StoredMessage: Sendable, Equatable {
    public var seq: Int
    public var message: NewMessage
    /// The sender's display name (nil for system messages).
    public var senderName: String?

    public init(seq: Int, message: NewMessage, senderName: String?) {
        self.seq = seq
        self.message = message
        self.senderName = senderName
    }
}

/// Everything stored about one session, for exports.
public struct Transcript: Sendable, Equatable {
    public var session: SessionRecord
    public var members: [SessionMember]
    public var messages: [StoredMessage]

    public init(session: SessionRecord, members: [SessionMember], messages: [StoredMessage]) {
        self.session = session
        self.members = members
        self.messages = messages
    }
}

/// What the broker needs after a restart: who waits and which sessions are open.
public struct RecoveredState: Sendable, Equatable {
    public var queuedTickets: [TicketRecord]
    public var activeSessions: [ActiveSession]
    /// Interviews still to open.
    public var bookedInterviews: [InterviewRecord]
    /// Every interpreter ever seen and everyone in a booked interview, as their latest token said.
    public var people: [Identity]
    /// Notifications applicants have not seen yet.
    public var unseenNotifications: [NotificationRecord] = []

    public init(
        queuedTickets: [TicketRecord] = [], activeSessions: [ActiveSession] = [], bookedInterviews: [InterviewRecord] = [],
        people: [Identity] = []
    ) {
        self.queuedTickets = queuedTickets
        self.activeSessions = activeSessions
        self.bookedInterviews = bookedInterviews
        self.people = people
    }

    public struct ActiveSession: Sendable, Equatable {
        public var record: SessionRecord
        public var members: [SessionMember]
        public init(record: SessionRecord, members: [SessionMember]) {
            self.record = record
            self.members = members
        }
    }
}
