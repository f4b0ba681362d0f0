/// The error codes of PROTOCOL.md, sent in `error` frames.
public enum ErrorCode: String, Sendable, Codable, CaseIterable {
    case bad_request, unauthorized, forbidden, not_found, conflict, too_large, rate_limited,
        unavailable, `internal`
}

/// WebSocket close codes the broker uses (RFC 6455 and PROTOCOL.md).
public enum CloseCode: UInt16, Sendable {
    case normal = 1000
    case goingAway = 1001
    case invalidPayload = 1007
    case policy = 1008
    case tooBig = 1009
    case unauthenticated = 4401
    case tooSlow = 4408
}

/// Why a frame was refused: a protocol code, a template key for the localised `message`
/// and, for developers, a short detail that never contains user content.
public struct FrameError: Error, Sendable, Equatable {
    public var requestID: String?
    public var code: ErrorCode
    public var messageKey: String
    public var messageArgs: [String: Int]
    public var detail: String

    public init(
        _ code: ErrorCode, key: String? = nil, args: [String: Int] = [:], detail: String,
        requestID: String? = nil
    ) {
        self.requestID = requestID
        self.code = code
        self.messageKey = key ?? "error.\(code.rawValue)"
        self.messageArgs = args
        self.detail = detail
    }
}
