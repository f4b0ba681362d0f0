import Foundation

/// Tickets, staff availability, queue positions.
extension Broker {
    mutating func request(
        _ connection: ConnectionID, _ identity: Identity, re: String?, service: Service,
        language: String, note: String?, now: Date
    ) -> [BrokerAction] {
        guard identity.role == .applicant else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "only applicants open tickets", requestID: re))]
        }
        let hasOpenTicket = tickets.values.contains { $0.applicant == identity.id }
        let hasOpenSession = sessions.values.contains { $0.isMember(identity.id) && $0.record.service == service }
        guard !hasOpenTicket && !hasOpenSession else {
            return [errorFrame(connection, FrameError(.conflict, detail: "already waiting or in a session for this", requestID: re))]
        }
        let ticket = TicketRecord(
            id: TicketID(ids.next(prefix: "t")), applicant: identity.id, service: service,
            language: LanguageTag.normalise(language), note: note.map { String($0.prefix(500)) }, createdAt: now)
        return [storeRequest(.openTicket(ticket), then: .ticketOpened(connection, re: re, ticket))]
    }

    mutating func ticketStored(_ connection: ConnectionID, re: String?, _ ticket: TicketRecord, _ result: StoreResult, now: Date)
        -> [BrokerAction]
    {
        guard case .done = result else {
            return [errorFrame(connection, FrameError(.unavailable, detail: "ticket not stored; retry", requestID: re))]
        }
        tickets[ticket.id] = ticket
        var actions: [BrokerAction] = []
        if connections[connection] != nil {
            let locale = connections[connection]!.locale
            var frame = ticketJSON(ticket, locale: locale).objectValue ?? [:]
            frame["type"] = "queued"
            actions.append(reply(connection, re: re, frame))
        }
        actions += route(now: now)
        return actions
    }

    mutating func cancel(_ connection: ConnectionID, _ identity: Identity, re: String?, ticket id: TicketID, now: Date) -> [BrokerAction] {
        guard let ticket = tickets[id] else {
            return [errorFrame(connection, FrameError(.not_found, detail: "no such waiting ticket", requestID: re))]
        }
        guard ticket.applicant == identity.id else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "not your ticket", requestID: re))]
        }
        tickets[id] = nil
        var actions = [storeRequest(.updateTicket(id, .cancelled), then: .nothing)]
        let locale = connections[connection]?.locale ?? localizer.negotiator.defaultLocale
        actions.append(
            reply(
                connection, re: re,
                [
                    "type": "cancelled", "ticket": .string(id.rawValue),
                    "text": .string(localizer.render("queue.cancelled", locale: locale)),
                ]))
        actions += queueUpdates(for: QueueKey(service: ticket.service, language: ticket.language))
        return actions
    }

    mutating func setStatus(_ connection: ConnectionID, _ identity: Identity, re: String?, availability: Availability, now: Date)
        -> [BrokerAction]
    {
        guard identity.role.isStaff else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "only staff set availability", requestID: re))]
        }
        staff[identity.id]?.availability = availability
        var actions = [reply(connection, re: re, ["type": "status", "availability": .string(availability.rawValue)])]
        actions += route(now: now)
        return actions
    }

    /// The ticket as the applicant sees it: where they stand, how long, in their words.
    func ticketJSON(_ ticket: TicketRecord, locale: String) -> JSONValue {
        let (position, wait) = standing(of: ticket)
        let text = localizer.render(
            "queue.position", ["position": JSONValue(position), "wait_minutes": JSONValue(Int((Double(wait) / 60).rounded(.up)))],
            locale: locale)
        return .object([
            "ticket": .string(ticket.id.rawValue), "service": .string(ticket.service.rawValue),
            "language": .string(ticket.language), "position": JSONValue(position),
            "estimated_wait_s": JSONValue(wait), "text": .string(text),
        ])
    }

    /// Position in its queue (1 = next) and estimated wait in seconds: the tickets ahead
    /// times the queue's recent handling time, shared among the staff who could serve it.
    func standing(of ticket: TicketRecord) -> (position: Int, waitSeconds: Int) {
        let key = QueueKey(service: ticket.service, language: ticket.language)
        let ahead = queued(key).prefix { $0.id != ticket.id }.count
        let servers = max(1, staff.values.filter { canServe($0, key) && online[$0.identity.id] != nil }.count)
        let wait = Double(ahead + 1) * handlingTimes.seconds(for: key) / Double(servers)
        return (ahead + 1, Int(wait.rounded()))
    }

    /// A queue's tickets in service order: priority first, then longest waiting.
    func queued(_ key: QueueKey) -> [TicketRecord] {
        tickets.values.filter { $0.service == key.service && $0.language == key.language }.sorted(by: Self.serviceOrder)
    }

    static func serviceOrder(_ a: TicketRecord, _ b: TicketRecord) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
        return a.id.rawValue < b.id.rawValue
    }

    func canServe(_ member: StaffState, _ key: QueueKey) -> Bool {
        configuration.routing.serves(member.identity.role, key.service) && member.identity.speaks(key.language)
    }

    /// Pushes `queue.update` to every applicant waiting in this queue.
    func queueUpdates(for key: QueueKey) -> [BrokerAction] {
        var actions: [BrokerAction] = []
        for ticket in queued(key) {
            actions += broadcast(to: [ticket.applicant]) { locale in
                var frame = ticketJSON(ticket, locale: locale).objectValue ?? [:]
                frame["type"] = "queue.update"
                return .object(JSONObject([("type", "queue.update")] + frame.pairs.filter { $0.0 != "type" }))
            }
        }
        return actions
    }
}
