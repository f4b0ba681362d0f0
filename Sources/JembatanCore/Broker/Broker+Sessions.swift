import Foundation

/// Opening and closing sessions.
extension Broker {
    /// Carries out a routing decision: a new session, or a transferred one joined.
    mutating func assign(_ assignment: Assignment, now: Date) -> [BrokerAction] {
        if assignment.ticket.session != nil { return joinTransferred(assignment.ticket, staff: assignment.staff, now: now) }
        return openSession(for: assignment.ticket, with: assignment.staff, interpreter: assignment.interpreter, now: now)
    }

    /// Reserves the staff member's capacity and the ticket at once (so neither is offered
    /// twice), then stores the session; `session.started` goes out after the commit.
    mutating func openSession(for ticket: TicketRecord, with staffID: ParticipantID, interpreter: ParticipantID? = nil, now: Date)
        -> [BrokerAction]
    {
        guard let member = staff[staffID] else { return [] }
        let sessionID = SessionID(ids.next(prefix: "s"))
        tickets[ticket.id] = nil
        overdue.remove(ticket.id)
        let applicant =
            knownIdentity(ticket.applicant) ?? Identity(id: ticket.applicant, role: .applicant, name: "", langs: [ticket.language])
        let record = SessionRecord(id: sessionID, ticket: ticket.id, service: ticket.service, language: ticket.language, openedAt: now)
        var members = [SessionMember(applicant, joinedAt: now), SessionMember(member.identity, joinedAt: now)]
        var messages: [NewMessage] = []
        if let left = ticket.leftMessage {
            // What the applicant left while waiting opens the conversation, at the time they wrote it.
            messages.append(
                NewMessage(
                    session: sessionID, sender: ticket.applicant, senderRole: .applicant, kind: .text, text: left.text, dir: left.dir,
                    lang: ticket.language, createdAt: left.at))
        }
        messages.append(joinedMessage(sessionID, member.identity, at: now))
        for id in [staffID] + (interpreter.map { [$0] } ?? []) {
            staff[id]?.sessions.insert(sessionID)
            staff[id]?.lastAssignedAt = now
            refreshStaff(id)
        }
        if let interpreter, let identity = staff[interpreter]?.identity {
            members.append(SessionMember(identity, joinedAt: now))
            messages.append(joinedMessage(sessionID, identity, at: now))
        }
        sessions[sessionID] = LiveSession(
            record: record, members: members, opening: true, origin: ticket, excludedStaff: ticket.excludedStaff)
        return [storeRequest(.openSession(record, members: members, messages: messages), then: .sessionOpened(sessionID))]
    }

    /// The system message for someone joining: interpreters say what they are there for.
    func joinedMessage(_ session: SessionID, _ identity: Identity, at date: Date) -> NewMessage {
        if identity.role == .interpreter {
            return NewMessage.system(session, key: "session.interpreter", args: ["name": .string(identity.name)], at: date)
        }
        return NewMessage.system(
            session, key: "session.joined", args: ["name": .string(identity.name), "role": .string(identity.role.rawValue)], at: date)
    }

    func knownIdentity(_ id: ParticipantID) -> Identity? {
        for connection in online[id] ?? [] {
            if let identity = connections[connection]?.identity { return identity }
        }
        return nil
    }

    mutating func sessionStored(_ id: SessionID, _ result: StoreResult, now: Date) -> [BrokerAction] {
        guard var session = sessions[id] else { return [] }
        guard case .sessionOpened(let messages) = result else {
            // Not stored: give the ticket back to the queue and free the staff member.
            sessions[id] = nil
            releaseStaff(of: session)
            if let ticket = session.origin { tickets[ticket.id] = ticket }
            if var interview = session.interview {
                interview.session = nil
                interviews[interview.id] = interview  // tried again at the next tick
            }
            return []
        }
        session.opening = false
        session.origin = nil
        session.interview = nil
        session.record.lastSeq = messages.last?.seq ?? 0
        sessions[id] = session
        var actions = broadcast(to: session.activeMembers.map(\.id)) { _ in
            .object(["type": "session.started", "session": Self.sessionSummary(session)])
        }
        for message in messages { actions += deliver(message, in: session) }
        return actions
    }

