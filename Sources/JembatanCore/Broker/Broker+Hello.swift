import Foundation
import JembatanText

/// `hello`: authentication, locale negotiation, `welcome` and resume.
extension Broker {
    mutating func hello(
        _ connection: ConnectionID, re: String?, token: String, locale: String?,
        resume: [ResumePoint], now: Date
    ) -> [BrokerAction] {
        guard connections[connection]?.identity == nil else {
            return [errorFrame(connection, FrameError(.conflict, detail: "already authenticated", requestID: re))]
        }
        guard var identity = verifier.verify(token, now: now), identity.role != .system else {
            let error = FrameError(.unauthorized, detail: "invalid or expired token", requestID: re)
            return [errorFrame(connection, error), .close(connection, .unauthenticated)]
        }
        // Names come from tokens and are shown to others: no hidden or reordering characters.
        identity.name = DisplayName.clean(identity.name)
        let negotiated = localizer.negotiate([locale, identity.locale])
        connections[connection]?.identity = identity
        connections[connection]?.locale = negotiated
        connections[connection]?.consecutiveErrors = 0
        online[identity.id, default: []].insert(connection)
        directory[identity.id] = identity
        offlineSince[identity.id] = nil
        if identity.role.isStaff {
            let capacity = min(configuration.limits.maxSessionsPerStaff, max(1, identity.capacity ?? configuration.defaultCapacity))
            var state = staff[identity.id] ?? StaffState(identity: identity, capacity: capacity)
            state.identity = identity
            state.capacity = capacity
            staff[identity.id] = state
            refreshStaff(identity.id)
        }

        var actions = [storeRequest(.saveParticipant(identity), then: .nothing)]
        if online[identity.id]?.count == 1 { actions += presenceRequest(identity) }
        let mine = sessions.of(identity.id).filter { !$0.opening }
            .sorted { $0.record.openedAt < $1.record.openedAt }
        var welcome: JSONObject = [
            "type": "welcome", "participant": Self.identityJSON(identity), "locale": .string(negotiated),
            "server_time": .string(Timestamp.format(now)), "sessions": .array(mine.map(Self.sessionSummary)),
        ]
        welcome["tickets"] = .array(
            tickets.tickets(of: identity.id).map { ticketJSON($0, locale: negotiated) })
        // (An addition) interviews booked for this person and not yet opened.
        let booked = interviews.values.filter { $0.involves(identity.id) }.sorted { $0.startsAt < $1.startsAt }
        if !booked.isEmpty { welcome["interviews"] = .array(booked.map { interviewJSON($0, locale: negotiated) }) }
        if let waiting = unseen[identity.id], !waiting.isEmpty {
            welcome["notifications"] = .array(waiting.map { .object(notificationJSON($0, locale: negotiated)) })
        }
        actions.append(Self.reply(connection, re: re, welcome))
        // A staff member's first connection shortens the waits of the queues they serve.
        if identity.role.isStaff, online[identity.id]?.count == 1 {
            actions += route(now: now, alsoUpdate: queuesServed(by: identity.id))
        }
        for point in resume {
            actions += startReplay(connection, identity, point)
        }
        return actions
    }

    /// Replays a session after `after_seq` before any live message of it reaches this connection.
    mutating func startReplay(_ connection: ConnectionID, _ identity: Identity, _ point: ResumePoint) -> [BrokerAction] {
        guard let session = sessions[point.session], session.isMember(identity.id) || identity.role == .supervisor else {
            let error = FrameError(.not_found, detail: "no such session to resume")
            return [errorFrame(connection, error)]
        }
        let afterSeq = max(point.afterSeq, visibleFrom(session.members, identity.id) - 1)
        connections[connection]?.replaying.insert(session.record.id)
        connections[connection]?.delivered[session.record.id] = afterSeq
        return [
            storeRequest(
                .history(session.record.id, afterSeq: afterSeq, limit: configuration.replayPageSize),
                then: .replay(connection, session.record.id))
        ]
    }

    mutating func finishReplay(_ connection: ConnectionID, _ session: SessionID, _ result: StoreResult) -> [BrokerAction] {
        guard connections[connection] != nil else { return [] }
        connections[connection]?.replaying.remove(session)
        guard case .history(let messages, let more) = result else {
            return [errorFrame(connection, FrameError(.unavailable, detail: "replay failed; resume again"))]
        }
        var actions: [BrokerAction] = []
        for message in messages { actions += deliver(message, to: connection) }
        if more, let last = messages.last {
            connections[connection]?.replaying.insert(session)
            actions.append(
                storeRequest(.history(session, afterSeq: last.seq, limit: configuration.replayPageSize), then: .replay(connection, session))
            )
        }
        return actions
    }
}
