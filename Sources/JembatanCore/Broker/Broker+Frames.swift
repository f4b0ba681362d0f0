import Foundation
import JembatanText

/// Building the frames the broker sends (PROTOCOL.md shapes).
extension Broker {
    func errorFrame(_ connection: ConnectionID, _ error: FrameError) -> BrokerAction {
        let locale = connections[connection]?.locale ?? localizer.negotiator.defaultLocale
        var args = JSONObject()
        for (name, value) in error.messageArgs.sorted(by: { $0.key < $1.key }) { args[name] = JSONValue(value) }
        var frame: JSONObject = ["type": "error"]
        if let re = error.requestID { frame["re"] = .string(re) }
        frame["code"] = .string(error.code.rawValue)
        frame["message"] = .string(localizer.render(error.messageKey, args, locale: locale))
        frame["detail"] = .string(error.detail)
        return .send(connection, .object(frame))
    }

    /// Static, as it needs nothing of the broker: called as a method from a mutating one, it
    /// had Swift copy the whole broker (a retain per field) for every ack.
    static func reply(_ connection: ConnectionID, re: String?, _ frame: JSONObject) -> BrokerAction {
        // `type` then `re` first, as PROTOCOL.md writes them.
        var ordered: [(String, JSONValue)] = []
        ordered.reserveCapacity(frame.pairs.count + 1)
        if let type = frame["type"] { ordered.append(("type", type)) }
        if let re = re.map(JSONValue.string) ?? frame["re"] { ordered.append(("re", re)) }
        for pair in frame.pairs where pair.0 != "type" && pair.0 != "re" { ordered.append(pair) }
        return .send(connection, .object(JSONObject(ordered)))
    }

    /// A participant as others see them: with a Latin transliteration of a name in another
    /// script (`name_latn`), and a warning when the name could pass for someone else's.
    static func memberJSON(_ member: SessionMember) -> JSONValue {
        var object: JSONObject = [
            "id": .string(member.id.rawValue), "role": .string(member.role.rawValue),
            "name": .string(member.name), "langs": .array(member.langs.map(JSONValue.string)),
        ]
        if let latin = Transliteration.latinIfNeeded(member.name) { object["name_latn"] = .string(latin) }
        if DisplayName.isSuspicious(member.name) { object["name_warning"] = "confusable" }
        return .object(object)
    }

    public static func identityJSON(_ identity: Identity) -> JSONValue {
        memberJSON(SessionMember(identity, joinedAt: Date(timeIntervalSince1970: 0)))
    }

    static func senderJSON(_ identity: Identity) -> JSONValue {
        .object(["id": .string(identity.id.rawValue), "role": .string(identity.role.rawValue), "name": .string(identity.name)])
    }

    static func sessionSummary(_ session: LiveSession) -> JSONValue {
        let record = session.record
        return .object([
            "id": .string(record.id.rawValue), "service": .string(record.service.rawValue),
            "language": .string(record.language), "state": .string(record.state.rawValue),
            "participants": .array(session.activeMembers.map(memberJSON)),
            "last_seq": JSONValue(record.lastSeq), "opened_at": .string(Timestamp.format(record.openedAt)),
        ])
    }

    func messageFrame(_ stored: StoredMessage, locale: String) -> JSONValue {
        MessageRenderer(localizer: localizer).frame(stored, locale: locale)
    }

    /// The connections of a participant, in a stable order.
    func connectionIDs(of participant: ParticipantID) -> [ConnectionID] {
        (online[participant] ?? []).sorted()
    }

    /// Delivers a stored message to every connection of every active member, each in its
    /// own locale, skipping connections that already have it or are replaying the session.
    /// The frame is built once per locale (once in all for typed text), so the server can
    /// encode it once for all of them.
    mutating func deliver(_ stored: StoredMessage, in session: LiveSession) -> [BrokerAction] {
        var actions: [BrokerAction] = []
        let renderer = MessageRenderer(localizer: localizer)
        var framesByLocale: [String: JSONValue] = [:]
        let alike = MessageRenderer.readsAlike(stored)
        for member in session.activeMembers {
            let visibleFrom = visibleFrom(session.members, member.id)
            for connection in connectionIDs(of: member.id) {
                actions += deliver(stored, to: connection, repairingGapsFrom: visibleFrom) { locale in
                    let key = alike ? "" : locale
                    if let frame = framesByLocale[key] { return frame }
                    let frame = renderer.frame(stored, locale: locale)
                    framesByLocale[key] = frame
                    return frame
                }
            }
        }
        return actions
    }

    /// `repairingGapsFrom`: for live messages, the first seq the member may read. A live
    /// message past the next one the connection expects means a message was stored but never
    /// delivered here: a commit whose answer was lost with the database connection (cluster
    /// mode) is stored, yet the broker was told it failed. The missing range is then read from
    /// the store and sent first, in order (it includes this message).
    mutating func deliver(
        _ stored: StoredMessage, to connection: ConnectionID, repairingGapsFrom visibleFrom: Int? = nil,
        frame: ((String) -> JSONValue)? = nil
    ) -> [BrokerAction] {
        guard let slot = connections.index(forKey: connection) else { return [] }
        let session = stored.message.session
        // In place: a copy of the connection's state, changed and assigned back, copied its
        // `delivered` dictionary with every message.
        switch connections.values[slot].take(stored.seq, in: session, visibleFrom: visibleFrom) {
        case .skip:
            return []
        case .replay(let afterSeq):
            return [
                storeRequest(
                    .history(session, afterSeq: afterSeq, limit: configuration.replayPageSize), then: .replay(connection, session))
            ]
        case .send(let locale, let role):
            // A private note never reaches an applicant or an interpreter.
            if stored.message.staffOnly && !Self.readsNotes(role) { return [] }
            return [.send(connection, frame?(locale) ?? messageFrame(stored, locale: locale))]
        }
    }

    /// The same frame, built per locale, to every connection of the given participants.
    func broadcast(to participants: [ParticipantID], _ build: (String) -> JSONValue) -> [BrokerAction] {
        var actions: [BrokerAction] = []
        for participant in participants {
            for connection in connectionIDs(of: participant) {
                let locale = connections[connection]?.locale ?? localizer.negotiator.defaultLocale
                actions.append(.send(connection, build(locale)))
            }
        }
        return actions
    }
}
