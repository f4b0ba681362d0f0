import Foundation
import JembatanText

/// `transfer`: a session changes hands and keeps its id, so its history goes with it.
extension Broker {
    mutating func transfer(
        _ connection: ConnectionID, _ identity: Identity, re: String?, session id: SessionID, to target: TransferTarget,
        note: String? = nil,
        now: Date
    ) -> [BrokerAction] {
        guard let session = sessions[id], !session.opening else {
            return [errorFrame(connection, FrameError(.not_found, detail: "no such open session", requestID: re))]
        }
        let handlesCases = identity.role == .officer || identity.role == .counsellor
        guard (handlesCases && session.isMember(identity.id)) || identity.role == .supervisor else {
            return [
                errorFrame(
                    connection, FrameError(.forbidden, detail: "only the session's officer or counsellor transfers it", requestID: re))
            ]
        }
        guard let applicant = session.activeMembers.first(where: { $0.role == .applicant }),
            !tickets.tickets(of: applicant.id).contains(where: { $0.session == id })
        else {
            return [
                errorFrame(
                    connection, FrameError(.conflict, detail: "the session has no applicant or is already being transferred", requestID: re)
                )
            ]
        }
        // The case handlers hand over; an interpreter stays with the applicant.
        let leaving = session.activeMembers.filter { $0.role == .officer || $0.role == .counsellor }.map(\.id)
        // A handover note goes first, staff only, so the next person reads it with the history.
        var handover: [NewMessage] = []
        if let note {
            switch sanitized(note, re: re) {
            case .failure(let error): return [errorFrame(connection, error)]
            case .success(let text):
                handover.append(
                    NewMessage(
                        session: id, sender: identity.id, senderRole: identity.role, kind: .text, text: text,
                        dir: TextSanitizer.baseDirection(of: text).rawValue, lang: nil, createdAt: now, staffOnly: true))
            }
        }
        switch target {
        case .person(let person):
            return transferToPerson(connection, identity, re: re, session, person, leaving: leaving, handover: handover, now: now)
        case .team(let role, let language, let service):
            let ticket = TicketRecord(
                id: TicketID(ids.next(prefix: "t")), applicant: applicant.id, service: service ?? session.record.service,
                language: language ?? session.record.language, note: nil, priority: 1, createdAt: session.record.openedAt,
                role: role, session: id, excludedStaff: session.excludedStaff)
            let message = NewMessage.system(
                id, key: "session.transferred", args: ["name": .string(identity.name), "role": .string(role.rawValue)], at: now)
            let change = MemberChange(session: id, leaving: leaving, messages: handover + [message], openTicket: ticket)
            return [storeRequest(.changeMembers(change), then: .membersChanged(change, re: re, connection: connection, restore: nil))]
        }
    }

    private mutating func transferToPerson(
        _ connection: ConnectionID, _ identity: Identity, re: String?, _ session: LiveSession, _ person: ParticipantID,
        leaving: [ParticipantID], handover: [NewMessage], now: Date
    ) -> [BrokerAction] {
        guard let member = staff[person], member.identity.role == .officer || member.identity.role == .counsellor else {
            return [errorFrame(connection, FrameError(.not_found, detail: "no such officer or counsellor", requestID: re))]
        }
        guard !session.isMember(person), session.excludedStaff != person else {
            return [errorFrame(connection, FrameError(.conflict, detail: "already in the session", requestID: re))]
        }
        guard online[person] != nil, member.hasRoom else {
            return [
                errorFrame(connection, FrameError(.unavailable, key: "error.no_room", detail: "not online or at capacity", requestID: re))
            ]
        }
        reserve(person, for: session.record.id, now: now)
        let id = session.record.id
        let message = NewMessage.system(
            id, key: "session.transferred.to", args: ["name": .string(identity.name), "to_name": .string(member.identity.name)], at: now)
        let change = MemberChange(
            session: id, leaving: leaving, joining: [SessionMember(member.identity, joinedAt: now)],
            messages: handover + [message, joinedMessage(id, member.identity, at: now)])
        return [storeRequest(.changeMembers(change), then: .membersChanged(change, re: re, connection: connection, restore: nil))]
    }

