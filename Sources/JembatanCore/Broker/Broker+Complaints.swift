import Foundation
import JembatanText

/// Complaints as cases, and ratings after sessions.
extension Broker {
    /// `request` with `service: "complaint"`: a case (new, or the applicant's open one) and a
    /// ticket for the complaints team that never goes to the staff member it is about.
    mutating func complain(
        _ connection: ConnectionID, _ identity: Identity, re: String?, language: String, note: String?, about: ParticipantID?,
        caseNumber: String?, now: Date
    ) -> [BrokerAction] {
        guard identity.role == .applicant else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "only applicants open tickets", requestID: re))]
        }
        guard mayOpenTicket(identity.id, for: .complaint) else {
            return [errorFrame(connection, FrameError(.conflict, detail: "already waiting or in a session for this", requestID: re))]
        }
        let ticket = TicketRecord(
            id: TicketID(ids.next(prefix: "t")), applicant: identity.id, service: .complaint, language: LanguageTag.normalise(language),
            note: note.map { String($0.prefix(500)) }, createdAt: now, excludedStaff: about)
        let answerBy = configuration.hours.workingDays(
            configuration.complaintAnswerWorkingDays, after: now, officeTimeZone: localizer.timeZone)
        return [
            storeRequest(
                .openComplaint(ticket, answerBy: answerBy, continuing: caseNumber), then: .complaintOpened(connection, re: re, ticket))
        ]
    }

    mutating func complaintOpened(_ connection: ConnectionID, re: String?, _ ticket: TicketRecord, _ result: StoreResult, now: Date)
        -> [BrokerAction]
    {
        guard case .complaint(let complaint) = result else {
            return connections[connection] == nil ? [] : [errorFrame(connection, storeError(result, requestID: re))]
        }
        var ticket = ticket
        ticket.complaintCase = complaint.number
        ticket.excludedStaff = ticket.excludedStaff ?? complaint.about
        tickets[ticket.id] = ticket
        var actions: [BrokerAction] = []
        if let locale = connections[connection]?.locale {
            var frame = ticketJSON(ticket, locale: locale).objectValue ?? [:]
            frame["type"] = "queued"
            frame["case"] = .string(complaint.number)
            frame["first_answer_by"] = .string(complaint.answerBy)
            frame["case_text"] = .string(localizer.render("complaint.received", complaintArgs(complaint), locale: locale))
            actions.append(Self.reply(connection, re: re, frame))
        }
        return actions + route(now: now)
    }

    func complaintArgs(_ complaint: ComplaintCase) -> JSONObject {
        var args: JSONObject = ["case": .string(complaint.number), "complaint_status": .string(complaint.status.rawValue)]
        if let due = ReplyTemplates.officeDate(complaint.answerBy, dayOnly: true, timeZone: localizer.timeZone) {
            args["answer_by"] = .object(["date": .string(Timestamp.format(due))])
        }
        return args
    }

    /// The complaints team (the roles that serve `complaint`) moves a case on; the applicant hears.
    mutating func updateComplaint(
        _ connection: ConnectionID, _ identity: Identity, re: String?, number: String, status: ComplaintStatus, now: Date
    ) -> [BrokerAction] {
        guard configuration.routing.serves(identity.role, .complaint) else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "only the complaints team updates cases", requestID: re))]
        }
        return [
            storeRequest(
                .updateComplaint(number: number, status: status, by: identity.id, at: now), then: .complaintUpdated(connection, re: re))
        ]
    }

    func complaintUpdated(_ connection: ConnectionID, re: String?, _ result: StoreResult) -> [BrokerAction] {
        guard case .complaint(let complaint) = result else {
            return connections[connection] == nil ? [] : [errorFrame(connection, storeError(result, requestID: re))]
        }
        func frame(_ locale: String) -> JSONObject {
            [
                "type": "complaint.update", "case": .string(complaint.number), "status": .string(complaint.status.rawValue),
                "first_answer_by": .string(complaint.answerBy),
                "text": .string(localizer.render("complaint.updated", complaintArgs(complaint), locale: locale)),
            ]
        }
        var actions = broadcast(to: [complaint.applicant]) { .object(frame($0)) }
        if let locale = connections[connection]?.locale { actions.append(Self.reply(connection, re: re, frame(locale))) }
        return actions
    }

    mutating func feedback(
        _ connection: ConnectionID, _ identity: Identity, re: String?, session: SessionID, rating: Int, comment: String?, now: Date
    )
        -> [BrokerAction]
    {
        guard identity.role == .applicant else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "applicants rate their sessions", requestID: re))]
        }
        if let live = sessions[session] {
            // Rated after it closes; an open session is somebody's, and not to be rated yet.
            let error =
                live.isMember(identity.id)
                ? FrameError(.conflict, detail: "the session is still open", requestID: re)
                : FrameError(.forbidden, key: "error.not_in_session", detail: "not a participant of this session", requestID: re)
            return [errorFrame(connection, error)]
        }
        var text: String?
        if let comment {
            switch sanitized(comment, re: re) {
            case .failure(let error): return [errorFrame(connection, error)]
            case .success(let clean): text = String(clean.prefix(2000))
            }
        }
        let command = StoreCommand.submitFeedback(
            session, applicant: identity.id, rating: rating, comment: text, at: now, window: configuration.feedbackWindowSeconds)
        return [storeRequest(command, then: .feedbackStored(connection, re: re, session, rating: rating, comment: text))]
    }

    func feedbackStored(
        _ connection: ConnectionID, re: String?, _ session: SessionID, rating: Int, comment: String?, _ result: StoreResult
    ) -> [BrokerAction] {
        guard let locale = connections[connection]?.locale else { return [] }
        guard case .done = result else { return [errorFrame(connection, storeError(result, requestID: re))] }
        var actions: [BrokerAction] = []
        if configuration.ratingsVisibleToStaff, let staffIDs = closedSessionStaff[session] {
            var frame: JSONObject = ["type": "feedback.received", "session": .string(session.rawValue), "rating": JSONValue(rating)]
            frame["comment"] = JSONValue(comment)
            actions += broadcast(to: staffIDs) { _ in .object(frame) }
        }
        return actions + [
            Self.reply(
                connection, re: re,
                [
                    "type": "feedback", "session": .string(session.rawValue),
                    "text": .string(localizer.render("feedback.thanks", locale: locale)),
                ])
        ]
    }
}
