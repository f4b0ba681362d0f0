/// What the broker asks the edges to do. The server performs these in order.
public enum BrokerAction: Sendable, Equatable {
    /// Send a text frame holding this JSON object.
    case send(ConnectionID, JSONValue)
    /// Close the connection with this code (after the frames queued before it).
    case close(ConnectionID, CloseCode)
    /// Perform durable work; its result comes back through ``Broker/stored(_:result:now:)``.
    case store(StoreRequestID, StoreCommand)
    /// Cluster: pass this frame (typing, read) to the session's members on other nodes, which
    /// hand it to ``Broker/relayedElsewhere(_:frame:)``. Not stored: lost if the bus is down.
    case relay(SessionID, JSONValue)
}

/// Pairs a store result with the work that waits for it.
public struct StoreRequestID: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
}
