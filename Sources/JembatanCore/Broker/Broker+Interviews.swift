import Foundation

/// Interviews booked ahead: an interpreter reserved for the pair, no one double-booked, and
/// at the start time the session opens with the applicant, the staff member and the interpreter.
extension Broker {
    mutating func scheduleInterview(_ connection: ConnectionID, _ identity: Identity, re: String?, _ booking: InterviewBooking, now: Date)
        -> [BrokerAction]
    {
        func refuse(_ code: ErrorCode, _ key: String? = nil, _ detail: String) -> [BrokerAction] {
            [errorFrame(connection, FrameError(code, key: key, detail: detail, requestID: re))]
        }
        guard identity.role == .officer || identity.role == .counsellor else {
            return refuse(.forbidden, nil, "only staff book interviews")
        }
        guard booking.startsAt > now, booking.startsAt.timeIntervalSince(now) < 366 * 86400 else {
            return refuse(.bad_request, nil, "'at' must be in the future, within a year")
        }
        guard booking.applicant != identity.id else { return refuse(.bad_request, nil, "'applicant' must be someone else") }
        var slot = InterviewRecord(
            id: InterviewID(""), service: booking.service, applicant: booking.applicant, staff: identity.id, interpreter: ParticipantID(""),
            languages: booking.languages, startsAt: booking.startsAt, durationSeconds: booking.durationMinutes * 60, createdAt: now)
        guard withinOpeningHours(slot) else { return refuse(.unavailable, "error.outside_hours", "the slot is outside opening hours") }
        let overlapping = interviews.values.filter { $0.overlaps(slot) }
        guard !overlapping.contains(where: { $0.involves(identity.id) || $0.involves(booking.applicant) }) else {
            return refuse(.conflict, "error.already_booked", "the staff member or the applicant is already booked then")
        }
        let pool = directory.values.filter {
            $0.role == .interpreter && $0.speaks(booking.languages[0]) && $0.speaks(booking.languages[1])
                && (booking.interpreter == nil || booking.interpreter == $0.id)
        }
        let free = pool.filter { person in !overlapping.contains { $0.involves(person.id) } }
        // The interpreter with the fewest bookings takes it (then by id, for a stable choice).
        let load = Dictionary(grouping: interviews.values, by: \.interpreter).mapValues(\.count)
        guard let chosen = free.min(by: { (load[$0.id] ?? 0, $0.id.rawValue) < (load[$1.id] ?? 0, $1.id.rawValue) }) else {
            return refuse(.conflict, "error.no_interpreter", "no interpreter for that pair is free then")
        }
        slot.id = InterviewID(ids.next(prefix: "iv"))
        slot.interpreter = chosen.id
        interviews[slot.id] = slot  // held while it is stored, so nobody books over it
        return [storeRequest(.bookInterview(slot), then: .interviewBooked(connection, re: re, slot))]
    }

    mutating func interviewBooked(_ connection: ConnectionID, re: String?, _ interview: InterviewRecord, _ result: StoreResult)
        -> [BrokerAction]
    {
        guard case .done = result else {
            interviews[interview.id] = nil
            return connections[connection] == nil ? [] : [errorFrame(connection, storeError(result, requestID: re))]
        }
        return announce(interview, type: "interview.scheduled", key: "interview.scheduled", connection: connection, re: re)
    }

