/// Where the Redis of a ``RedisBus`` is and how patient the bus is with it.
public struct RedisBusConfiguration: Sendable {
    /// Redis' host name or address.
    public var host: String
    /// Redis' TCP port.
    public var port: Int
    /// The longest a connection attempt may take; publishers wait at most this when Redis is gone.
    public var connectTimeout: Duration = .seconds(1)
    /// The longest one command (a `PUBLISH`, a socket write) may block.
    public var commandTimeout: Duration = .seconds(1)
    /// The first delay between reconnection attempts; it doubles up to `maximumBackoff`.
    public var initialBackoff: Duration = .milliseconds(50)
    /// The longest delay between reconnection attempts.
    public var maximumBackoff: Duration = .seconds(1)
    /// After this long without traffic the subscriber sends a `PING`; with no answer after as
    /// long again it counts the connection as lost (a silent peer sends no reset).
    public var idlePing: Duration = .seconds(5)

    /// A configuration with the default timeouts.
    public init(host: String = "127.0.0.1", port: Int = 6379) {
        self.host = host
        self.port = port
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, for `poll` and logs.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
