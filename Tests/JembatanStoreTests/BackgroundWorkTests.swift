import Foundation
import GRDB
import JembatanCore
import Testing

@testable import JembatanStore

/// What the SQLite store does after the commit: the search backlog and the WAL checkpoints
/// on their own thread.
@Suite struct BackgroundWorkTests {
    func indexed(_ store: SQLiteStore) throws -> Int {
        try store.dbQueue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM message_search") ?? -1 }
    }

    func found(_ store: SQLiteStore, _ query: String) -> [Int] {
        guard case .found(let messages) = store.one(.search(query: query, reader: nil, limit: 50)) else { return [] }
        return messages.map(\.seq).sorted()
    }

    @Test func aSearchSeesTheBacklogAndALostBacklogIsIndexedAtTheNextStart() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("jembatan.sqlite").path
        do {
            let store = try SQLiteStore(path: path)
            store.openSample()
            _ = store.perform([
                .append(Fixture.text("paspor hilang", clientID: "m-1")), .append(Fixture.text("visa habis", clientID: "m-2")),
            ])
            #expect(try indexed(store) == 0)  // a fresh backlog waits for the next due batch
            #expect(found(store, "paspor") == [2])  // but a search indexes it first
            #expect(try indexed(store) == 2)
            _ = store.perform([.append(Fixture.text("paspor baru", clientID: "m-3"))])
            #expect(try indexed(store) == 2)
        }  // the process ends with m-3 in the backlog
        let reopened = try SQLiteStore(path: path)
        #expect(try indexed(reopened) == 3)
        #expect(found(reopened, "paspor") == [2, 4])
    }

    @Test func aBatchRunAgainAfterAFailingCommandLosesNoBacklog() throws {
        let store = try SQLiteStore.inMemory()
        store.openSample()
        _ = store.perform([.append(Fixture.text("paspor hilang", clientID: "m-1"))])  // in the backlog
        let results = store.perform([
            .append(Fixture.text("paspor kedua", clientID: "m-2")),
            .append(Fixture.text("tidak ada", in: "s-missing", clientID: "m-3")),  // fails: the batch runs again
            .append(Fixture.text("paspor ketiga", clientID: "m-4")),
        ])
        #expect(results.map { if case .appended(let stored, _) = $0 { stored.seq } else { 0 } } == [3, 0, 4])
        #expect(found(store, "paspor") == [2, 3, 4])
        #expect(try store.lastSeq(session: SessionID("s-1")) == 4)
    }

    @Test func aLongBacklogIsIndexedWithoutASearch() throws {
        let store = try SQLiteStore.inMemory()
        store.openSample()
        let count = SQLiteStore.SearchBacklog.maxEntries
        let batch = (1...count).map { StoreCommand.append(Fixture.text("pesan nomor \($0)", clientID: "m-\($0)")) }
        _ = store.perform(batch)
        #expect(try indexed(store) == count)
    }

    @Test func theBackgroundCheckpointerKeepsTheLogShort() throws {
        let folder = Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("jembatan.sqlite").path
        let store = try SQLiteStore(path: path, checkpoints: .init(interval: 0.005, restartFrames: 50))
        store.openSample()
        let wal = path + "-wal"
        let text = String(repeating: "kata ", count: 400)  // ~2 KiB: about a page a message
        for batch in 0..<400 {
            let commands = (0..<4).map { StoreCommand.append(Fixture.text(text, clientID: "m-\(batch)-\($0)")) }
            #expect(store.perform(commands).allSatisfy { if case .appended = $0 { true } else { false } })
            // Paced against the copier's 5 ms passes: a writer far faster than its copier
            // outruns any restart (the shipped pass is every 500 ms for 64 MiB of log).
            Thread.sleep(forTimeInterval: 0.002)
        }
        // 1,600 messages wrote well over 800 pages (3 MiB); with the writer's own checkpoints
        // off, only restarts keep the log far below that.
        let walBytes = try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int ?? 0
        let databaseBytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(walBytes < 1_500_000)
        #expect(databaseBytes > 3_000_000)
        #expect(try store.lastSeq(session: SessionID("s-1")) == 1_601)
    }
}
