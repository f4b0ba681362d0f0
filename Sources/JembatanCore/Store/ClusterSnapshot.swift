import Foundation

/// What every node shares, read from the cluster's store in one consistent read (active-active
/// cluster mode): the broker on each node compares it with its own picture and catches up
/// (``Broker/requestSnapshot()``).
public struct ClusterSnapshot: Sendable, Equatable {
    /// Tickets, sessions and interviews as ``RecoveredState`` has them.
    public var state: RecoveredState
    /// Who is connected to a live node, anywhere in the cluster.
    public var presence: [Presence]
    /// Of the sessions the asking node named, those now closed, with their close reason.
    public var closed: [SessionID: String]

    public init(state: RecoveredState, presence: [Presence], closed: [SessionID: String] = [:]) {
        self.state = state
        self.presence = presence
        self.closed = closed
    }

    /// A participant connected to some node: staff with their availability and capacity
    /// there (the most available of their nodes when several).
    public struct Presence: Sendable, Equatable {
        public var identity: Identity
        public var availability: Availability
        public var capacity: Int

        public init(identity: Identity, availability: Availability, capacity: Int) {
            self.identity = identity
            self.availability = availability
            self.capacity = capacity
        }
    }
}
