import Foundation

/// What an applicant wrote for staff to answer later (already sanitised).
public struct LeftMessage: Sendable, Equatable {
    public var text: String
    public var dir: String
    public var at: Date
    public init(text: String, dir: String, at: Date) {
        self.text = text
        self.dir = dir
        self.at = at
    }
}

/// Who leaves and who joins an open session, with the system messages saying so. Used by
/// transfers (and interpreters): the session, and so its history, stays the same.
public struct MemberChange: Sendable, Equatable {
    public var session: SessionID
    public var leaving: [ParticipantID]
    public var joining: [SessionMember]
    public var messages: [NewMessage]
    /// The ticket this change serves (marked assigned).
    public var assignTicket: TicketID?
    /// A ticket to queue in the same transaction (a transfer to a team).
    public var openTicket: TicketRecord?
    /// Joiners may read only from this change's first message on (`visibleFromSeq`).
    public var hideEarlierHistory: Bool

    public init(
        session: SessionID, leaving: [ParticipantID] = [], joining: [SessionMember] = [], messages: [NewMessage],
        assignTicket: TicketID? = nil, openTicket: TicketRecord? = nil, hideEarlierHistory: Bool = false
    ) {
        self.session = session
        self.leaving = leaving
        self.joining = joining
        self.messages = messages
        self.assignTicket = assignTicket
        self.openTicket = openTicket
        self.hideEarlierHistory = hideEarlierHistory
    }
}
