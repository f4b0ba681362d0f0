/// The name of a bus channel, e.g. `s:<session id>` for a session and `p:<participant id>` for
/// a participant. A plain string on the wire; wrapped so it is not mixed up with other strings.
/// The bus knows nothing of ids: the layer that owns `SessionID` and friends builds the names.
public struct BusChannel: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The channel's name as sent to the bus.
    public let rawValue: String

    /// Wraps a channel name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The name itself: channel names hold ids only, never message content.
    public var description: String { rawValue }
}
