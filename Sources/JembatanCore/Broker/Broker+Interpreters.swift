import Foundation

/// Interpreters as participants: requested by the session's staff for a language pair,
/// queued like tickets (one queue per pair), joining and leaving a session that goes on.
extension Broker {
    mutating func requestInterpreter(
        _ connection: ConnectionID, _ identity: Identity, re: String?, session id: SessionID, languages: [String], shareHistory: Bool?,
        now: Date
    ) -> [BrokerAction] {
        guard identity.role == .officer || identity.role == .counsellor else {
            return [
                errorFrame(connection, FrameError(.forbidden, detail: "only officers and counsellors ask for interpreters", requestID: re))
            ]
        }
        let session: LiveSession
        switch memberSession(id, identity, re: re, allowSupervisor: false) {
        case .failure(let error): return [errorFrame(connection, error)]
        case .success(let found): session = found
        }
        guard !tickets.tickets(of: identity.id).contains(where: { $0.session == id && $0.role == .interpreter }) else {
            return [
                errorFrame(connection, FrameError(.conflict, detail: "an interpreter is already requested for this session", requestID: re))
            ]
        }
        let ticket = TicketRecord(
            id: TicketID(ids.next(prefix: "t")), applicant: identity.id, service: session.record.service, language: languages[0],
            note: nil, createdAt: now, role: .interpreter, session: id, pairLanguage: languages[1],
            shareHistory: shareHistory ?? configuration.shareHistoryWithInterpreters)
        return [storeRequest(.openTicket(ticket), then: .ticketOpened(connection, re: re, ticket))]
    }

    /// An interpreter leaves (or stayed away past the grace); the others carry on and may ask
    /// for another.
    mutating func interpreterLeaves(
        _ session: SessionID, _ interpreter: Identity, connection: ConnectionID?, re: String?, now: Date
    ) -> [BrokerAction] {
        let message = NewMessage.system(session, key: "session.left", args: ["name": .string(interpreter.name)], at: now)
        let change = MemberChange(session: session, leaving: [interpreter.id], messages: [message])
        return [storeRequest(.changeMembers(change), then: .membersChanged(change, re: re, connection: connection, restore: nil))]
    }

    /// The first seq `participant` may read in `session` (1 unless they joined without the history).
    func visibleFrom(_ members: [SessionMember], _ participant: ParticipantID) -> Int {
        members.filter { $0.id == participant }.compactMap(\.visibleFromSeq).max() ?? 1
    }

    /// A history window narrowed to what the reader may see: (afterSeq, limit, olderExist).
    func clampHistory(afterSeq: Int, limit: Int, backwards: Bool, visibleFrom: Int) -> (Int, Int, Bool?) {
        let floor = visibleFrom - 1
        let after = max(afterSeq, floor)
        let narrowed = max(0, limit - (after - afterSeq))
        return (after, narrowed, backwards ? after > floor : nil)
    }
}
