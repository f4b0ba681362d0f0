import Foundation

/// Grace periods for dropped connections, run by a periodic `tick` from the server.
extension Broker {
    /// Called about once a second. Staff gone longer than their grace lose their sessions to
    /// the front of the queue; applicants gone longer than theirs lose their place.
    public mutating func tick(now: Date) -> [BrokerAction] {
        var actions: [BrokerAction] = []
        // After a restart nobody is connected yet: their grace starts at the first tick.
        for member in staff.values where !member.sessions.isEmpty && online[member.identity.id] == nil {
            if offlineSince[member.identity.id] == nil { offlineSince[member.identity.id] = now }
        }
        for ticket in tickets.values where online[ticket.applicant] == nil && offlineSince[ticket.applicant] == nil {
            offlineSince[ticket.applicant] = now
        }
        for (participant, since) in offlineSince.sorted(by: { $0.value < $1.value }) {
            // Connected to another node (cluster): not gone. Their grace starts when they are.
            if remotePresence[participant] != nil && !isLocal(participant) {
                offlineSince[participant] = nil
                continue
            }
            if let member = staff[participant] {
                guard now.timeIntervalSince(since) >= configuration.staffGraceSeconds else { continue }
                offlineSince[participant] = nil
                for id in member.sessions.sorted(by: { $0.rawValue < $1.rawValue }) {
                    guard let session = sessions[id], !session.opening else { continue }
                    // An interpreter's absence does not end the conversation: they leave it.
                    if member.identity.role == .interpreter {
                        actions += interpreterLeaves(id, member.identity, connection: nil, re: nil, now: now)
                        continue
                    }
                    let message = NewMessage.system(
                        id, key: "session.closed.by", args: ["name": .string(member.identity.name), "reason": "transferred"], at: now)
                    actions.append(
                        storeRequest(
                            .closeSession(id, reason: "transferred", message: message), then: .sessionRequeued(id, staff: participant)))
                }
            } else {
                guard now.timeIntervalSince(since) >= configuration.applicantGraceSeconds else { continue }
                offlineSince[participant] = nil
                // A message left for staff, or a transferred session, waits for them regardless.
                for ticket in tickets.tickets(of: participant) where ticket.leftMessage == nil && ticket.session == nil {
                    tickets[ticket.id] = nil
                    overdue.remove(ticket.id)
                    actions.append(storeRequest(.updateTicket(ticket.id, .cancelled), then: .nothing))
                    actions += queueUpdates(for: QueueKey(ticket))
                }
            }
        }
        actions += tellOverdue(now: now)
        actions += openDueInterviews(now: now)
        return actions
    }

    /// After the close commits: the applicant gets a new ticket ahead of ordinary ones,
    /// dated from the session's start so it is served first.
    mutating func sessionRequeued(_ id: SessionID, staff staffID: ParticipantID, _ result: StoreResult, now: Date) -> [BrokerAction] {
        guard let session = sessions[id] else { return [] }
        var actions = sessionClosed(id, by: staffID, re: nil, connection: ConnectionID(0), result, now: now)
        guard case .sessionClosed = result, let applicant = session.members.first(where: { $0.role == .applicant }) else { return actions }
        let ticket = TicketRecord(
            id: TicketID(ids.next(prefix: "t")), applicant: applicant.id, service: session.record.service,
            language: session.record.language, note: nil, priority: 1, createdAt: session.record.openedAt,
            excludedStaff: session.excludedStaff)
        let connection = connectionIDs(of: applicant.id).first ?? ConnectionID(0)
        actions.append(storeRequest(.openTicket(ticket), then: .ticketOpened(connection, re: nil, ticket)))
        return actions
    }
}
