/// A request from a client, decoded and type-checked (PROTOCOL.md).
public enum ClientFrame: Sendable, Equatable {
    case hello(token: String, locale: String?, resume: [ResumePoint])
    case request(service: Service, language: String, note: String?)
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

    public init(
        session: SessionID, clientMessageID: ClientMessageID, text: String, lang: String? = nil,
        replyTo: Int? = nil, translationOf: Int? = nil
    ) {
        self.session = session
        self.clientMessageID = clientMessageID
        self.text = text
        self.lang = lang
        self.replyTo = replyTo
        self.translationOf = translationOf
    }
}

/// A decoded frame with the client's request id, if it sent one.
public struct DecodedFrame: Sendable, Equatable {
    public var id: String?
    public var frame: ClientFrame
}
