/// Receives one connection's events on its ``ClientLoop``'s service thread, for callers that
/// drive thousands of connections from one thread (load generators) instead of blocking a
/// thread per connection in ``WebSocketClient/receive(timeout:)``.
///
/// Every method runs on the service thread, one at a time for the whole loop, so state that
/// only the delegates touch needs no lock. Keep them short: while one runs, no connection of
/// the loop is serviced. Sending from a delegate (``WebSocketClient/send(text:fragmentSize:)``)
/// asks lws for a writeable callback directly, without a wake-up.
public protocol WebSocketDelegate: AnyObject, Sendable {
    /// The handshake completed; frames queued before it go out first.
    func webSocketDidOpen(_ client: WebSocketClient)

    /// A complete message (fragments joined) as it arrived: text is not decoded or checked,
    /// so a caller that scans bytes pays for no `String`.
    func webSocket(_ client: WebSocketClient, didReceive message: [UInt8], binary: Bool)

    /// The connection is over. `failure` is set when it never opened (refused, handshake
    /// rejected); `code` is the server's close code when it sent one. Called once, last.
    func webSocket(_ client: WebSocketClient, didEndWithCode code: UInt16?, failure: ClientError?)
}
