/// The cluster's wake-up bus: after a commit in PostgreSQL, a node publishes to a channel so
/// the nodes subscribed to it look at the new rows. Nothing true lives on the bus: a lost
/// message costs latency, never data, because receivers repair gaps from the database
/// (SCALEOUT.md). Kept to five operations, plus delivery, so NATS can replace Redis.
///
/// Handlers (`onMessage`, `onReconnect`) run on the bus's own thread, one at a time and in
/// arrival order. They must return quickly (a slow handler delays every channel) and must not
/// call the bus's `stop()`; calling `publish`, `subscribe` or `unsubscribe` from them is fine.
public protocol ClusterBus: AnyObject, Sendable {
    /// Publishes `payload` to `channel`; `true` once the bus accepted it (whether or not anyone
    /// is subscribed). `false` when the bus is unreachable, hung or stopped: not confirmed, so
    /// the message may still go out late, or never. Never blocks long (``RedisBus``: at most
    /// about one command timeout plus one connect timeout).
    func publish(_ payload: [UInt8], to channel: BusChannel) -> Bool

    /// Starts delivering messages published to `channel` (idempotent). Kept across
    /// reconnections: the bus subscribes again by itself.
    func subscribe(_ channel: BusChannel)

    /// Stops delivering messages published to `channel` (idempotent). No message for the
    /// channel is handed to `onMessage` once this has returned, apart from one being delivered
    /// at that very moment.
    func unsubscribe(_ channel: BusChannel)

    /// Sets the handler called after the bus came back from being down (a lost connection, or
    /// a bus that could not connect at first) and every current channel was subscribed again,
    /// so the node can repair from PostgreSQL whatever it missed meanwhile.
    func onReconnect(_ handler: @escaping @Sendable () -> Void)

    /// Whether the bus is connected and subscribed to every current channel.
    var health: BusHealth { get }

    /// Sets the handler that receives each message on a subscribed channel, on the bus's thread.
    func onMessage(_ handler: @escaping @Sendable (BusChannel, [UInt8]) -> Void)
}

/// Whether a ``ClusterBus`` can currently deliver and publish.
public enum BusHealth: Sendable, Hashable {
    /// Connected, every current channel subscribed.
    case up
    /// Not connected (or not yet subscribed again after reconnecting).
    case down
}
