import Foundation
import JembatanCore
import Testing

@testable import JembatanStore

@Suite struct DurabilityTests {
    @Test func aReopenedFileStoreSeesTheSameData() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("jembatan.sqlite").path
        let id = SessionID("s-1")
        let before: Transcript
        let recoveredBefore: RecoveredState
        do {
            let store = try SQLiteStore(path: path)
            store.openSample()
            _ = store.perform([
                .openTicket(Fixture.ticket("t-waiting", createdAt: 10)),
                .append(Fixture.text("مرحبا", clientID: "c-1")),
                .append(Fixture.text("你好", from: Fixture.officer, clientID: "c-2", replyTo: 2)),
            ])
            before = try #require(store.one(.transcript(id)).transcript)
            recoveredBefore = try store.recover()
        }
        #expect(before.messages.count == 3)
        let store = try SQLiteStore(path: path)
        #expect(store.one(.transcript(id)).transcript == before)
        let recovered = try store.recover()
        #expect(recovered == recoveredBefore)
        #expect(recovered.queuedTickets.map(\.id.rawValue) == ["t-waiting"])
        #expect(recovered.activeSessions.map(\.record.id) == [id])
        // Numbering and idempotency carry on where they were.
        #expect(store.one(.append(Fixture.text("retry", from: Fixture.officer, clientID: "c-2"))).appended?.duplicate == true)
        #expect(store.one(.append(Fixture.text("lagi", clientID: "c-3"))).appended?.message.seq == 4)
    }
}
