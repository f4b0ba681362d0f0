import CWebSockets
import Foundation
import JembatanCore

/// HTTP on the broker's port: the web pages, `/healthz`, the API and the transcript export.
extension BrokerLoop {
    func handleHTTP(_ wsi: OpaquePointer, _ user: UnsafeMutableRawPointer?) -> Int32 {
        guard let user else { return -1 }
        let id = makeID()
        user.storeBytes(of: id, as: UInt64.self)
        pendingHTTP[id] = PendingHTTP(wsi: wsi)
        if let path = postPath(wsi) {
            pendingHTTP[id]?.postPath = path
            return 0  // the body follows (LWS_CALLBACK_HTTP_BODY, then _COMPLETION)
        }
        let reply = route(wsi, id)
        if let reply { pendingHTTP[id]?.response = reply }
        if reply != nil { lws_callback_on_writable(wsi) }
        return 0
    }

    /// The reply now, or nil when it waits for the store.
    private func route(_ wsi: OpaquePointer, _ id: UInt64) -> HTTPReply? {
        guard let path = requestPath(wsi) else {
            return .error(405, .bad_request, "only GET is served here")
        }
        if let page = web.reply(for: path) { return page }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch parts.count {
        case 2 where parts[0] == "locales":
            return pageStrings(parts[1])
        case 2 where parts[0] == "api" && parts[1] == "demo":
            return demoState()
        case 1 where parts[0] == "metrics":
            // Prometheus text format; labels are codes (service, language, error code), never people.
            metrics.queues(broker.queueOverview(now: Date()))
            return HTTPReply(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.text())
        case 1 where parts[0] == "healthz":
            return HTTPReply(status: 200, contentType: "text/plain; charset=utf-8", body: Array("ok\n".utf8))
        case 2 where parts[0] == "api" && parts[1] == "search":
            return search(wsi, id)
        case 2 where parts[0] == "api" && parts[1] == "stats":
            return stats(wsi, id)
        case 2 where parts[0] == "api" && parts[1] == "people":
            return people(wsi, id)
        case 2 where parts[0] == "api" && parts[1] == "queues":
            guard let identity = bearerIdentity(wsi) else { return .error(401, .unauthorized, "a valid bearer token is required") }
            guard identity.role == .supervisor else { return .error(403, .forbidden, "supervisors only") }
            return .json(200, broker.queueOverview(now: Date()))
        case 4 where parts[0] == "api" && parts[1] == "sessions" && parts[3] == "transcript":
            return transcript(wsi, id, session: SessionID(parts[2]))
        default:
            return .error(404, .not_found, "no such route")
        }
    }

    private func transcript(_ wsi: OpaquePointer, _ id: UInt64, session: SessionID) -> HTTPReply? {
        guard let identity = bearerIdentity(wsi) else {
            return .error(401, .unauthorized, "a valid bearer token is required")
        }
        let format = queryArgument(wsi, "format") ?? "json"
        guard ["json", "text", "html"].contains(format) else {
            return .error(400, .bad_request, "format must be json, text or html")
        }
        let locale = localizer.negotiate([
            queryArgument(wsi, "locale"),
            header(wsi, WSI_TOKEN_HTTP_ACCEPT_LANGUAGE).map { localizer.negotiator.negotiate(acceptLanguage: $0) }, identity.locale,
        ])
        let formatter = transcripts
        pendingHTTP[id]?.responder = { result in
            guard case .transcript(let found) = result, var transcript = found else {
                return .error(404, .not_found, "no such session")
            }
            guard identity.role == .supervisor || transcript.members.contains(where: { $0.id == identity.id }) else {
                return .error(403, .forbidden, "not a participant of this session")
            }
            if identity.role != .supervisor {
                // An interpreter who joined without the earlier history exports only their part.
                let from = transcript.members.filter { $0.id == identity.id }.compactMap(\.visibleFromSeq).max() ?? 1
                transcript.messages.removeAll { $0.seq < from }
            }
            // Private notes are in staff exports only.
            if !Broker.readsNotes(identity.role) { transcript.messages.removeAll { $0.message.staffOnly } }
            if format == "html" {
                return HTTPReply(
                    status: 200, contentType: "text/html; charset=utf-8", body: Array(formatter.html(transcript, locale: locale).utf8))
            }
            if format == "text" {
                return HTTPReply(
                    status: 200, contentType: "text/plain; charset=utf-8", body: Array(formatter.text(transcript, locale: locale).utf8))
            }
            return .json(200, formatter.json(transcript, locale: locale))
        }
        if identity.role == .supervisor {
            storeJobs.append(
                StoreWorker.Job(
                    origin: .http(0),
                    command: .audit(actor: identity.id, action: "transcript", subject: session.rawValue, address: clientAddressText(wsi))))
        }
        storeJobs.append(StoreWorker.Job(origin: .http(id), command: .transcript(session)))
        return nil
    }

