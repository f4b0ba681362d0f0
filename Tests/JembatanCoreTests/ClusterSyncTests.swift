import Foundation
import Testing

@testable import JembatanCore

/// Active-active cluster mode: the broker follows what other nodes changed from snapshots of
/// the shared store, tells its own connections, and assigns only to staff connected here.
@Suite struct ClusterSyncTests {
    func clustered(_ people: [Identity]) throws -> Harness {
        var configuration = BrokerConfiguration()
        configuration.clusterActive = true
        return try Harness(people, configuration: configuration)
    }

    /// Answers a snapshot request with `snapshot` (what the shared store says now).
    func deliverSnapshot(_ h: inout Harness, _ snapshot: ClusterSnapshot) throws -> [BrokerAction] {
        let request = h.broker.requestSnapshot()
        guard case .store(let id, .clusterSnapshot) = try #require(request.first) else {
            Issue.record("no snapshot request")
            return []
        }
        return h.settle(h.broker.stored(id, result: .clusterSnapshot(snapshot), now: h.now))
    }

    func present(_ identity: Identity, _ availability: Availability = .available) -> ClusterSnapshot.Presence {
        .init(identity: identity, availability: availability, capacity: identity.capacity ?? 3)
    }

    func queued(_ h: Harness) -> [TicketRecord] { h.broker.tickets.values.sorted { $0.createdAt < $1.createdAt } }

    func activeSessions(_ h: Harness) -> [RecoveredState.ActiveSession] {
        h.broker.sessions.values.map { .init(record: $0.record, members: $0.members) }
    }

    /// Siti available and Layla served by her, both connected here.
    func servedHere() throws -> (Harness, siti: ConnectionID, layla: ConnectionID) {
        var h = try clustered([.layla, .siti])
        let siti = h.login("c-1")
        _ = h.send(siti, ["type": "status", "availability": "available"])
        let layla = h.login("a-17")
        _ = h.send(layla, ["type": "request", "id": "r", "service": "counselling", "language": "ar"])
        return (h, siti, layla)
    }

    @Test func presenceIsRecordedForTheClusterOnConnectStatusAndDisconnect() throws {
        var h = try clustered([.siti])
        let siti = h.login("c-1")
        _ = h.send(siti, ["type": "status", "availability": "available"])
        _ = h.settle(h.broker.disconnected(siti, now: h.now))
        let records = h.commands.compactMap { command -> Availability?? in
            if case .presence(_, let availability, _) = command { return availability }
            return nil
        }
        #expect(records == [.some(.away), .some(.available), .none])
    }

    @Test func aSessionOpenedOnAnotherNodeIsAnnouncedToTheApplicantHere() throws {
        var h = try clustered([.layla, .siti])
        let layla = h.login("a-17")
        _ = h.send(layla, ["type": "request", "id": "r", "service": "counselling", "language": "ar"])
        let ticket = try #require(queued(h).first)
        // Another node assigned the ticket to Siti, connected there, and stored the session.
        let session = SessionID("s-elsewhere")
        let record = SessionRecord(id: session, ticket: ticket.id, service: .counselling, language: "ar", openedAt: h.now)
        let joined = h.append(
            .system(session, key: "session.joined", args: ["name": "Siti", "role": "counsellor"], at: h.now), session: session)
        var active = RecoveredState.ActiveSession(
            record: record, members: [SessionMember(.layla, joinedAt: h.now), SessionMember(.siti, joinedAt: h.now)])
        active.record.lastSeq = joined.seq
        let actions = try deliverSnapshot(
            &h, ClusterSnapshot(state: RecoveredState(activeSessions: [active]), presence: [present(.layla), present(.siti)]))
        let frames = actions.frames(to: layla)
        #expect(frames.map { $0["type"]?.stringValue } == ["session.started", "message"])
        #expect(frames.last?["seq"]?.numberValue == Double(joined.seq))
        #expect(h.broker.tickets.isEmpty)
        // Siti's seat counts here too: her load is one session.
        #expect(h.broker.staff[Identity.siti.id]?.load == 1)
        #expect(h.broker.watchedSessions == [session])
    }

    @Test func ticketsQueuedElsewhereMoveTheApplicantsHere() throws {
        var h = try clustered([.layla])
        let layla = h.login("a-17")
        _ = h.send(layla, ["type": "request", "id": "r", "service": "counselling", "language": "ar"])
        let earlier = TicketRecord(
            id: TicketID("t-elsewhere"), applicant: Identity.wei.id, service: .counselling, language: "ar", note: nil,
            createdAt: h.now.addingTimeInterval(-60))
        let mine = try #require(queued(h).first)
        let actions = try deliverSnapshot(
            &h, ClusterSnapshot(state: RecoveredState(queuedTickets: [earlier, mine]), presence: [present(.layla), present(.wei)]))
        #expect(actions.frames(to: layla, type: "queue.update").last?["position"]?.numberValue == 2)
        // It is gone from the shared store (assigned or cancelled elsewhere): back to first.
        let after = try deliverSnapshot(&h, ClusterSnapshot(state: RecoveredState(queuedTickets: [mine]), presence: [present(.layla)]))
        #expect(after.frames(to: layla, type: "queue.update").last?["position"]?.numberValue == 1)
    }

    @Test func theFairestStaffMemberOnAnotherNodeIsLeftToThatNode() throws {
        var h = try clustered([.layla, .wei, .siti])
        let siti = h.login("c-1")
        _ = h.send(siti, ["type": "status", "availability": "available"])
        let layla = h.login("a-17")
        _ = h.send(layla, ["type": "request", "id": "r", "service": "counselling", "language": "ar"])
        #expect(h.broker.staff[Identity.siti.id]?.load == 1)
        // Budi, free and with nobody, is connected to another node: the next ticket is his.
        _ = try deliverSnapshot(
            &h, ClusterSnapshot(state: RecoveredState(activeSessions: activeSessions(h)), presence: [present(.siti), present(.budi)]))
        let wei = h.login("a-18")
        let asked = h.send(wei, ["type": "request", "id": "r", "service": "counselling", "language": "ar"])
        #expect(asked.frames(to: wei, type: "queued").count == 1)
        #expect(asked.frames(to: wei, type: "session.started").isEmpty)
        // He went away on his node: Siti, here and with room, takes it.
        let ticket = try #require(queued(h).first)
        let routed = try deliverSnapshot(
            &h,
            ClusterSnapshot(
                state: RecoveredState(queuedTickets: [ticket], activeSessions: activeSessions(h)),
                presence: [present(.siti), present(.budi, .away)]))
        #expect(routed.frames(to: wei, type: "session.started").count == 1)
        #expect(h.broker.staff[Identity.siti.id]?.load == 2)
    }

    @Test func aStaffMemberConnectedElsewhereKeepsTheirSessionsPastTheGrace() throws {
        var (h, siti, _) = try servedHere()
        let session = try #require(h.broker.sessions.values.first?.record.id)
        _ = h.broker.disconnected(siti, now: h.now)
        // She reconnected to another node.
        _ = try deliverSnapshot(
            &h, ClusterSnapshot(state: RecoveredState(activeSessions: activeSessions(h)), presence: [present(.layla), present(.siti)]))
        h.now = h.now.addingTimeInterval(h.broker.configuration.staffGraceSeconds + 5)
        _ = h.settle(h.broker.tick(now: h.now))
        #expect(h.broker.sessions[session] != nil)
        // Gone from every node: her grace starts now, and after it the applicant is re-queued.
        _ = try deliverSnapshot(
            &h, ClusterSnapshot(state: RecoveredState(activeSessions: activeSessions(h)), presence: [present(.layla)]))
        _ = h.settle(h.broker.tick(now: h.now))
        #expect(h.broker.sessions[session] != nil)
        h.now = h.now.addingTimeInterval(h.broker.configuration.staffGraceSeconds + 5)
        _ = h.settle(h.broker.tick(now: h.now))
        #expect(h.broker.sessions[session] == nil)
        #expect(h.commands.contains { if case .closeSession(session, "transferred", _) = $0 { return true } else { return false } })
    }

    @Test func aSessionClosedElsewhereEndsHereAfterItsLastMessages() throws {
        var (h, _, layla) = try servedHere()
        let session = try #require(h.broker.sessions.values.first?.record.id)
        // Siti closed it from another node (her other connection).
        let closing = h.append(
            .system(session, key: "session.closed.by", args: ["name": "Siti", "reason": "resolved"], at: h.now), session: session)
        let actions = try deliverSnapshot(&h, ClusterSnapshot(state: RecoveredState(), presence: [], closed: [session: "resolved"]))
        let frames = actions.frames(to: layla)
        #expect(frames.map { $0["type"]?.stringValue } == ["message", "session.closed"])
        #expect(frames.first?["seq"]?.numberValue == Double(closing.seq))
        #expect(h.broker.sessions[session] == nil)
        #expect(h.broker.staff[Identity.siti.id]?.load == 0)
    }

    @Test func aSnapshotDoesNotUndoWhatThisNodeChangedMeanwhile() throws {
        var h = try clustered([.layla])
        let layla = h.login("a-17")
        let request = h.broker.requestSnapshot()
        guard case .store(let id, .clusterSnapshot) = try #require(request.first) else { return }
        // Read before the ticket below committed: the snapshot does not have it.
        _ = h.send(layla, ["type": "request", "id": "r", "service": "counselling", "language": "ar"])
        #expect(queued(h).count == 1)
        _ = h.settle(h.broker.stored(id, result: .clusterSnapshot(ClusterSnapshot(state: RecoveredState(), presence: [])), now: h.now))
        #expect(queued(h).count == 1)
        // The next snapshot has it.
        _ = try deliverSnapshot(&h, ClusterSnapshot(state: RecoveredState(queuedTickets: queued(h)), presence: [present(.layla)]))
        #expect(queued(h).count == 1)
    }

    @Test func anInterpreterJoiningOnAnotherNodeIsAnnouncedHere() throws {
        var (h, siti, layla) = try servedHere()
        var active = try #require(activeSessions(h).first)
        // Lin, connected to a third node, was assigned the interpreter request there.
        active.members.append(SessionMember(.lin, joinedAt: h.now))
        let joined = h.append(
            .system(active.record.id, key: "session.interpreter", args: ["name": "Lin"], at: h.now), session: active.record.id)
        active.record.lastSeq = joined.seq
        let actions = try deliverSnapshot(
            &h,
            ClusterSnapshot(state: RecoveredState(activeSessions: [active]), presence: [present(.layla), present(.siti), present(.lin)]))
        for connection in [layla, siti] {
            #expect(actions.frames(to: connection).map { $0["type"]?.stringValue } == ["participant.joined", "message"])
            #expect(actions.frames(to: connection, type: "message").first?["seq"]?.numberValue == Double(joined.seq))
        }
        #expect(h.broker.staff[Identity.lin.id]?.load == 1)
    }

    @Test func aNotificationSentThroughAnotherNodeReachesTheApplicantHereOnce() throws {
        var h = try clustered([.layla])
        let layla = h.login("a-17")
        let record = NotificationRecord(
            id: "n-1", applicant: Identity.layla.id, key: "documents_ready", args: [:], createdAt: h.now)
        let state = {
            var state = RecoveredState(); state.unseenNotifications = [record]; return state
        }()
        let first = try deliverSnapshot(&h, ClusterSnapshot(state: state, presence: [present(.layla)]))
        #expect(first.frames(to: layla, type: "notification").map { $0["id"]?.stringValue } == ["n-1"])
        #expect(try deliverSnapshot(&h, ClusterSnapshot(state: state, presence: [present(.layla)])).frames(to: layla).isEmpty)
        // Seen on her other device, connected elsewhere: no longer offered here.
        _ = try deliverSnapshot(&h, ClusterSnapshot(state: RecoveredState(), presence: [present(.layla)]))
        #expect(h.broker.unseen[Identity.layla.id] == nil)
    }

    @Test func typingGoesToTheOtherNodesAndComesBackOnlyToOthers() throws {
        var (h, siti, layla) = try servedHere()
        let session = try #require(h.broker.sessions.values.first?.record.id)
        let actions = h.send(layla, ["type": "typing", "session": .string(session.rawValue), "on": true])
        let relayed = actions.compactMap { action -> JSONValue? in
            if case .relay(session, let frame) = action { return frame }
            return nil
        }
        #expect(relayed.count == 1)
        // The same frame arriving from another node (Layla has a second device there).
        let frame = try #require(relayed.first)
        let here = h.broker.relayedElsewhere(session, frame: frame)
        #expect(here.frames(to: siti, type: "typing").count == 1)
        #expect(here.frames(to: layla).isEmpty)
    }
}