    mutating func close(_ connection: ConnectionID, _ identity: Identity, re: String?, session id: SessionID, reason: String, now: Date)
        -> [BrokerAction]
    {
        guard let session = sessions[id], !session.opening else {
            return [errorFrame(connection, FrameError(.not_found, detail: "no such open session", requestID: re))]
        }
        // The applicant, the case handlers and supervisors end a session; an interpreter leaves it.
        guard (session.isMember(identity.id) && identity.role != .interpreter) || identity.role == .supervisor else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "not a participant of this session", requestID: re))]
        }
        let code = Self.closeReasons.contains(reason) ? reason : "other"
        let message = NewMessage.system(
            id, key: "session.closed.by", args: ["name": .string(identity.name), "reason": .string(code)], at: now)
        return [
            storeRequest(
                .closeSession(id, reason: code, message: message), then: .sessionClosed(id, by: identity.id, re: re, connection: connection)
            )
        ]
    }

    static let closeReasons: Set<String> = ["resolved", "abandoned", "transferred", "other"]

    /// An applicant who leaves ends the session; an interpreter leaves and the session goes on;
    /// officers and counsellors hand over with `transfer` or end it with `close`.
    mutating func leave(_ connection: ConnectionID, _ identity: Identity, re: String?, session: SessionID, now: Date) -> [BrokerAction] {
        if identity.role == .interpreter {
            switch memberSession(session, identity, re: re, allowSupervisor: false) {
            case .failure(let error): return [errorFrame(connection, error)]
            case .success: return interpreterLeaves(session, identity, connection: connection, re: re, now: now)
            }
        }
        guard identity.role == .applicant else {
            return [
                errorFrame(
                    connection, FrameError(.conflict, detail: "officers and counsellors transfer or close the session", requestID: re))
            ]
        }
        return close(connection, identity, re: re, session: session, reason: "abandoned", now: now)
    }

    mutating func sessionClosed(
        _ id: SessionID, by closer: ParticipantID, re: String?, connection: ConnectionID, _ result: StoreResult, now: Date
    ) -> [BrokerAction] {
        guard var session = sessions[id] else { return [] }
        guard case .sessionClosed(let message) = result else {
            return [errorFrame(connection, storeError(result, requestID: re))]
        }
        session.record.state = .closed
        session.record.closedAt = message.message.createdAt
        session.record.closeReason = message.message.templateArgs?["reason"]?.stringValue
        session.record.lastSeq = message.seq
        var actions = deliver(message, in: session)
        let closerName = session.members.first { $0.id == closer }?.name ?? knownIdentity(closer)?.name ?? ""
        let reason = session.record.closeReason ?? "other"
        actions += broadcast(to: session.activeMembers.map(\.id)) { locale in
            var frame: JSONObject = ["type": "session.closed", "session": .string(id.rawValue)]
            frame["by"] = .object(["id": .string(closer.rawValue), "name": .string(closerName)])
            frame["reason"] = .string(reason)
            // (An addition) the applicant may rate the session until then.
            frame["feedback_until"] = .string(
                Timestamp.format(message.message.createdAt.addingTimeInterval(configuration.feedbackWindowSeconds)))
            frame["text"] = .string(localizer.render("session.closed", ["reason": .string(reason)], locale: locale))
            return .object(frame)
        }
        if connections[connection] != nil, let re {
            actions.append(Self.reply(connection, re: re, ["type": "closed", "session": .string(id.rawValue)]))
        }
        sessions[id] = nil
        releaseStaff(of: session)
        if configuration.ratingsVisibleToStaff {
            closedSessionStaff[id] = session.members.filter { Self.handlesCases($0.role) }.map(\.id)
            closedOrder.append(id)
            if closedOrder.count > 10_000 { closedSessionStaff[closedOrder.removeFirst()] = nil }
        }
        // A transfer still waiting for a team has nothing left to join.
        // Its waiting transfer or interpreter request too (owned by the applicant or the staff member).
        for owner in Set(session.members.map(\.id)) {
            for ticket in tickets.tickets(of: owner) where ticket.session == id {
                tickets[ticket.id] = nil
                actions.append(storeRequest(.updateTicket(ticket.id, .cancelled), then: .nothing))
            }
        }
        let key = QueueKey(service: session.record.service, language: session.record.language)
        handlingTimes.record(now.timeIntervalSince(session.record.openedAt), for: key)
        // The queue's estimate moved with its handling time: its applicants hear it.
        actions += route(now: now, alsoUpdate: [key])
        return actions
    }

    /// Frees the capacity its staff members (interpreters too) held for the session.
    mutating func releaseStaff(of session: LiveSession) {
        for member in session.members where member.role.isStaff {
            staff[member.id]?.sessions.remove(session.record.id)
            refreshStaff(member.id)
        }
    }

    func storeError(_ result: StoreResult, requestID: String?) -> FrameError {
        guard case .failed(let failure) = result else {
            return FrameError(.internal, detail: "unexpected store result", requestID: requestID)
        }
        switch failure.kind {
        case .notFound: return FrameError(.not_found, detail: failure.detail, requestID: requestID)
        case .conflict: return FrameError(.conflict, key: "error.session_closed", detail: failure.detail, requestID: requestID)
        case .badReference: return FrameError(.bad_request, detail: failure.detail, requestID: requestID)
        case .unavailable: return FrameError(.unavailable, detail: "not stored; retry with the same client_msg_id", requestID: requestID)
        }
    }
}
