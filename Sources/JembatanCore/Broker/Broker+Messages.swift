import Foundation
import JembatanText

/// Messages: `send`, `typing`, `read`, `history`.
extension Broker {
    /// `staffOnly`: a private note (see ``note(_:_:re:message:now:)``).
    mutating func send(
        _ connection: ConnectionID, _ identity: Identity, re: String?, message: OutgoingMessage, staffOnly: Bool = false, now: Date
    ) -> [BrokerAction] {
        let session: LiveSession
        switch memberSession(message.session, identity, re: re, allowSupervisor: false) {
        case .failure(let error): return [errorFrame(connection, error)]
        case .success(let found): session = found
        }
        if message.template != nil { return sendTemplate(connection, identity, re: re, session, message, now: now) }
        let text: String
        switch sanitized(message.text, re: re) {
        case .failure(let error): return [errorFrame(connection, error)]
        case .success(let clean): text = clean
        }
        let stored = NewMessage(
            session: session.record.id, sender: identity.id, senderRole: identity.role, kind: .text, text: text,
            dir: TextSanitizer.baseDirection(of: text).rawValue,
            lang: message.lang.map(LanguageTag.normalise) ?? session.record.language,
            clientMessageID: message.clientMessageID, replyTo: message.replyTo, translationOf: message.translationOf,
            createdAt: now, staffOnly: staffOnly)
        return [storeRequest(.append(stored), then: .appended(connection, re: re))]
    }

    /// Typed text as it may be stored, or the error that says why not.
    func sanitized(_ raw: String, re: String?) -> Result<String, FrameError> {
        do throws(TextRejection) {
            return .success(try TextSanitizer.sanitize(raw, maxGraphemes: configuration.maxTextGraphemes))
        } catch {
            switch error {
            case .empty:
                return .failure(FrameError(.bad_request, key: "error.text_empty", detail: "text is empty", requestID: re))
            case .tooLong(let limit):
                return .failure(
                    FrameError(
                        .too_large, key: "error.text_too_long", args: ["limit": limit], detail: "text over \(limit) characters",
                        requestID: re))
            }
        }
    }

    mutating func appended(_ connection: ConnectionID, re: String?, _ result: StoreResult) -> [BrokerAction] {
        guard case .appended(let stored, let duplicate) = result else {
            return connections[connection] == nil ? [] : [errorFrame(connection, storeError(result, requestID: re))]
        }
        var actions: [BrokerAction] = []
        if connections[connection] != nil {
            actions.append(
                Self.reply(
                    connection, re: re,
                    [
                        "type": "ack", "session": .string(stored.message.session.rawValue),
                        "client_msg_id": JSONValue(stored.message.clientMessageID?.rawValue),
                        "seq": JSONValue(stored.seq), "ts": .string(Timestamp.format(stored.message.createdAt)),
                    ]))
        }
        // A retry stores nothing new; everyone already has the original.
        let id = stored.message.session
        guard !duplicate, let lastSeq = sessions[id]?.record.lastSeq else { return actions }
        // Not the next seq: another node (cluster) stored messages in between, or a commit's
        // answer was lost. Everything after what this node has seen is read and delivered in
        // order, this message included.
        guard stored.seq == lastSeq + 1 else {
            return actions + committedElsewhere(id, upTo: stored.seq)
        }
        sessions.update(id) { Self.note(stored, in: &$0) }
        actions += deliver(stored, in: sessions[id]!)
        return actions
    }

    /// Typing and read markers: passed on to the other participants, not stored.
    func relay(_ connection: ConnectionID, _ identity: Identity, session id: SessionID, re: String?, _ build: (JSONValue) -> JSONObject)
        -> [BrokerAction]
    {
        switch memberSession(id, identity, re: re, allowSupervisor: false) {
        case .failure(let error): return [errorFrame(connection, error)]
        case .success(let session):
            let others = session.activeMembers.map(\.id).filter { $0 != identity.id }
            let frame = JSONValue.object(build(Self.senderJSON(identity)))
            let elsewhere: [BrokerAction] = configuration.clusterActive ? [.relay(id, frame)] : []
            return broadcast(to: others) { _ in frame } + elsewhere
        }
    }

