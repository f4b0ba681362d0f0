import CWebSockets

/// How a connection reaches the server: plain `ws://` or TLS, and from which local address.
public struct Transport: Sendable, Equatable {
    public enum TLS: Sendable, Equatable {
        case none
        /// `wss://`, the server's certificate checked against the system's authorities.
        case verified
        /// `wss://` accepting any certificate for any name: test certificates only.
        case unverified

        var mode: cws_tls {
            switch self {
            case .none: CWS_TLS_NONE
            case .verified: CWS_TLS_VERIFIED
            case .unverified: CWS_TLS_UNVERIFIED
            }
        }
    }

    public var tls: TLS
    /// The local address the socket is bound to (e.g. one of 127.0.0.0/8, to look like many
    /// clients); nil lets the kernel choose.
    public var sourceAddress: String?

    public init(tls: TLS = .none, sourceAddress: String? = nil) {
        self.tls = tls
        self.sourceAddress = sourceAddress
    }
}
