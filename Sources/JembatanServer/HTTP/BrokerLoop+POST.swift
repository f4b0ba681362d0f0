import CWebSockets
import Foundation
import JembatanCore

/// POST requests: the body is gathered (bounded), then answered by the broker core as if the
/// caller had sent the matching frame, so HTTP and WebSocket follow the same rules.
extension BrokerLoop {
    static let maxPOSTBytes = 64 * 1024

    func receiveBody(_ wsi: OpaquePointer, _ user: UnsafeMutableRawPointer?, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        guard let user else { return -1 }
        let id = user.load(as: UInt64.self)
        guard var pending = pendingHTTP[id], pending.response == nil else { return 0 }
        if let input, length > 0 { pending.body += UnsafeRawBufferPointer(start: input, count: length) }
        if pending.body.count > Self.maxPOSTBytes {
            pending.body = []
            pending.response = .error(413, .too_large, "the body is over 64 KiB")
            lws_callback_on_writable(wsi)
        }
        pendingHTTP[id] = pending
        return 0
    }

    func completePOST(_ wsi: OpaquePointer, _ user: UnsafeMutableRawPointer?) -> Int32 {
        guard let user else { return -1 }
        let id = user.load(as: UInt64.self)
        guard let pending = pendingHTTP[id], pending.response == nil, let path = pending.postPath else { return 0 }
        let reply = routePOST(wsi, id, path: path, body: pending.body)
        if let reply {
            pendingHTTP[id]?.response = reply
            lws_callback_on_writable(wsi)
        }
        return 0
    }

    /// POST routes and the frame type each one stands for.
    private static let frameTypes = ["/api/interviews": "interview.schedule", "/api/notifications": "notify"]

    private func routePOST(_ wsi: OpaquePointer, _ id: UInt64, path: String, body: [UInt8]) -> HTTPReply? {
        if path == "/api/demo/token" { return demoToken(body) }
        guard let type = Self.frameTypes[path] else { return .error(404, .not_found, "no such route") }
        guard let identity = bearerIdentity(wsi) else { return .error(401, .unauthorized, "a valid bearer token is required") }
        guard case .object(var object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else {
            return .error(400, .bad_request, "the body must be a JSON object")
        }
        object["type"] = .string(type)
        if type == "notify" { object["notification_id"] = object["id"] ?? .null }  // the caller's idempotency key
        object["id"] = "http"
        let connection = ConnectionID(id)
        pendingHTTP[id]?.oneShot = connection
        broker.connectedOneShot(connection, identity: identity, locale: queryArgument(wsi, "locale"))
        perform(broker.received(JSONWriter.bytes(.object(object)), from: connection, now: Date()))
        return nil
    }

    /// The core's reply to a one-shot (its `re` is "http") becomes the HTTP response.
    func answerOneShot(_ connection: ConnectionID, _ frame: JSONValue) {
        guard var pending = pendingHTTP[connection.rawValue], pending.oneShot == connection, pending.response == nil,
            let object = frame.objectValue, object["re"] == "http"
        else { return }
        var status: UInt32 = 201
        if object["type"] == "error" {
            status = ErrorCode(rawValue: object["code"]?.stringValue ?? "").map(Self.httpStatus) ?? 500
        }
        pending.response = .json(status, frame)
        pending.oneShot = nil
        pendingHTTP[connection.rawValue] = pending
        broker.disconnected(connection, now: Date())
        lws_callback_on_writable(pending.wsi)
    }

    static func httpStatus(_ code: ErrorCode) -> UInt32 {
        switch code {
        case .bad_request: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .not_found: 404
        case .conflict: 409
        case .too_large: 413
        case .rate_limited: 429
        case .unavailable: 503
        case .internal: 500
        }
    }
}
