import Foundation

/// Several nodes serving the same sessions (cluster mode). Another node's commit reaches this
/// one as a wake-up naming the session and its new last seq (over the bus), or not at all (the
/// bus was down): either way this node reads what it has not seen from the shared store and
/// delivers it to its own connections, in order. The store is the truth; a wake-up only says
/// where to look (SCALEOUT.md).
extension Broker {
    /// Open sessions with an active member connected here: the ones this node must hear about.
    public var watchedSessions: Set<SessionID> {
        var watched = Set<SessionID>()
        for participant in online.keys {
            for session in sessions.of(participant) where !session.opening { watched.insert(session.record.id) }
        }
        return watched
    }

    /// Another node committed `session` up to `seq` (nil: unknown, a periodic check). Reads
    /// the messages after the last one this node knows, once per session however many
    /// wake-ups arrive meanwhile.
    public mutating func committedElsewhere(_ id: SessionID, upTo seq: Int?) -> [BrokerAction] {
        guard let session = sessions[id], !session.opening, seq.map({ $0 > session.record.lastSeq }) ?? true else { return [] }
        if let heard = catchingUp[id] {
            catchingUp[id] = max(heard, seq ?? 0)
            return []
        }
        // Only what is heard during the read asks for another one: a wake-up naming a seq the
        // store does not have cannot make the node read forever.
        catchingUp[id] = 0
        return [storeRequest(.history(id, afterSeq: session.record.lastSeq, limit: configuration.replayPageSize), then: .caughtUp(id))]
    }

    /// A typing or read frame from a member connected to another node: passed to the other
    /// members connected here, as ``relay(_:_:session:re:_:)`` does for members here.
    public func relayedElsewhere(_ id: SessionID, frame: JSONValue) -> [BrokerAction] {
        guard let session = sessions[id], let sender = frame.objectValue?["from"]?.objectValue?["id"]?.stringValue else { return [] }
        let others = session.activeMembers.map(\.id).filter { $0.rawValue != sender }
        return broadcast(to: others) { _ in frame }
    }

    /// The periodic position check: repairs wake-ups lost while the bus was down, and the last
    /// messages of a node that died before publishing.
    public mutating func checkWatchedSessions() -> [BrokerAction] {
        watchedSessions.sorted { $0.rawValue < $1.rawValue }.flatMap { committedElsewhere($0, upTo: nil) }
    }

    /// The read after a wake-up finished: deliver what is new here, and read again if more
    /// is stored (a long page, or a wake-up for a later seq arrived while reading).
    mutating func caughtUp(_ id: SessionID, _ result: StoreResult) -> [BrokerAction] {
        let heard = catchingUp.removeValue(forKey: id) ?? 0
        // A failed read is not retried here: the next wake-up or check reads again.
        guard case .history(let messages, let more) = result, sessions[id] != nil else { return [] }
        var actions = deliverNew(messages, in: id)
        if more || heard > (sessions[id]?.record.lastSeq ?? 0) { actions += committedElsewhere(id, upTo: heard) }
        return actions
    }

    /// Delivers, in order, the messages read from the store that this node had not seen,
    /// keeping the session's bookkeeping as a local append would.
    mutating func deliverNew(_ messages: [StoredMessage], in id: SessionID) -> [BrokerAction] {
        var actions: [BrokerAction] = []
        for stored in messages {
            guard let lastSeq = sessions[id]?.record.lastSeq, stored.seq > lastSeq else { continue }
            sessions.update(id) { Self.note(stored, in: &$0) }
            actions += deliver(stored, in: sessions[id]!)
        }
        return actions
    }

    /// What a newly stored message changes in its session: the last seq, who waits for an
    /// answer, and that the sender has read up to their own message.
    static func note(_ stored: StoredMessage, in session: inout LiveSession) {
        session.record.lastSeq = max(session.record.lastSeq, stored.seq)
        guard let sender = stored.message.sender, !stored.message.staffOnly else { return }
        if stored.message.senderRole == .applicant, session.waitingSince == nil { session.waitingSince = stored.message.createdAt }
        if handlesCases(stored.message.senderRole) { session.waitingSince = nil }
        session.lastRead[sender] = stored.seq
    }
}
