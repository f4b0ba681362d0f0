/// An error from ``WebSocketClient`` or ``HTTPClient``. Compare with the static members
/// (`error == .timeout`); equality ignores ``detail``. Descriptions never contain message
/// content, only what failed and why.
public struct ClientError: Error, CustomStringConvertible, Equatable, Sendable {
    private enum Kind: Equatable, Sendable {
        case connectFailed, timeout, closed, invalidResponse, unexpectedMessage
    }

    private let kind: Kind
    /// Extra context from the library or the OS (e.g. "HS: ws upgrade response not 101",
    /// "Connection refused"), never user content.
    public let detail: String?

    private init(_ kind: Kind, _ detail: String? = nil) {
        self.kind = kind
        self.detail = detail
    }

    /// The connection could not be opened (refused, handshake rejected, name not resolved).
    public static let connectFailed = ClientError(.connectFailed)
    /// Nothing arrived (or the connection did not open) before the timeout.
    public static let timeout = ClientError(.timeout)
    /// The connection is closed: its `.closed` event was already received.
    public static let closed = ClientError(.closed)
    /// An HTTP response could not be parsed.
    public static let invalidResponse = ClientError(.invalidResponse)
    /// A message arrived that is not what the caller asked for (e.g. not a JSON object).
    public static let unexpectedMessage = ClientError(.unexpectedMessage)

    static func connectFailed(_ detail: String) -> ClientError { ClientError(.connectFailed, detail) }
    static func timeout(_ detail: String) -> ClientError { ClientError(.timeout, detail) }
    static func invalidResponse(_ detail: String) -> ClientError {
        ClientError(.invalidResponse, detail)
    }
    static func unexpectedMessage(_ detail: String) -> ClientError {
        ClientError(.unexpectedMessage, detail)
    }

    public static func == (lhs: ClientError, rhs: ClientError) -> Bool { lhs.kind == rhs.kind }

    public var description: String {
        let base: String
        switch kind {
        case .connectFailed: base = "connect failed"
        case .timeout: base = "timed out"
        case .closed: base = "connection closed"
        case .invalidResponse: base = "invalid HTTP response"
        case .unexpectedMessage: base = "unexpected message"
        }
        return detail.map { "\(base): \($0)" } ?? base
    }
}
