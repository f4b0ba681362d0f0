import Foundation
import GRDB
import JembatanCore
import Testing

@testable import JembatanStore

@Suite struct AppendTests {
    @Test(arguments: StoreKind.allCases) func seqHasNoGapsOver200AppendsInSeveralBatches(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        var seqs: [Int] = []
        var next = 0
        for batchSize in [1, 7, 50, 2, 90, 50] {
            let batch = (0..<batchSize).map { i -> StoreCommand in
                next += 1
                return .append(Fixture.text("pesan \(next)", clientID: "c-\(next)", at: 2_000 + Int64(next)))
            }
            let results = store.perform(batch)
            #expect(results.count == batchSize)
            seqs += results.compactMap { $0.appended?.message.seq }
        }
        #expect(next == 200)
        #expect(seqs == Array(2...201))  // seq 1 is the opening system message
        #expect(try store.lastSeq(session: SessionID("s-1")) == 201)
        #expect(try store.messageCount(session: SessionID("s-1")) == 201)
        let all = try #require(store.one(.history(SessionID("s-1"), afterSeq: 0, limit: 1_000)).history)
        #expect(all.messages.map(\.seq) == Array(1...201))
        #expect(all.messages.last?.message.text == "pesan 200")
    }

    @Test(arguments: StoreKind.allCases) func clientMessageIDMakesRetriesIdempotent(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample("s-1", ticket: "t-1")
        store.openSample("s-2", ticket: "t-2")
        let first = try #require(store.one(.append(Fixture.text("halo", clientID: "c-1"))).appended)
        #expect(first.duplicate == false)
        #expect(first.message.seq == 2)

        // A retry (even with different content) answers with the original and writes nothing.
        let retry = try #require(store.one(.append(Fixture.text("halo lagi", clientID: "c-1", at: 9_000))).appended)
        #expect(retry.duplicate == true)
        #expect(retry.message == first.message)
        #expect(try store.messageCount(session: SessionID("s-1")) == 2)
        #expect(try store.lastSeq(session: SessionID("s-1")) == 2)

        // Within one batch the second copy sees the first.
        let batch = store.perform([.append(Fixture.text("a", clientID: "c-2")), .append(Fixture.text("a", clientID: "c-2"))])
        #expect(batch.map { $0.appended?.duplicate } == [false, true])
        #expect(batch.map { $0.appended?.message.seq } == [3, 3])

        // The same key in another session is another message.
        let other = try #require(store.one(.append(Fixture.text("halo", in: "s-2", clientID: "c-1"))).appended)
        #expect(other.duplicate == false)
        #expect(other.message.seq == 2)
        #expect(try store.messageCount(session: SessionID("s-2")) == 2)
    }

