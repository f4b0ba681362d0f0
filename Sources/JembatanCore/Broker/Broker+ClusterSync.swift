import Foundation

/// Active-active cluster mode: every node serves, and each broker keeps a picture of what the
/// nodes share — queued tickets, open sessions, booked interviews, who is connected where —
/// that it brings up to date from a snapshot of the store (on a wake-up, and every couple of
/// seconds). PostgreSQL decides: an assignment is a conditional write, and a node that lost a
/// race learns it from the next snapshot. Frames go to this node's connections only; each
/// node tells its own people what changed.
extension Broker {
    /// What a snapshot may not overwrite: things this node changed after asking for it.
    enum SharedThing: Hashable {
        case ticket(TicketID)
        case session(SessionID)
        case interview(InterviewID)
        case notification(String)
    }

    /// Asks the store for a snapshot, unless one is under way (then one more follows it).
    public mutating func requestSnapshot() -> [BrokerAction] {
        guard configuration.clusterActive else { return [] }
        if snapshotInFlight {
            snapshotWanted = true
            return []
        }
        snapshotInFlight = true
        snapshotWanted = false
        changedSinceSnapshot = []
        let known = sessions.values.map(\.record.id).sorted { $0.rawValue < $1.rawValue }
        return [storeRequest(.clusterSnapshot(known: known), then: .snapshot)]
    }

    /// Whether `id` is connected to this node.
    func isLocal(_ id: ParticipantID) -> Bool { online[id] != nil }

    /// Connected here or, in a cluster, to another live node.
    func isPresent(_ id: ParticipantID) -> Bool { online[id] != nil || remotePresence[id] != nil }

    /// Remembers what a store command changes, while a snapshot is under way.
    mutating func noteChange(_ command: StoreCommand) {
        guard snapshotInFlight else { return }
        changedSinceSnapshot.formUnion(command.sharedThings)
    }

    /// The presence record of a participant for the cluster: connected here (with their
    /// availability and capacity) or not.
    mutating func presenceRequest(_ identity: Identity) -> [BrokerAction] {
        guard configuration.clusterActive else { return [] }
        guard isLocal(identity.id) else {
            return [storeRequest(.presence(identity, availability: nil, capacity: 0), then: .nothing)]
        }
        let member = staff[identity.id]
        let command = StoreCommand.presence(
            member?.identity ?? identity, availability: member?.availability ?? .available, capacity: member?.capacity ?? 0)
        return [storeRequest(command, then: .nothing)]
    }

    /// The snapshot arrived: catch up with what other nodes changed.
    mutating func snapshotArrived(_ result: StoreResult, now: Date) -> [BrokerAction] {
        snapshotInFlight = false
        var actions: [BrokerAction] = []
        if case .clusterSnapshot(let snapshot) = result { actions += reconcile(snapshot, now: now) }
        if snapshotWanted { actions += requestSnapshot() }
        return actions
    }