    /// Routing gave a transferred session's ticket to a staff member: they join it.
    mutating func joinTransferred(_ ticket: TicketRecord, staff staffID: ParticipantID, now: Date) -> [BrokerAction] {
        tickets[ticket.id] = nil
        overdue.remove(ticket.id)
        guard let id = ticket.session, sessions[id] != nil, let member = staff[staffID] else {
            return [storeRequest(.updateTicket(ticket.id, .cancelled), then: .nothing)]
        }
        reserve(staffID, for: id, now: now)
        let change = MemberChange(
            session: id, joining: [SessionMember(member.identity, joinedAt: now)], messages: [joinedMessage(id, member.identity, at: now)],
            assignTicket: ticket.id, hideEarlierHistory: !ticket.shareHistory)
        return [storeRequest(.changeMembers(change), then: .membersChanged(change, re: nil, connection: nil, restore: ticket))]
    }

    /// Counts the session against the staff member's capacity before the commit, so nobody
    /// else can fill the same place meanwhile.
    mutating func reserve(_ staffID: ParticipantID, for session: SessionID, now: Date) {
        staff[staffID]?.sessions.insert(session)
        staff[staffID]?.lastAssignedAt = now
        refreshStaff(staffID)
    }

    /// After the commit: members change in memory, everyone hears of it, a team transfer queues.
    mutating func membersChanged(
        _ change: MemberChange, re: String?, connection: ConnectionID?, restore: TicketRecord?, _ result: StoreResult, now: Date
    ) -> [BrokerAction] {
        guard case .membersChanged(let messages) = result, var session = sessions[change.session] else {
            for member in change.joining where member.role.isStaff {
                staff[member.id]?.sessions.remove(change.session)
                refreshStaff(member.id)
            }
            if let restore, sessions[change.session] != nil { tickets[restore.id] = restore }
            guard let connection, connections[connection] != nil else { return route(now: now) }
            return [errorFrame(connection, storeError(result, requestID: re))] + route(now: now)
        }
        let audience = session.activeMembers.map(\.id)
        let leavers = session.activeMembers.filter { change.leaving.contains($0.id) }
        for index in session.members.indices where change.leaving.contains(session.members[index].id) {
            session.members[index].leftAt = now
        }
        let firstSeq = messages.first?.seq
        session.members += change.joining.map { member in
            var member = member
            if change.hideEarlierHistory { member.visibleFromSeq = firstSeq }
            return member
        }
        session.record.lastSeq = max(session.record.lastSeq, messages.last?.seq ?? 0)
        sessions[change.session] = session
        for id in change.leaving {
            staff[id]?.sessions.remove(change.session)
            refreshStaff(id)
        }
        var actions: [BrokerAction] = []
        for stored in messages {
            for participant in audience {
                for id in connectionIDs(of: participant) { actions += deliver(stored, to: id) }
            }
        }
        let sessionID = JSONValue.string(change.session.rawValue)
        for member in leavers {
            actions += broadcast(to: audience) { _ in
                .object(["type": "participant.left", "session": sessionID, "participant": Self.memberJSON(member)])
            }
        }
        for member in change.joining {
            actions += broadcast(to: audience.filter { !change.leaving.contains($0) }) { _ in
                .object(["type": "participant.joined", "session": sessionID, "participant": Self.memberJSON(member)])
            }
        }
        // Joiners get the session, then what they may read of it so far (this change included).
        actions += broadcast(to: change.joining.map(\.id)) { _ in
            .object(["type": "session.started", "session": Self.sessionSummary(session)])
        }
        for member in change.joining {
            guard let identity = staff[member.id]?.identity else { continue }
            for id in connectionIDs(of: member.id) {
                actions += startReplay(id, identity, ResumePoint(session: change.session, afterSeq: 0))
            }
        }
        if let connection, connections[connection] != nil {
            let done = change.joining.isEmpty && change.openTicket == nil ? "left" : "transferred"
            actions.append(Self.reply(connection, re: re, ["type": .string(done), "session": sessionID]))
        }
        if let ticket = change.openTicket {
            tickets[ticket.id] = ticket
            actions += queueUpdates(for: QueueKey(ticket))
        }
        actions += route(now: now)
        return actions
    }
}