    /// A new process knows no client id yet: it reads a session's when it first meets it.
    @Test func aRestartedWriterStillFindsRepeatedClientIDs() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("jembatan.sqlite").path
        let first: StoredMessage
        do {
            let store = try SQLiteStore(path: path)
            store.openSample()
            first = try #require(store.one(.append(Fixture.text("halo", clientID: "c-1"))).appended).message
            _ = store.one(.append(Fixture.text("dua", clientID: "c-2")))
        }
        let store = try SQLiteStore(path: path)
        let results = store.perform([
            .append(Fixture.text("halo lagi", clientID: "c-1")),  // a retry across the restart
            .append(Fixture.text("tiga", clientID: "c-3")),
            .append(Fixture.text("tiga", clientID: "c-3")),  // and one within the batch
        ])
        #expect(results.map { $0.appended?.duplicate } == [true, false, true])
        #expect(results.map { $0.appended?.message.seq } == [2, 4, 4])
        #expect(results.first?.appended?.message == first)
        #expect(try store.messageCount(session: SessionID("s-1")) == 4)
    }

    /// A batch that fails and runs again leaves the memo as if the failed attempt never ran.
    @Test func aBatchRunAgainForgetsTheClientIDsOfItsFailedAttempt() throws {
        let store = try SQLiteStore.inMemory()
        store.openSample()
        let results = store.perform([
            .append(Fixture.text("satu", clientID: "c-1")),
            .append(Fixture.text("hilang", in: "s-missing", clientID: "c-9")),  // fails: the batch runs again
            .append(Fixture.text("satu", clientID: "c-1")),
        ])
        #expect(results.map { $0.appended?.duplicate } == [false, nil, true])
        #expect(results.map { $0.appended?.message.seq } == [2, nil, 2])
        let retry = try #require(store.one(.append(Fixture.text("satu", clientID: "c-1"))).appended)
        #expect(retry.duplicate == true)
        #expect(retry.message.seq == 2)
        #expect(try store.messageCount(session: SessionID("s-1")) == 2)
    }

    /// The writer's memo of last seqs and names (SQLite) never answers for what changed since.
    @Test(arguments: StoreKind.allCases) func whatTheWriterRemembersFollowsChanges(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        #expect(store.one(.append(Fixture.text("satu", clientID: "c-1"))).appended?.message.senderName == "Siti Rahma")
        // A new name from a newer token is the one the next message carries.
        var renamed = Fixture.applicant
        renamed.name = "Siti R. Hasan"
        _ = store.one(.saveParticipant(renamed))
        let second = try #require(store.one(.append(Fixture.text("dua", clientID: "c-2"))).appended)
        #expect(second.message.senderName == "Siti R. Hasan")
        #expect(second.message.seq == 3)
        // A batch rolled back and run again (its last command fails) leaves no seq behind it.
        let batch = store.perform([
            .append(Fixture.text("tiga", clientID: "c-3")), .append(Fixture.text("hilang", in: "s-missing", clientID: "c-4")),
        ])
        #expect(batch[0].appended?.message.seq == 4)
        #expect(batch[1].failure?.kind == .notFound)
        #expect(store.one(.append(Fixture.text("empat", clientID: "c-5"))).appended?.message.seq == 5)
        // Members who join get a system message: the next seq follows it.
        let joined = store.one(
            .changeMembers(
                MemberChange(
                    session: SessionID("s-1"), leaving: [], joining: [SessionMember(Fixture.interpreter, joinedAt: Fixture.at(3_000))],
                    messages: [.system(SessionID("s-1"), key: "interpreter.joined", args: ["name": "ليلى"], at: Fixture.at(3_000))])))
        #expect(joined.failure == nil)
        #expect(store.one(.append(Fixture.text("lima", clientID: "c-6"))).appended?.message.seq == 7)
        #expect(try store.lastSeq(session: SessionID("s-1")) == 7)
    }

    @Test(arguments: StoreKind.allCases) func retryAfterCloseStillGetsItsAck(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        let original = try #require(store.one(.append(Fixture.text("halo", clientID: "c-1"))).appended)
        _ = store.one(
            .closeSession(
                SessionID("s-1"), reason: "resolved",
                message: .system(SessionID("s-1"), key: "session.closed.by", args: [:], at: Fixture.at(3_000))))
        let retry = try #require(store.one(.append(Fixture.text("halo", clientID: "c-1"))).appended)
        #expect(retry.duplicate == true)
        #expect(retry.message == original.message)
        // A new message is still refused.
        #expect(store.one(.append(Fixture.text("baru", clientID: "c-9"))).failure?.kind == .conflict)
    }

    @Test(arguments: StoreKind.allCases) func anotherSendersClientMessageIDIsAConflictNotARetry(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        _ = store.one(.append(Fixture.text("dari pemohon", clientID: "c-1")))
        let result = store.one(.append(Fixture.text("from officer", from: Fixture.officer, clientID: "c-1")))
        #expect(result.failure?.kind == .conflict)
        #expect(try store.messageCount(session: SessionID("s-1")) == 2)
    }

    @Test func aFailingCommandFailsAloneAndTheRestCommit() throws {
        let store = try SQLiteStore.inMemory()
        store.openSample("s-1", ticket: "t-1")
        store.openSample("s-2", ticket: "t-2")
        _ = store.one(.closeSession(SessionID("s-2"), reason: "resolved", message: Fixture.joined("s-2", at: 1_500)))
        let results = store.perform([
            .append(Fixture.text("satu", clientID: "c-1")),
            .append(Fixture.text("unknown session", in: "s-x")),
            .append(Fixture.text("closed session", in: "s-2")),
            .append(Fixture.text("dangling", replyTo: 99)),
            .audit(actor: ParticipantID("sup-1"), action: "history", subject: "s-1"),
            .append(Fixture.text("dua", clientID: "c-2", replyTo: 2)),
            .updateTicket(TicketID("t-404"), .cancelled),
        ])
        #expect(results.count == 7)
        #expect(results[0].appended?.message.seq == 2)
        #expect(results[1].failure?.kind == .notFound)
        #expect(results[2].failure?.kind == .conflict)
        #expect(results[3].failure?.kind == .badReference)
        #expect(results[4] == .done)
        // The failed append took no seq: no gap.
        #expect(results[5].appended?.message.seq == 3)
        #expect(results[6].failure?.kind == .notFound)
        #expect(try store.messageCount(session: SessionID("s-1")) == 3)
        #expect(try store.messageCount(session: SessionID("s-2")) == 2)
        #expect(try store.messageCount(session: SessionID("s-x")) == 0)
        try store.dbQueue.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") == 1)
        }
    }

    @Test(arguments: StoreKind.allCases) func auditEntriesKeepTheClientsAddress(_ kind: StoreKind) throws {
        let store = try kind.make()
        let actor = ParticipantID("sup-1")
        #expect(store.one(.audit(actor: actor, action: "search", subject: "*", address: "2001:db8::7")) == .done)
        #expect(store.one(.audit(actor: actor, action: "history", subject: "s-1")) == .done)
        #expect(try store.texts("SELECT client_address FROM audit_log ORDER BY id") == ["2001:db8::7", nil])
        #expect(try store.texts("SELECT action FROM audit_log ORDER BY id") == ["search", "history"])
    }

    @Test(arguments: StoreKind.allCases) func referencesMustPointAtAStoredMessage(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        #expect(store.one(.append(Fixture.text("ok", replyTo: 1))).appended?.message.message.replyTo == 1)
        #expect(store.one(.append(Fixture.text("zero", translationOf: 0))).failure?.kind == .badReference)
        // Pointing at itself (the seq it would get) is not a stored message either.
        #expect(store.one(.append(Fixture.text("self", translationOf: 3))).failure?.kind == .badReference)
        let translated = store.one(.append(Fixture.text("terjemahan", from: Fixture.interpreter, translationOf: 2)))
        #expect(translated.appended?.message.message.translationOf == 2)
        #expect(try store.lastSeq(session: SessionID("s-1")) == 3)
    }

    @Test func aBatchThatCannotCommitFailsEveryCommand() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("busy.sqlite").path
        let store = try SQLiteStore(path: path, busyTimeout: 0.05)
        store.openSample()
        // Another connection holds the write lock, so the batch's transaction cannot begin.
        var config = Configuration()
        config.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: config)
        try other.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        let results = store.perform([
            .append(Fixture.text("satu", clientID: "c-1")), .history(SessionID("s-1"), afterSeq: 0, limit: 10),
        ])
        #expect(results.map { $0.failure?.kind } == [.unavailable, .unavailable])
        try other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        #expect(try store.messageCount(session: SessionID("s-1")) == 1)
        // The same command goes through once the lock is gone.
        #expect(store.one(.append(Fixture.text("satu", clientID: "c-1"))).appended?.message.seq == 2)
    }
}
