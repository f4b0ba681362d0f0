import Foundation
import JembatanText

/// Tickets, staff availability, queue positions.
extension Broker {
    mutating func request(
        _ connection: ConnectionID, _ identity: Identity, re: String?, service: Service,
        language: String, note: String?, message: String?, now: Date
    ) -> [BrokerAction] {
        guard identity.role == .applicant else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "only applicants open tickets", requestID: re))]
        }
        guard mayOpenTicket(identity.id, for: service) else {
            return [errorFrame(connection, FrameError(.conflict, detail: "already waiting or in a session for this", requestID: re))]
        }
        var left: LeftMessage?
        if let message {
            switch sanitized(message, re: re) {
            case .failure(let error): return [errorFrame(connection, error)]
            case .success(let text): left = LeftMessage(text: text, dir: TextSanitizer.baseDirection(of: text).rawValue, at: now)
            }
        }
        // Closed: say when it opens. A message left for staff is accepted all the same.
        if left == nil, let refusal = outsideHours(connection, re: re, service: service, now: now) { return [refusal] }
        let ticket = TicketRecord(
            id: TicketID(ids.next(prefix: "t")), applicant: identity.id, service: service,
            language: LanguageTag.normalise(language), note: note.map { String($0.prefix(500)) }, createdAt: now, leftMessage: left)
        return [storeRequest(.openTicket(ticket), then: .ticketOpened(connection, re: re, ticket))]
    }

    /// Not waiting or in a session for this service already, and below the open-ticket limit
    /// (a transferred session's ticket does not count: the applicant did not ask for it).
    func mayOpenTicket(_ applicant: ParticipantID, for service: Service) -> Bool {
        let own = tickets.tickets(of: applicant).filter { $0.session == nil }
        return own.count < configuration.limits.maxOpenTicketsPerApplicant && !own.contains { $0.service == service }
            && !sessions.of(applicant).contains { $0.record.service == service }
    }

    mutating func ticketStored(_ connection: ConnectionID, re: String?, _ ticket: TicketRecord, _ result: StoreResult, now: Date)
        -> [BrokerAction]
    {
        guard case .done = result else {
            return [errorFrame(connection, FrameError(.unavailable, detail: "ticket not stored; retry", requestID: re))]
        }
        tickets[ticket.id] = ticket
        var actions: [BrokerAction] = []
        if connections[connection] != nil, ticket.session == nil || ticket.role == .interpreter {
            let locale = connections[connection]!.locale
            var frame = ticketJSON(ticket, locale: locale).objectValue ?? [:]
            frame["type"] = ticket.role == .interpreter ? "interpreter.queued" : "queued"
            actions.append(Self.reply(connection, re: re, frame))
        }
        actions += route(now: now)
        // A ticket ahead of others (a transfer, a re-queue) moves everyone behind it.
        if tickets[ticket.id] != nil && ticket.priority > 0 { actions += queueUpdates(for: QueueKey(ticket)) }
        return actions
    }

    mutating func cancel(_ connection: ConnectionID, _ identity: Identity, re: String?, ticket id: TicketID, now: Date) -> [BrokerAction] {
        guard let ticket = tickets[id] else {
            return [errorFrame(connection, FrameError(.not_found, detail: "no such waiting ticket", requestID: re))]
        }
        guard ticket.applicant == identity.id else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "not your ticket", requestID: re))]
        }
        guard ticket.session == nil || ticket.role == .interpreter else {
            return [
                errorFrame(connection, FrameError(.conflict, detail: "a transferred session: leave the session instead", requestID: re))
            ]
        }
        tickets[id] = nil
        overdue.remove(id)
        var actions = [storeRequest(.updateTicket(id, .cancelled), then: .nothing)]
        let locale = connections[connection]?.locale ?? localizer.negotiator.defaultLocale
        actions.append(
            Self.reply(
                connection, re: re,
                [
                    "type": "cancelled", "ticket": .string(id.rawValue),
                    "text": .string(localizer.render("queue.cancelled", locale: locale)),
                ]))
        actions += queueUpdates(for: QueueKey(ticket))
        return actions
    }

    mutating func setStatus(_ connection: ConnectionID, _ identity: Identity, re: String?, availability: Availability, now: Date)
        -> [BrokerAction]
    {
        guard identity.role.isStaff else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "only staff set availability", requestID: re))]
        }
        staff[identity.id]?.availability = availability
        refreshStaff(identity.id)
        var actions = [Self.reply(connection, re: re, ["type": "status", "availability": .string(availability.rawValue)])]
        actions += presenceRequest(identity)
        actions += route(now: now)
        return actions
    }

    /// The ticket as the applicant sees it: where they stand, how long, in their words.
    func ticketJSON(_ ticket: TicketRecord, position known: Int? = nil, locale: String, queue: QueueFacts? = nil) -> JSONValue {
        let key = QueueKey(ticket)
        let facts = queue ?? queueFacts(key)
        let position = known ?? tickets.position(of: ticket) ?? 1
        let wait = Int((Double(position) * facts.secondsPerPlace).rounded())
        let viaInterpreter = facts.viaInterpreter
        let args: JSONObject = ["position": JSONValue(position), "wait_minutes": JSONValue(Int((Double(wait) / 60).rounded(.up)))]
        var object: JSONObject = [
            "ticket": .string(ticket.id.rawValue), "service": .string(ticket.service.rawValue),
            "language": .string(ticket.language), "position": JSONValue(position), "estimated_wait_s": JSONValue(wait),
            "text": .string(localizer.render(viaInterpreter ? "queue.position.interpreter" : "queue.position", args, locale: locale)),
        ]
        if viaInterpreter { object["interpreter"] = true }
        if ticket.role == .interpreter, let pair = ticket.pairLanguage {
            object["kind"] = "interpreter"
            object["languages"] = .array([.string(ticket.language), .string(pair)])
        }
        if ticket.session != nil { object["session"] = .string(ticket.session!.rawValue) }
        if ticket.leftMessage != nil { object["message_left"] = true }
        if overdue.contains(ticket.id) {
            object["overdue"] = true
            object["can_leave_message"] = .bool(ticket.leftMessage == nil)
        }
        return .object(object)
    }

    /// What every ticket of a queue shares: whether it goes through an interpreter, and the
    /// wait per place ahead — the queue's recent handling time shared among the staff online
    /// who could serve it.
    struct QueueFacts {
        var viaInterpreter: Bool
        var secondsPerPlace: Double
    }

    func queueFacts(_ key: QueueKey) -> QueueFacts {
        let viaInterpreter = servedViaInterpreter(key)
        let servers = viaInterpreter ? presence.onlineCount(.interpreter, key.language) : onlineServers(key)
        let handling = handlingTimes.seconds(for: QueueKey(service: key.service, language: key.language))
        return QueueFacts(viaInterpreter: viaInterpreter, secondsPerPlace: handling / Double(max(1, servers)))
    }

    /// A queue's tickets in service order: priority first, then longest waiting.
    func queued(_ key: QueueKey) -> [TicketRecord] { tickets.queue(key) }

    static func serviceOrder(_ a: TicketRecord, _ b: TicketRecord) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
        return a.id.rawValue < b.id.rawValue
    }

    /// Pushes `queue.update` to every applicant waiting in this queue who is online.
    func queueUpdates(for key: QueueKey) -> [BrokerAction] {
        var actions: [BrokerAction] = []
        let facts = queueFacts(key)
        for (index, ticket) in queued(key).enumerated() where online[ticket.applicant] != nil {
            actions += broadcast(to: [ticket.applicant]) { locale in
                let frame = ticketJSON(ticket, position: index + 1, locale: locale, queue: facts).objectValue ?? [:]
                return .object(JSONObject([("type", "queue.update")] + frame.pairs))
            }
        }
        return actions
    }
}
