import Foundation

/// A request from a client, decoded and type-checked (PROTOCOL.md).
public enum ClientFrame: Sendable, Equatable {
    case hello(token: String, locale: String?, resume: [ResumePoint])
    /// `message`: leave it for staff straight away (also accepted outside opening hours).
    /// A complaint may name the staff member it is `about` and continue an open `caseNumber`.
    case request(
        service: Service, language: String, note: String?, message: String? = nil, about: ParticipantID? = nil, caseNumber: String? = nil)
    /// Applicants: a rating (1–5) of a closed session, once.
    case feedback(SessionID, rating: Int, comment: String?)
    /// The complaints team: a case's new status.
    case complaintUpdate(number: String, status: ComplaintStatus)
    case cancel(TicketID)
    case status(Availability)
    case send(OutgoingMessage)
    case typing(SessionID, on: Bool)
    case read(SessionID, seq: Int)
    /// Messages after `afterSeq`, at most `limit`. `backwards` when the client paged back
    /// with `before_seq`: the reply's `more` then says whether older messages exist.
    case history(SessionID, afterSeq: Int, limit: Int, backwards: Bool)
    case close(SessionID, reason: String)
    case leave(SessionID)
    /// Supervisors: the queues' lengths, waits and staff.
    case queues
    /// `note`: a handover note for the next person (staff only).
    case transfer(SessionID, TransferTarget, note: String?)
    /// Staff: the reply templates they may send, titled in their locale.
    case templates
    /// Staff: a private note in the session, never shown to the applicant.
    case note(OutgoingMessage)
    /// Staff: the session's outcome code and an optional follow-up day (`YYYY-MM-DD`).
    case outcome(SessionID, code: String, followUp: String?)
    /// Staff: their active sessions with unread counts and due follow-ups.
    case sessions
    /// Applicants: notifications they have seen.
    case notificationsSeen([String])
    /// The application system (role `system`, over `POST /api/notifications`): tell an applicant.
    case notify(id: String, applicant: ParticipantID, key: String, args: JSONObject)
    /// An applicant tired of waiting leaves a message on their ticket for staff to answer.
    case leaveMessage(TicketID, text: String)
    /// Staff ask for an interpreter between two languages (either direction). `shareHistory`
    /// nil: the broker's default.
    case interpreterRequest(SessionID, languages: [String], shareHistory: Bool?)
    /// Staff book an interview ahead; the broker reserves an interpreter for the pair.
    case interviewSchedule(InterviewBooking)
    case interviewCancel(InterviewID)
}

/// What `interview.schedule` (or `POST /api/interviews`) asks for.
public struct InterviewBooking: Sendable, Equatable {
    public var applicant: ParticipantID
    public var startsAt: Date
    public var durationMinutes: Int
    /// Sorted, two different languages.
    public var languages: [String]
    public var service: Service
    /// A named interpreter, or nil to let the broker choose.
    public var interpreter: ParticipantID?

    public init(
        applicant: ParticipantID, startsAt: Date, durationMinutes: Int, languages: [String], service: Service,
        interpreter: ParticipantID? = nil
    ) {
        self.applicant = applicant
        self.startsAt = startsAt
        self.durationMinutes = durationMinutes
        self.languages = languages
        self.service = service
        self.interpreter = interpreter
    }
}

/// Where `transfer` sends a session.
public enum TransferTarget: Sendable, Equatable {
    /// A team: the session waits at the front of that role's queue in `language` (default:
    /// the session's language) for `service` (default: the session's service).
    case team(Role, language: String?, service: Service?)
    /// A named staff member, who joins at once.
    case person(ParticipantID)
}

/// `hello.resume`: replay this session from after this seq.
public struct ResumePoint: Sendable, Equatable {
    public var session: SessionID
    public var afterSeq: Int
    public init(session: SessionID, afterSeq: Int) {
        self.session = session
        self.afterSeq = afterSeq
    }
}

/// The content of a `send`.
public struct OutgoingMessage: Sendable, Equatable {
    public var session: SessionID
    public var clientMessageID: ClientMessageID
    public var text: String
    public var lang: String?
    public var replyTo: Int?
    public var translationOf: Int?
    /// A reply template instead of text (`text` is then empty).
    public var template: String?
    public var templateArgs: JSONObject?

    public init(
        session: SessionID, clientMessageID: ClientMessageID, text: String, lang: String? = nil,
        replyTo: Int? = nil, translationOf: Int? = nil, template: String? = nil, templateArgs: JSONObject? = nil
    ) {
        self.session = session
        self.clientMessageID = clientMessageID
        self.text = text
        self.lang = lang
        self.replyTo = replyTo
        self.translationOf = translationOf
        self.template = template
        self.templateArgs = templateArgs
    }
}

/// A decoded frame with the client's request id, if it sent one.
public struct DecodedFrame: Sendable, Equatable {
    public var id: String?
    public var frame: ClientFrame
}