    mutating func cancelInterview(_ connection: ConnectionID, _ identity: Identity, re: String?, _ id: InterviewID, now: Date)
        -> [BrokerAction]
    {
        guard let interview = interviews[id] else {
            return [errorFrame(connection, FrameError(.not_found, detail: "no such booked interview", requestID: re))]
        }
        guard interview.staff == identity.id || identity.role == .supervisor else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "only who booked it cancels it", requestID: re))]
        }
        interviews[id] = nil
        return [storeRequest(.cancelInterview(id), then: .interviewCancelled(connection, re: re, interview))]
    }

    mutating func interviewCancelled(_ connection: ConnectionID, re: String?, _ interview: InterviewRecord, _ result: StoreResult)
        -> [BrokerAction]
    {
        guard case .done = result else {
            interviews[interview.id] = interview
            return connections[connection] == nil ? [] : [errorFrame(connection, storeError(result, requestID: re))]
        }
        return announce(interview, type: "interview.cancelled", key: "interview.cancelled", connection: connection, re: re)
    }

    /// The reply to who asked, and the same news to the interview's other people, each in
    /// their own locale (times in the office's time zone).
    func announce(_ interview: InterviewRecord, type: String, key: String, connection: ConnectionID, re: String?) -> [BrokerAction] {
        func frame(_ locale: String) -> JSONObject {
            var frame = interviewJSON(interview, locale: locale, key: key).objectValue ?? [:]
            frame["type"] = .string(type)
            return JSONObject([("type", .string(type))] + frame.pairs.filter { $0.0 != "type" })
        }
        var actions: [BrokerAction] = []
        if let locale = connections[connection]?.locale { actions.append(Self.reply(connection, re: re, frame(locale))) }
        let requester: ParticipantID? = connections[connection]?.identity?.id
        let people: [ParticipantID] = [interview.applicant, interview.staff, interview.interpreter]
        let others = people.filter { $0 != requester }
        actions += broadcast(to: others) { .object(frame($0)) }
        return actions
    }

    func interviewJSON(_ interview: InterviewRecord, locale: String, key: String = "interview.scheduled") -> JSONValue {
        func person(_ id: ParticipantID) -> JSONValue {
            directory[id].map(Self.identityJSON) ?? .object(["id": .string(id.rawValue)])
        }
        let when: JSONValue = .object(["date": .string(Timestamp.format(interview.startsAt))])
        let args: JSONObject = [
            "when": when, "minutes": JSONValue(interview.durationSeconds / 60),
            "interpreter": .string(directory[interview.interpreter]?.name ?? interview.interpreter.rawValue),
        ]
        var object: JSONObject = [
            "interview": .string(interview.id.rawValue), "at": .string(Timestamp.format(interview.startsAt)),
            "duration_min": JSONValue(interview.durationSeconds / 60), "service": .string(interview.service.rawValue),
            "languages": .array(interview.languages.map(JSONValue.string)),
            "applicant": person(interview.applicant), "staff": person(interview.staff), "interpreter": person(interview.interpreter),
        ]
        object["text"] = .string(localizer.render(key, args, locale: locale))
        if let session = interview.session { object["session"] = .string(session.rawValue) }
        return .object(object)
    }

    /// Every quarter hour of the slot, and its last minute, falls in the service's hours.
    func withinOpeningHours(_ slot: InterviewRecord) -> Bool {
        let hours = configuration.hours
        guard hours.hasHours(slot.service) else { return true }
        var probes = stride(from: 0, to: slot.durationSeconds, by: 900).map { slot.startsAt.addingTimeInterval(Double($0)) }
        probes.append(slot.endsAt.addingTimeInterval(-60))
        return probes.allSatisfy { hours.isOpen(slot.service, at: $0) }
    }

    /// Called from `tick`: interviews whose time has come open their session, whoever is online.
    /// A booked interview opens even if its staff member is at capacity (it was promised); queue
    /// tickets wait until they are below it again.
    mutating func openDueInterviews(now: Date) -> [BrokerAction] {
        var actions: [BrokerAction] = []
        for interview in interviews.values.filter({ $0.startsAt <= now }).sorted(by: {
            ($0.startsAt, $0.id.rawValue) < ($1.startsAt, $1.id.rawValue)
        }) {
            interviews[interview.id] = nil
            let sessionID = SessionID(ids.next(prefix: "s"))
            let record = SessionRecord(
                id: sessionID, ticket: nil, service: interview.service, language: interview.languages[0], openedAt: now)
            let people = [interview.applicant, interview.staff, interview.interpreter].map { id in
                directory[id]
                    ?? Identity(
                        id: id, role: id == interview.interpreter ? .interpreter : (id == interview.staff ? .officer : .applicant),
                        name: "", langs: [])
            }
            let members = people.map { SessionMember($0, joinedAt: now) }
            var messages = [
                NewMessage.system(
                    sessionID, key: "interview.opened", args: ["when": .object(["date": .string(Timestamp.format(interview.startsAt))])],
                    at: now)
            ]
            messages += people.dropFirst().map { joinedMessage(sessionID, $0, at: now) }
            for person in people.dropFirst() {
                let capacity = configuration.defaultCapacity
                staff[person.id, default: StaffState(identity: person, capacity: capacity)].sessions.insert(sessionID)
                refreshStaff(person.id)
            }
            var opened = interview
            opened.session = sessionID
            sessions[sessionID] = LiveSession(record: record, members: members, opening: true, interview: opened)
            actions.append(
                storeRequest(.openInterview(interview.id, record, members: members, messages: messages), then: .sessionOpened(sessionID)))
        }
        return actions
    }
}
