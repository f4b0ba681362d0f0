import Foundation
import JembatanText

/// Waiting honestly: opening hours, a maximum wait, and a message left instead of waiting.
extension Broker {
    /// Outside the service's opening hours: an `unavailable` error saying when it opens next.
    func outsideHours(_ connection: ConnectionID, re: String?, service: Service, now: Date) -> BrokerAction? {
        let hours = configuration.hours
        guard hours.hasHours(service), !hours.isOpen(service, at: now) else { return nil }
        let locale = connections[connection]?.locale ?? localizer.negotiator.defaultLocale
        var frame: JSONObject = ["type": "error", "code": .string(ErrorCode.unavailable.rawValue)]
        if let opens = hours.nextOpening(service, after: now) {
            let args: JSONObject = ["service": .string(service.rawValue), "opens_at": .object(["date": .string(Timestamp.format(opens))])]
            frame["message"] = .string(localizer.render("queue.closed", args, locale: locale))
            frame["opens_at"] = .string(Timestamp.format(opens))
        } else {
            frame["message"] = .string(localizer.render("queue.closed.never", ["service": .string(service.rawValue)], locale: locale))
        }
        frame["detail"] = "outside opening hours"
        frame["service"] = .string(service.rawValue)
        return Self.reply(connection, re: re, frame)
    }

    mutating func leaveMessage(_ connection: ConnectionID, _ identity: Identity, re: String?, ticket id: TicketID, text: String, now: Date)
        -> [BrokerAction]
    {
        guard let ticket = tickets[id] else {
            return [errorFrame(connection, FrameError(.not_found, detail: "no such waiting ticket", requestID: re))]
        }
        guard ticket.applicant == identity.id else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "not your ticket", requestID: re))]
        }
        guard ticket.leftMessage == nil, ticket.session == nil else {
            return [
                errorFrame(connection, FrameError(.conflict, detail: "a message is already left, or the session is open", requestID: re))
            ]
        }
        switch sanitized(text, re: re) {
        case .failure(let error):
            return [errorFrame(connection, error)]
        case .success(let clean):
            let left = LeftMessage(text: clean, dir: TextSanitizer.baseDirection(of: clean).rawValue, at: now)
            return [storeRequest(.leaveMessage(id, left), then: .messageLeft(connection, re: re, id, left))]
        }
    }

    mutating func messageLeft(_ connection: ConnectionID, re: String?, _ id: TicketID, _ left: LeftMessage, _ result: StoreResult)
        -> [BrokerAction]
    {
        guard case .done = result else {
            return connections[connection] == nil ? [] : [errorFrame(connection, storeError(result, requestID: re))]
        }
        guard var ticket = tickets[id] else {
            // Taken by staff while the message was being stored: it belongs in the session now.
            let error = FrameError(.conflict, detail: "the ticket was assigned meanwhile; send the message in the session", requestID: re)
            return connections[connection] == nil ? [] : [errorFrame(connection, error)]
        }
        ticket.leftMessage = left
        tickets[id] = ticket
        let locale = connections[connection]?.locale ?? localizer.negotiator.defaultLocale
        var frame = ticketJSON(ticket, locale: locale).objectValue ?? [:]
        frame["type"] = "message_left"
        frame["text"] = .string(localizer.render("queue.message_left", locale: locale))
        return connections[connection] == nil ? [] : [Self.reply(connection, re: re, frame)]
    }

    /// Tickets past the maximum wait: the applicant is told once, plainly, and offered to leave
    /// a message; the ticket keeps its place either way.
    mutating func tellOverdue(now: Date) -> [BrokerAction] {
        guard configuration.maxWaitSeconds > 0 else { return [] }
        var actions: [BrokerAction] = []
        let late = tickets.values.filter {
            !overdue.contains($0.id) && $0.leftMessage == nil && $0.session == nil
                && now.timeIntervalSince($0.createdAt) >= configuration.maxWaitSeconds
        }
        for ticket in late.sorted(by: Self.serviceOrder) {
            overdue.insert(ticket.id)
            let minutes = Int(now.timeIntervalSince(ticket.createdAt) / 60)
            actions += broadcast(to: [ticket.applicant]) { locale in
                var frame = ticketJSON(ticket, locale: locale).objectValue ?? [:]
                frame["text"] = .string(localizer.render("queue.overdue", ["wait_minutes": JSONValue(minutes)], locale: locale))
                return .object(JSONObject([("type", "queue.update")] + frame.pairs))
            }
        }
        return actions
    }
}
