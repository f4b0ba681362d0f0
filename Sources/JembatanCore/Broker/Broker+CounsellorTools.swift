import Foundation
import JembatanText

/// Counsellor tools: reply templates in each reader's language, private notes, outcomes with
/// follow-ups, and the staff member's own list of sessions.
extension Broker {
    /// Officers and counsellors: the people who handle an applicant's case.
    static func handlesCases(_ role: Role) -> Bool { role == .officer || role == .counsellor }

    /// Who may read a staff-only note: case handlers and supervisors, never applicants or interpreters.
    public static func readsNotes(_ role: Role?) -> Bool { role.map { handlesCases($0) || $0 == .supervisor } ?? false }

    mutating func listTemplates(_ connection: ConnectionID, _ identity: Identity, re: String?) -> [BrokerAction] {
        guard Self.handlesCases(identity.role) else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "reply templates are for staff", requestID: re))]
        }
        let locale = connections[connection]?.locale ?? localizer.negotiator.defaultLocale
        let mine = configuration.templates.replies.values.filter { $0.roles.contains(identity.role) }.sorted { $0.key < $1.key }
        let list = mine.map { template -> JSONValue in
            var types = JSONObject()
            for argument in template.arguments { types[argument.name] = .string(argument.type.rawValue) }
            return .object([
                "key": .string(template.key), "title": .string(localizer.render(ReplyTemplates.titleKey(template.key), locale: locale)),
                "args": .array(template.arguments.map { .string($0.name) }), "arg_types": .object(types),
            ])
        }
        return [Self.reply(connection, re: re, ["type": "templates", "templates": .array(list)])]
    }

    /// A `send` with `template`: checked, typed arguments; stored as key and arguments with the
    /// text each participant was shown.
    mutating func sendTemplate(
        _ connection: ConnectionID, _ identity: Identity, re: String?, _ session: LiveSession, _ message: OutgoingMessage, now: Date
    ) -> [BrokerAction] {
        guard let key = message.template, let template = configuration.templates.replies[key], template.roles.contains(identity.role)
        else {
            return [errorFrame(connection, FrameError(.bad_request, detail: "no such reply template for this role", requestID: re))]
        }
        let args: JSONObject
        switch ReplyTemplates.arguments(template, message.templateArgs ?? [:], timeZone: localizer.timeZone) {
        case .failure(let problem): return [errorFrame(connection, FrameError(.bad_request, detail: problem.description, requestID: re))]
        case .success(let checked): args = checked
        }
        var locales = Set([localizer.negotiate([session.record.language])])
        for member in session.activeMembers {
            for id in connectionIDs(of: member.id) { if let locale = connections[id]?.locale { locales.insert(locale) } }
        }
        var shown: [String: String] = [:]
        for locale in locales { shown[locale] = localizer.render(ReplyTemplates.patternKey(key), args, locale: locale) }
        let stored = NewMessage(
            session: session.record.id, sender: identity.id, senderRole: identity.role, kind: .template, templateKey: key,
            templateArgs: args, clientMessageID: message.clientMessageID, replyTo: message.replyTo, createdAt: now, shown: shown)
        return [storeRequest(.append(stored), then: .appended(connection, re: re))]
    }

    mutating func note(_ connection: ConnectionID, _ identity: Identity, re: String?, message: OutgoingMessage, now: Date) -> [BrokerAction]
    {
        guard Self.handlesCases(identity.role) else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "notes are for officers and counsellors", requestID: re))]
        }
        var note = message
        note.template = nil
        return send(connection, identity, re: re, message: note, staffOnly: true, now: now)
    }

    mutating func recordOutcome(
        _ connection: ConnectionID, _ identity: Identity, re: String?, session: SessionID, code: String, followUp: String?, now: Date
    ) -> [BrokerAction] {
        guard Self.handlesCases(identity.role) else {
            return [
                errorFrame(connection, FrameError(.forbidden, detail: "outcomes are recorded by officers and counsellors", requestID: re))
            ]
        }
        guard configuration.outcomeCodes.contains(code) else {
            return [errorFrame(connection, FrameError(.bad_request, detail: "unknown outcome code", requestID: re))]
        }
        if let followUp, ReplyTemplates.officeDate(followUp, dayOnly: true, timeZone: localizer.timeZone) == nil || followUp.count != 10 {
            return [errorFrame(connection, FrameError(.bad_request, detail: "'follow_up' must be a day as YYYY-MM-DD", requestID: re))]
        }
        if let live = sessions[session], !live.members.contains(where: { $0.id == identity.id }) {
            return [
                errorFrame(
                    connection,
                    FrameError(.forbidden, key: "error.not_in_session", detail: "not a participant of this session", requestID: re))
            ]
        }
        // For a closed session the store checks that the caller handled it.
        let command = StoreCommand.setOutcome(session, by: identity.id, code: code, followUp: followUp, at: now)
        return [storeRequest(command, then: .outcomeRecorded(connection, re: re, session, code: code, followUp: followUp))]
    }

    func outcomeRecorded(
        _ connection: ConnectionID, re: String?, _ session: SessionID, code: String, followUp: String?, _ result: StoreResult
    )
        -> [BrokerAction]
    {
        guard connections[connection] != nil else { return [] }
        guard case .done = result else { return [errorFrame(connection, storeError(result, requestID: re))] }
        var frame: JSONObject = ["type": "outcome", "session": .string(session.rawValue), "code": .string(code)]
        frame["follow_up"] = JSONValue(followUp)
        return [Self.reply(connection, re: re, frame)]
    }

    /// `read`: remembered (and stored) so unread counts survive reconnects and restarts.
    mutating func markRead(_ identity: Identity, session id: SessionID, seq: Int) -> [BrokerAction] {
        guard var session = sessions[id], session.isMember(identity.id), seq > session.lastRead[identity.id, default: 0] else { return [] }
        session.lastRead[identity.id] = min(seq, session.record.lastSeq)
        sessions[id] = session
        return [storeRequest(.markRead(id, identity.id, seq: min(seq, session.record.lastSeq)), then: .nothing)]
    }

    /// The staff member's sessions: oldest unanswered applicant first, then by the applicant's
    /// name in the viewer's collation; with unread counts and the follow-ups due (from SQLite).
    mutating func sessionList(_ connection: ConnectionID, _ identity: Identity, re: String?, now: Date) -> [BrokerAction] {
        guard identity.role.isStaff else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "the session list is for staff", requestID: re))]
        }
        let dueBy = Timestamp.format(now.addingTimeInterval(86400)).prefix(10)
        return [
            storeRequest(.followUps(staff: identity.id, dueBy: String(dueBy)), then: .sessionList(connection, re: re))
        ]
    }

    func sessionListReply(_ connection: ConnectionID, re: String?, _ result: StoreResult) -> [BrokerAction] {
        guard let state = connections[connection], let identity = state.identity else { return [] }
        let collator = NameCollator(locale: state.locale)
        func applicantName(_ session: LiveSession) -> String { session.members.first { $0.role == .applicant }?.name ?? "" }
        let mine = sessions.of(identity.id).filter { !$0.opening }.sorted { a, b in
            switch (a.waitingSince, b.waitingSince) {
            case (let x?, let y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                let order = collator.compare(applicantName(a), applicantName(b))
                return order != 0 ? order < 0 : a.record.id.rawValue < b.record.id.rawValue
            }
        }
        let rows = mine.map { session -> JSONValue in
            var row = Self.sessionSummary(session).objectValue ?? [:]
            row["unread"] = JSONValue(max(0, session.record.lastSeq - session.lastRead[identity.id, default: 0]))
            row["waiting_since"] = JSONValue(session.waitingSince.map(Timestamp.format))
            return .object(row)
        }
        var frame: JSONObject = ["type": "sessions", "sessions": .array(rows)]
        if case .followUps(let due) = result {
            frame["follow_ups"] = .array(
                due.map { item in
                    .object([
                        "session": .string(item.session.rawValue), "follow_up": .string(item.followUp), "outcome": .string(item.outcome),
                        "service": .string(item.service.rawValue), "language": .string(item.language),
                        "applicant": .object(["id": .string(item.applicant.rawValue), "name": .string(item.applicantName)]),
                    ])
                })
        }
        return [Self.reply(connection, re: re, frame)]
    }
}
