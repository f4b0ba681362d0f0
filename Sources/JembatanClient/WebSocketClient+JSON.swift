import Foundation

extension WebSocketClient {
    /// Sends `object` as one JSON text message. `object` must be JSON-serialisable
    /// (`JSONSerialization.isValidJSONObject`); anything else is a programming error.
    public func send(json object: [String: Any]) {
        precondition(JSONSerialization.isValidJSONObject(object), "not a JSON object")
        // Sorted keys: the same object always produces the same bytes, easier to debug.
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { preconditionFailure("JSON serialisation failed") }
        send(text: String(decoding: data, as: UTF8.self))
    }

    /// Receives the next event and returns it as a JSON object. Nothing is skipped.
    /// - Throws: ``ClientError/unexpectedMessage`` when the event is a binary message or text
    ///   that is not a JSON object, ``ClientError/closed`` when it is the close,
    ///   ``ClientError/timeout`` as ``receive(timeout:)``.
    public func receiveJSON(timeout: Duration = .seconds(5)) throws -> [String: Any] {
        switch try receive(timeout: timeout) {
        case .text(let text):
            let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8))
            guard let object = parsed as? [String: Any] else {
                throw ClientError.unexpectedMessage("text is not a JSON object (\(text.utf8.count) bytes)")
            }
            return object
        case .binary(let bytes):
            throw ClientError.unexpectedMessage("binary message (\(bytes.count) bytes)")
        case .closed:
            throw ClientError.closed
        }
    }
}
