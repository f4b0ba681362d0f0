import Foundation
import GRDB
import JembatanCore
import Testing

@testable import JembatanStore

/// Member changes (transfers, joins) and messages left on tickets, as stored and recovered.
@Suite struct TransferStoreTests {
    static let transferTicket = TicketRecord(
        id: TicketID("t-2"), applicant: Fixture.applicant.id, service: .visa, language: "en", note: nil, priority: 1,
        createdAt: Fixture.at(1_000), role: .officer, session: SessionID("s-1"))

    @Test(arguments: StoreKind.allCases) func aTransferToATeamLeavesTheOfficerOutAndQueuesTheSessionWithItsRole(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        let told = NewMessage.system(
            SessionID("s-1"), key: "session.transferred", args: ["name": "Budi", "role": "officer"], at: Fixture.at(3_000))
        let change = MemberChange(
            session: SessionID("s-1"), leaving: [Fixture.officer.id], messages: [told], openTicket: Self.transferTicket)
        #expect(store.one(.changeMembers(change)) == .membersChanged([StoredMessage(seq: 2, message: told, senderName: nil)]))

        let recovered = try store.recover()
        #expect(recovered.queuedTickets == [Self.transferTicket])
        let members = try #require(recovered.activeSessions.first).members
        #expect(members.first { $0.id == Fixture.officer.id }?.leftAt == Fixture.at(3_000))
        #expect(members.first { $0.id == Fixture.applicant.id }?.leftAt == nil)
    }

    @Test(arguments: StoreKind.allCases) func joiningAssignsTheTicketAndAddsTheMember(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        _ = store.one(.openTicket(Self.transferTicket))
        let joined = NewMessage.system(SessionID("s-1"), key: "session.joined", args: ["name": "Dewi"], at: Fixture.at(4_000))
        let change = MemberChange(
            session: SessionID("s-1"), joining: [SessionMember(Fixture.interpreter, joinedAt: Fixture.at(4_000))], messages: [joined],
            assignTicket: TicketID("t-2"))
        guard case .membersChanged(let stored) = store.one(.changeMembers(change)) else {
            Issue.record("expected membersChanged")
            return
        }
        #expect(stored.map(\.seq) == [2])
        let recovered = try store.recover()
        #expect(recovered.queuedTickets.isEmpty)
        #expect(recovered.activeSessions.first?.members.map(\.id).contains(Fixture.interpreter.id) == true)
    }

    @Test(arguments: StoreKind.allCases) func aChangeToAClosedOrUnknownSessionStoresNothing(_ kind: StoreKind) throws {
        let store = try kind.make()
        let told = NewMessage.system(SessionID("s-1"), key: "session.transferred", args: [:], at: Fixture.at(3_000))
        let change = MemberChange(
            session: SessionID("s-1"), leaving: [Fixture.officer.id], messages: [told], openTicket: Self.transferTicket)
        #expect(store.one(.changeMembers(change)).failure?.kind == .notFound)
        store.openSample()
        let closing = NewMessage.system(SessionID("s-1"), key: "session.closed.by", args: [:], at: Fixture.at(5_000))
        _ = store.one(.closeSession(SessionID("s-1"), reason: "resolved", message: closing))
        #expect(store.one(.changeMembers(change)).failure?.kind == .conflict)
        #expect(try store.recover().queuedTickets.isEmpty)  // the ticket was rolled back with it
    }

    @Test func aLeftMessageIsKeptOnTheQueuedTicketAndClearedOnceAssigned() throws {
        let store = try SQLiteStore.inMemory()
        _ = store.one(.openTicket(Fixture.ticket()))
        let left = LeftMessage(text: "mohon hubungi saya", dir: "ltr", at: Fixture.at(500))
        #expect(store.one(.leaveMessage(TicketID("t-1"), left)) == .done)
        #expect(try store.recover().queuedTickets.first?.leftMessage == left)
        #expect(store.one(.leaveMessage(TicketID("t-9"), left)).failure?.kind == .notFound)
        _ = store.one(.openSession(Fixture.session(), members: Fixture.members(), messages: [Fixture.joined()]))
        try store.dbQueue.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "SELECT left_text FROM tickets WHERE id = 't-1'") == nil)
        }
    }
}
