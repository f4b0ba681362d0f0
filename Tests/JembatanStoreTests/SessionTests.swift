import Foundation
import GRDB
import JembatanCore
import Testing

@testable import JembatanStore

@Suite struct SessionTests {
    @Test func openSessionAssignsTheTicketAndNumbersItsMessages() throws {
        let store = try SQLiteStore.inMemory()
        let messages = [
            Fixture.joined(),
            NewMessage.system(SessionID("s-1"), key: "session.intro", args: ["service": "visa"], at: Fixture.at(1_000)),
            Fixture.text("selamat datang", from: Fixture.officer, at: 1_001),
        ]
        let results = store.perform([
            .saveParticipant(Fixture.applicant),
            .openTicket(Fixture.ticket()),
            .openSession(Fixture.session(), members: Fixture.members(), messages: messages),
        ])
        guard case .sessionOpened(let stored) = results[2] else {
            Issue.record("expected sessionOpened, got \(results[2])")
            return
        }
        #expect(stored.map(\.seq) == [1, 2, 3])
        #expect(stored.map(\.message) == messages)
        // The officer was never saved: the session still gives them a name row.
        #expect(stored[2].senderName == "Budi")
        #expect(try store.lastSeq(session: SessionID("s-1")) == 3)
        try store.dbQueue.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "SELECT state FROM tickets WHERE id = 't-1'") == "assigned")
        }
        #expect(try store.recover().queuedTickets.isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func openSessionForAnUnknownTicketStoresNothing(_ kind: StoreKind) throws {
        let store = try kind.make()
        let result = store.one(.openSession(Fixture.session(ticket: "t-404"), members: Fixture.members(), messages: [Fixture.joined()]))
        #expect(result.failure?.kind == .notFound)
        #expect(try store.lastSeq(session: SessionID("s-1")) == nil)
        #expect(try store.messageCount(session: SessionID("s-1")) == 0)
        // Opening the same session twice is a conflict, and the first stays as it was.
        store.openSample()
        #expect(store.openSample().failure?.kind == .conflict)
        #expect(try store.messageCount(session: SessionID("s-1")) == 1)
    }

    @Test func aFailingOpenSessionLeavesNothingBehind() throws {
        let store = try SQLiteStore.inMemory()
        // The last opening message fails after the session, its members and the ticket were
        // written: the savepoint must take all of that back, and the next command still runs.
        let results = store.perform([
            .openTicket(Fixture.ticket()),
            .openSession(Fixture.session(), members: Fixture.members(), messages: [Fixture.joined(), Fixture.text("x", replyTo: 7)]),
            .saveParticipant(Fixture.interpreter),
        ])
        #expect(results[1].failure?.kind == .badReference)
        #expect(results[2] == .done)
        #expect(try store.lastSeq(session: SessionID("s-1")) == nil)
        #expect(try store.recover().queuedTickets.map(\.id) == [TicketID("t-1")])
        try store.dbQueue.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM session_participants") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM participants") == 1)  // the interpreter
        }
    }

    @Test(arguments: StoreKind.allCases) func closedSessionRefusesMessages(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        _ = store.one(.append(Fixture.text("terima kasih")))
        let closing = NewMessage.system(SessionID("s-1"), key: "session.closed.by", args: ["reason": "resolved"], at: Fixture.at(5_000))
        let closed = store.one(.closeSession(SessionID("s-1"), reason: "resolved", message: closing))
        #expect(closed == .sessionClosed(StoredMessage(seq: 3, message: closing, senderName: nil)))

        #expect(store.one(.append(Fixture.text("masih di sini?"))).failure?.kind == .conflict)
        #expect(store.one(.closeSession(SessionID("s-1"), reason: "other", message: closing)).failure?.kind == .conflict)
        #expect(store.one(.closeSession(SessionID("s-9"), reason: "other", message: closing)).failure?.kind == .notFound)

        let transcript = try #require(store.one(.transcript(SessionID("s-1"))).transcript)
        #expect(transcript.session.state == .closed)
        #expect(transcript.session.closedAt == Fixture.at(5_000))
        #expect(transcript.session.closeReason == "resolved")
        #expect(transcript.session.lastSeq == 3)
        #expect(try store.messageCount(session: SessionID("s-1")) == 3)
        #expect(try store.recover().activeSessions.isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func recoverReturnsQueuedTicketsAndActiveSessionsOnly(_ kind: StoreKind) throws {
        let store = try kind.make()
        let queued = [
            Fixture.ticket("t-low-new", priority: 0, createdAt: 50),
            Fixture.ticket("t-high", priority: 2, createdAt: 100),
            Fixture.ticket("t-low-old", priority: 0, createdAt: -100),
        ]
        _ = store.perform(queued.map { .openTicket($0) } + [.openTicket(Fixture.ticket("t-gone"))])
        _ = store.one(.updateTicket(TicketID("t-gone"), .cancelled))
        store.openSample("s-late", ticket: "t-a", openedAt: 2_000)
        store.openSample("s-early", ticket: "t-b", openedAt: 1_000)
        store.openSample("s-closed", ticket: "t-c", openedAt: 500)
        _ = store.one(.closeSession(SessionID("s-closed"), reason: "resolved", message: Fixture.joined("s-closed", at: 3_000)))

        let recovered = try store.recover()
        #expect(recovered.queuedTickets.map(\.id.rawValue) == ["t-high", "t-low-old", "t-low-new"])
        // Whole records, dates to the millisecond.
        #expect(recovered.queuedTickets == [queued[1], queued[2], queued[0]])
        #expect(recovered.activeSessions.map(\.record.id.rawValue) == ["s-early", "s-late"])
        let early = try #require(recovered.activeSessions.first)
        var expected = Fixture.session("s-early", ticket: "t-b", openedAt: 1_000)
        expected.lastSeq = 1
        #expect(early.record == expected)
        #expect(early.members == Fixture.members(openedAt: 1_000))
    }
}