    mutating func history(
        _ connection: ConnectionID, _ identity: Identity, re: String?, session id: SessionID, afterSeq: Int, limit: Int, backwards: Bool
    )
        -> [BrokerAction]
    {
        if sessions[id] == nil {
            // Closed or from before a restart: the stored member list decides.
            return [
                storeRequest(
                    .transcript(id), then: .archivedHistory(connection, re: re, id, afterSeq: afterSeq, limit: limit, backwards: backwards))
            ]
        }
        switch memberSession(id, identity, re: re, allowSupervisor: true) {
        case .failure(let error): return [errorFrame(connection, error)]
        case .success(let session):
            let (afterSeq, limit, olderExist) = clampHistory(
                afterSeq: afterSeq, limit: limit, backwards: backwards, visibleFrom: visibleFrom(session.members, identity.id))
            var actions: [BrokerAction] = []
            if identity.role == .supervisor && !(sessions[id]?.isMember(identity.id) ?? false) {
                actions.append(storeRequest(.audit(actor: identity.id, action: "history", subject: id.rawValue), then: .nothing))
            }
            guard limit > 0 else {
                // Paging back from seq 1: nothing older.
                return actions + [historyReply(connection, re: re, id, messages: [], more: false)]
            }
            let work = PendingWork.history(connection, re: re, id, olderExist: olderExist)
            actions.append(storeRequest(.history(id, afterSeq: afterSeq, limit: limit), then: work))
            return actions
        }
    }

    func historyReply(_ connection: ConnectionID, re: String?, _ session: SessionID, messages: [StoredMessage], more: Bool) -> BrokerAction
    {
        let locale = connections[connection]?.locale ?? localizer.negotiator.defaultLocale
        // Private notes are left out for readers who may not see them.
        let readable = Self.readsNotes(connections[connection]?.identity?.role) ? messages : messages.filter { !$0.message.staffOnly }
        return Self.reply(
            connection, re: re,
            [
                "type": "history", "session": .string(session.rawValue),
                "messages": .array(readable.map { messageFrame($0, locale: locale) }), "more": .bool(more),
            ])
    }

    mutating func archivedHistory(
        _ connection: ConnectionID, re: String?, _ id: SessionID, afterSeq: Int, limit: Int, backwards: Bool, _ result: StoreResult
    ) -> [BrokerAction] {
        guard let identity = connections[connection]?.identity else { return [] }
        guard case .transcript(let found) = result, let transcript = found else {
            return [errorFrame(connection, FrameError(.not_found, detail: "no such session", requestID: re))]
        }
        let member = transcript.members.contains { $0.id == identity.id }
        guard member || identity.role == .supervisor else {
            return [
                errorFrame(
                    connection,
                    FrameError(.forbidden, key: "error.not_in_session", detail: "not a participant of this session", requestID: re))
            ]
        }
        let (afterSeq, limit, olderExist) = clampHistory(
            afterSeq: afterSeq, limit: limit, backwards: backwards, visibleFrom: visibleFrom(transcript.members, identity.id))
        let later = transcript.messages.filter { $0.seq > afterSeq }
        var actions: [BrokerAction] = []
        if !member { actions.append(storeRequest(.audit(actor: identity.id, action: "history", subject: id.rawValue), then: .nothing)) }
        let more = olderExist ?? (later.count > limit)
        actions.append(historyReply(connection, re: re, id, messages: Array(later.prefix(limit)), more: more))
        return actions
    }

    /// The open session `id` if `identity` may act in it.
    func memberSession(_ id: SessionID, _ identity: Identity, re: String?, allowSupervisor: Bool) -> Result<LiveSession, FrameError> {
        guard let session = sessions[id], !session.opening else {
            return .failure(FrameError(.not_found, detail: "no such open session", requestID: re))
        }
        guard session.isMember(identity.id) || (allowSupervisor && identity.role == .supervisor) else {
            return .failure(FrameError(.forbidden, key: "error.not_in_session", detail: "not a participant of this session", requestID: re))
        }
        return .success(session)
    }
}
