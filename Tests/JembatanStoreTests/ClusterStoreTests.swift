import Foundation
import JembatanCore
import Logging
import Testing

@testable import JembatanPostgres

/// The active-active cluster's shared state on a real PostgreSQL: presence per node that
/// lasts only while its node lives, one snapshot of everything, and claims that two nodes
/// cannot both win.
@Suite struct ClusterStoreTests {
    /// A registered node (its own `broker_nodes` row) and a store writing as it.
    func node(_ name: String, seconds: Int = 60, _ settings: PostgresSettings) throws -> (BrokerLease, PostgresStore) {
        let registration = try BrokerLease(node: name, seconds: seconds, scope: .node, settings: settings, logger: Logger(label: "test"))
        _ = registration.acquire()
        let store = try PostgresStore(settings: settings, fence: registration.fence())
        return (registration, store)
    }

    func snapshot(_ store: PostgresStore, known: [SessionID] = []) throws -> ClusterSnapshot {
        guard case .clusterSnapshot(let snapshot) = store.one(.clusterSnapshot(known: known)) else {
            throw FixtureFailure("no snapshot")
        }
        return snapshot
    }

    @Test func presenceCountsWhileItsNodeLivesAndTheMostAvailableNodeWins() throws {
        let settings = try TestPostgres.freshDatabase()
        let (_, first) = try node("n1", settings)
        let (secondNode, second) = try node("n2", seconds: 2, settings)
        #expect(first.one(.presence(Fixture.officer, availability: .away, capacity: 2)) == .done)
        #expect(second.one(.presence(Fixture.officer, availability: .available, capacity: 2)) == .done)
        #expect(second.one(.presence(Fixture.applicant, availability: .available, capacity: 0)) == .done)
        let both = try snapshot(first).presence
        #expect(both.map(\.identity.id) == [Fixture.applicant.id, Fixture.officer.id])
        #expect(both.last?.availability == .available)
        // n2 stops renewing: once its row expired, what it recorded no longer counts.
        _ = secondNode
        Thread.sleep(forTimeInterval: 2.3)
        let after = try snapshot(first).presence
        #expect(after.map(\.identity.id) == [Fixture.officer.id])
        #expect(after.first?.availability == .away)
        // Gone from n1 too.
        #expect(first.one(.presence(Fixture.officer, availability: nil, capacity: 0)) == .done)
        #expect(try snapshot(first).presence.isEmpty)
    }

    @Test func twoNodesClaimingOneTicketOpenOneSession() throws {
        let settings = try TestPostgres.freshDatabase()
        let (_, first) = try node("n1", settings)
        let (_, second) = try node("n2", settings)
        #expect(first.one(.openTicket(Fixture.ticket())) == .done)
        #expect(try snapshot(second).state.queuedTickets.map(\.id) == [TicketID("t-1")])
        let won = first.one(.openSession(Fixture.session("s-1"), members: Fixture.members(), messages: [Fixture.joined("s-1")]))
        let lost = second.one(.openSession(Fixture.session("s-2"), members: Fixture.members(), messages: [Fixture.joined("s-2")]))
        guard case .sessionOpened = won else { throw FixtureFailure("the first claim failed: \(won)") }
        #expect(lost.failure?.kind == .conflict)
        let shared = try snapshot(second, known: [SessionID("s-1")])
        #expect(shared.state.queuedTickets.isEmpty)
        #expect(shared.state.activeSessions.map(\.record.id) == [SessionID("s-1")])
        #expect(shared.closed.isEmpty)
    }

    @Test func aStaffMemberIsNeverGivenMoreSessionsThanTheirPresenceAllows() throws {
        let settings = try TestPostgres.freshDatabase()
        let (_, store) = try node("n1", settings)
        #expect(store.one(.presence(Fixture.officer, availability: .available, capacity: 1)) == .done)
        for ticket in ["t-1", "t-2"] { #expect(store.one(.openTicket(Fixture.ticket(ticket))) == .done) }
        let first = store.one(
            .openSession(Fixture.session("s-1", ticket: "t-1"), members: Fixture.members(), messages: [Fixture.joined("s-1")]))
        guard case .sessionOpened = first else { throw FixtureFailure("the first session failed: \(first)") }
        let second = store.one(
            .openSession(Fixture.session("s-2", ticket: "t-2"), members: Fixture.members(), messages: [Fixture.joined("s-2")]))
        #expect(second.failure?.kind == .conflict)
        // Refused whole: the ticket is still queued for someone else.
        #expect(try snapshot(store).state.queuedTickets.map(\.id) == [TicketID("t-2")])
        // Once the first session closed, the seat is free again; the snapshot says it closed.
        let closing = NewMessage.system(
            SessionID("s-1"), key: "session.closed.by", args: ["name": "Budi", "reason": "resolved"], at: Fixture.at(5_000))
        #expect(store.one(.closeSession(SessionID("s-1"), reason: "resolved", message: closing)).failure == nil)
        #expect(try snapshot(store, known: [SessionID("s-1")]).closed == [SessionID("s-1"): "resolved"])
        let retried = store.one(
            .openSession(Fixture.session("s-2", ticket: "t-2"), members: Fixture.members(), messages: [Fixture.joined("s-2")]))
        #expect(retried.failure == nil)
    }

    @Test func presenceNeedsANodeOfAnActiveActiveCluster() throws {
        let store = try PostgresStore(settings: try TestPostgres.freshDatabase())
        #expect(store.one(.presence(Fixture.officer, availability: .available, capacity: 1)).failure?.kind == .conflict)
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