    /// `GET /api/search?q=…&limit=`: messages the caller may read that contain every word
    /// of `q`, newest first, each with a snippet (escaped HTML, matches in `<mark>`).
    private func search(_ wsi: OpaquePointer, _ id: UInt64) -> HTTPReply? {
        guard let identity = bearerIdentity(wsi) else {
            return .error(401, .unauthorized, "a valid bearer token is required")
        }
        // The application system's token posts notifications; it reads no conversations.
        guard identity.role != .system else { return .error(403, .forbidden, "not for the application system") }
        guard let query = queryArgument(wsi, "q"), !query.trimmingCharacters(in: .whitespaces).isEmpty, query.count <= 200 else {
            return .error(400, .bad_request, "q must be 1 to 200 characters")
        }
        let limit = queryArgument(wsi, "limit").flatMap(Int.init) ?? 50
        let renderer = MessageRenderer(localizer: localizer)
        let locale = localizer.negotiate([queryArgument(wsi, "locale"), identity.locale])
        pendingHTTP[id]?.responder = { result in
            guard case .found(let messages) = result else { return .error(503, .unavailable, "search failed; retry") }
            let results = messages.map { stored -> JSONValue in
                var frame = renderer.frame(stored, locale: locale).objectValue ?? [:]
                frame["type"] = nil
                frame["snippet"] = .string(SearchSnippet.html(stored.message.text ?? "", query: query))
                return .object(frame)
            }
            return .json(200, .object(["results": .array(results)]))
        }
        let reader: ParticipantID? = identity.role == .supervisor ? nil : identity.id
        if reader == nil {
            storeJobs.append(
                StoreWorker.Job(
                    origin: .http(0), command: .audit(actor: identity.id, action: "search", subject: "*", address: clientAddressText(wsi))))
        }
        storeJobs.append(StoreWorker.Job(origin: .http(id), command: .search(query: query, reader: reader, limit: max(1, min(limit, 200)))))
        return nil
    }

    func writeHTTP(_ wsi: OpaquePointer, _ user: UnsafeMutableRawPointer?) -> Int32 {
        guard let user else { return -1 }
        let id = user.load(as: UInt64.self)
        guard let reply = pendingHTTP[id]?.response else { return 0 }
        pendingHTTP[id] = nil
        return reply.body.withUnsafeBufferPointer { body in
            cws_http_respond(wsi, reply.status, reply.contentType, reply.securityPolicy, body.baseAddress, body.count)
        }
    }

    func bearerIdentity(_ wsi: OpaquePointer) -> Identity? {
        guard let value = header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION) else { return nil }
        let prefix = "Bearer "
        guard value.hasPrefix(prefix) else { return nil }
        return tokens.verify(String(value.dropFirst(prefix.count)), now: Date())
    }

    func header(_ wsi: OpaquePointer, _ token: lws_token_indexes) -> String? {
        var buffer = [CChar](repeating: 0, count: 8192)
        guard cws_header(wsi, token, &buffer, Int32(buffer.count)) >= 0 else { return nil }
        return String(cBuffer: buffer)
    }

    func queryArgument(_ wsi: OpaquePointer, _ name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard lws_get_urlarg_by_name(wsi, name + "=", &buffer, Int32(buffer.count)) != nil else { return nil }
        // lws copies "name=value" into the buffer and points past the "name=".
        let whole = String(cBuffer: buffer)
        return whole.hasPrefix(name + "=") ? String(whole.dropFirst(name.count + 1)) : whole
    }
}