    mutating func reconcile(_ snapshot: ClusterSnapshot, now: Date) -> [BrokerAction] {
        let skip = changedSinceSnapshot
        updatePresence(snapshot.presence)
        var queues = Set<QueueKey>()
        let queued = Dictionary(snapshot.state.queuedTickets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for ticket in snapshot.state.queuedTickets where tickets[ticket.id] == nil && !skip.contains(.ticket(ticket.id)) {
            tickets[ticket.id] = ticket
            queues.insert(QueueKey(ticket))
        }
        for ticket in tickets.values where queued[ticket.id] == nil && !skip.contains(.ticket(ticket.id)) {
            tickets[ticket.id] = nil
            overdue.remove(ticket.id)
            queues.insert(QueueKey(ticket))
        }
        let booked = Dictionary(snapshot.state.bookedInterviews.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for interview in interviews.values where booked[interview.id] == nil && !skip.contains(.interview(interview.id)) {
            interviews[interview.id] = nil
        }
        for interview in booked.values where interviews[interview.id] == nil && !skip.contains(.interview(interview.id)) {
            interviews[interview.id] = interview
        }
        var actions = followNotifications(snapshot.state.unseenNotifications, skip: skip)
        let open = Dictionary(snapshot.state.activeSessions.map { ($0.record.id, $0) }, uniquingKeysWith: { first, _ in first })
        for active in snapshot.state.activeSessions where !skip.contains(.session(active.record.id)) {
            if let live = sessions[active.record.id] {
                guard !live.opening else { continue }
                let present = Set(active.members.filter { $0.leftAt == nil }.map(\.id))
                if Set(live.activeMembers.map(\.id)) != present {
                    actions += membersChangedElsewhere(active)
                } else if active.record.lastSeq > live.record.lastSeq {
                    actions += behind(live, lastSeq: active.record.lastSeq)
                }
            } else {
                actions += adopt(active)
            }
        }
        for (id, reason) in snapshot.closed.sorted(by: { $0.key.rawValue < $1.key.rawValue })
        where open[id] == nil && !skip.contains(.session(id)) {
            actions += closedElsewhere(id, reason: reason)
        }
        return actions + route(now: now, alsoUpdate: Array(queues))
    }

    /// Notifications sent or seen through other nodes: new ones reach the applicant if they
    /// are connected here; seen ones leave the list `welcome` gives.
    mutating func followNotifications(_ shared: [NotificationRecord], skip: Set<SharedThing>) -> [BrokerAction] {
        let known = Set(unseen.values.flatMap { $0.map(\.id) })
        let sharedIDs = Set(shared.map(\.id))
        for (applicant, records) in unseen {
            let kept = records.filter { sharedIDs.contains($0.id) || skip.contains(.notification($0.id)) }
            unseen[applicant] = kept.isEmpty ? nil : kept
        }
        var actions: [BrokerAction] = []
        for record in shared where !known.contains(record.id) && !skip.contains(.notification(record.id)) {
            unseen[record.applicant, default: []].append(record)
            actions += broadcast(to: [record.applicant]) { .object(notificationJSON(record, locale: $0)) }
        }
        return actions
    }

    /// Staff connected to other nodes count for routing's fairness and for waits; the ones
    /// no longer anywhere go away (their sessions follow the grace period).
    mutating func updatePresence(_ presence: [ClusterSnapshot.Presence]) {
        let previous = Set(remotePresence.keys)
        remotePresence = Dictionary(presence.map { ($0.identity.id, $0) }, uniquingKeysWith: { first, _ in first })
        for record in presence where record.identity.role.isStaff && !isLocal(record.identity.id) {
            var state = staff[record.identity.id] ?? StaffState(identity: record.identity, capacity: max(1, record.capacity))
            state.identity = record.identity
            state.capacity = max(1, record.capacity)
            state.availability = record.availability
            staff[record.identity.id] = state
            refreshStaff(record.identity.id)
        }
        for id in previous.subtracting(remotePresence.keys) where !isLocal(id) {
            staff[id]?.availability = .away
            refreshStaff(id)
        }
    }

    /// A session another node opened: this node's members are told it started, then get its
    /// messages; staff loads count it.
    mutating func adopt(_ active: RecoveredState.ActiveSession) -> [BrokerAction] {
        var live = LiveSession(record: active.record, members: active.members, opening: false)
        let local = live.activeMembers.filter { isLocal($0.id) }
        // Nobody here to tell: only what it is and how far it got matters.
        if !local.isEmpty { live.record.lastSeq = 0 }
        sessions[active.record.id] = live
        for member in live.activeMembers where member.role.isStaff { holdSeat(live.record.id, for: member) }
        guard !local.isEmpty else { return [] }
        var actions = broadcast(to: local.map(\.id)) { _ in .object(["type": "session.started", "session": Self.sessionSummary(live)]) }
        actions += committedElsewhere(live.record.id, upTo: nil)
        return actions
    }

    /// The snapshot knows of later messages than this node (a lost wake-up): members here
    /// get them; with nobody here, only the position moves.
    mutating func behind(_ live: LiveSession, lastSeq: Int) -> [BrokerAction] {
        guard live.activeMembers.contains(where: { isLocal($0.id) }) else {
            sessions[live.record.id]?.record.lastSeq = lastSeq
            return []
        }
        return committedElsewhere(live.record.id, upTo: lastSeq)
    }

    /// Members joined or left on another node: loads follow, this node's joiners get the
    /// session, and everyone here gets the messages saying so.
    mutating func membersChangedElsewhere(_ active: RecoveredState.ActiveSession) -> [BrokerAction] {
        guard var live = sessions[active.record.id] else { return [] }
        let before = Set(live.activeMembers.map(\.id))
        live.members = active.members
        sessions[active.record.id] = live
        let after = Set(live.activeMembers.map(\.id))
        for member in live.members where member.role.isStaff {
            if after.contains(member.id) {
                holdSeat(live.record.id, for: member)
            } else {
                staff[member.id]?.sessions.remove(live.record.id)
                refreshStaff(member.id)
            }
        }
        let joined = after.subtracting(before).filter(isLocal).sorted { $0.rawValue < $1.rawValue }
        // Those who stay hear who left and who joined, as on the node that made the change.
        let staying = after.intersection(before).sorted { $0.rawValue < $1.rawValue }
        let sessionID = JSONValue.string(live.record.id.rawValue)
        var actions: [BrokerAction] = []
        for member in live.members where before.contains(member.id) && !after.contains(member.id) {
            actions += broadcast(to: staying) { _ in
                .object(["type": "participant.left", "session": sessionID, "participant": Self.memberJSON(member)])
            }
        }
        for member in live.activeMembers where !before.contains(member.id) {
            actions += broadcast(to: staying) { _ in
                .object(["type": "participant.joined", "session": sessionID, "participant": Self.memberJSON(member)])
            }
        }
        actions += broadcast(to: joined) { _ in .object(["type": "session.started", "session": Self.sessionSummary(live)]) }
        for participant in joined {
            guard let identity = directory[participant] else { continue }
            for connection in connectionIDs(of: participant) {
                actions += startReplay(connection, identity, ResumePoint(session: live.record.id, afterSeq: 0))
            }
        }
        return actions + committedElsewhere(live.record.id, upTo: nil)
    }

    /// A session closed on another node: its last messages first, then `session.closed`.
    mutating func closedElsewhere(_ id: SessionID, reason: String) -> [BrokerAction] {
        guard let live = sessions[id], !live.opening else { return [] }
        return [
            storeRequest(
                .history(id, afterSeq: live.record.lastSeq, limit: configuration.replayPageSize), then: .closedElsewhere(id, reason: reason)
            )
        ]
    }

    mutating func finishClosedElsewhere(_ id: SessionID, reason: String, _ result: StoreResult, now: Date) -> [BrokerAction] {
        guard sessions[id] != nil else { return [] }
        var actions: [BrokerAction] = []
        if case .history(let messages, _) = result { actions += deliverNew(messages, in: id) }
        guard let session = sessions[id] else { return actions }
        actions += broadcast(to: session.activeMembers.map(\.id)) { locale in
            .object([
                "type": "session.closed", "session": .string(id.rawValue), "reason": .string(reason),
                "text": .string(localizer.render("session.closed", ["reason": .string(reason)], locale: locale)),
            ])
        }
        sessions[id] = nil
        releaseStaff(of: session)
        let key = QueueKey(service: session.record.service, language: session.record.language)
        handlingTimes.record(now.timeIntervalSince(session.record.openedAt), for: key)
        return actions + route(now: now, alsoUpdate: [key])
    }

    /// A staff member's seat in a session opened or joined elsewhere (their load).
    mutating func holdSeat(_ session: SessionID, for member: SessionMember) {
        let identity = Identity(id: member.id, role: member.role, name: member.name, langs: member.langs)
        var state = staff[member.id] ?? StaffState(identity: identity, capacity: configuration.defaultCapacity)
        state.sessions.insert(session)
        staff[member.id] = state
        refreshStaff(member.id)
    }
}

extension StoreCommand {
    /// What the command changes that every node of an active-active cluster shares.
    var sharedThings: [Broker.SharedThing] {
        switch self {
        case .openTicket(let ticket), .openComplaint(let ticket, _, _):
            return [.ticket(ticket.id)]
        case .updateTicket(let id, _), .leaveMessage(let id, _):
            return [.ticket(id)]
        case .openSession(let record, _, _):
            return [.session(record.id)] + (record.ticket.map { [.ticket($0)] } ?? [])
        case .openInterview(let id, let record, _, _):
            return [.interview(id), .session(record.id)]
        case .changeMembers(let change):
            return [.session(change.session)] + (change.assignTicket.map { [.ticket($0)] } ?? [])
                + (change.openTicket.map { [.ticket($0.id)] } ?? [])
        case .closeSession(let id, _, _):
            return [.session(id)]
        case .bookInterview(let interview):
            return [.interview(interview.id)]
        case .cancelInterview(let id):
            return [.interview(id)]
        case .notify(let record):
            return [.notification(record.id)]
        case .notificationsSeen(_, let ids, _):
            return ids.map(Broker.SharedThing.notification)
        default:
            return []
        }
    }

    /// Whether the other nodes of an active-active cluster must hear of it once committed
    /// (they then take a snapshot, ``Broker/requestSnapshot()``).
    public var changesSharedState: Bool {
        if case .presence = self { return true }
        return !sharedThings.isEmpty
    }
}
