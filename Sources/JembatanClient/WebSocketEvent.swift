/// What a ``WebSocketClient`` receives, in order.
public enum WebSocketEvent: Sendable, Equatable {
    /// A complete text message (fragments already joined). Invalid UTF-8 from the server is
    /// repaired with U+FFFD rather than dropped, so a test can still see it arrived.
    case text(String)
    /// A complete binary message (fragments already joined).
    case binary([UInt8])
    /// The connection ended. `code` is the status from the server's close frame; nil when the
    /// server sent none, when the connection dropped without one, or when this client started
    /// the close (lws does not report the code in the server's acknowledgement).
    case closed(code: UInt16?)
}
