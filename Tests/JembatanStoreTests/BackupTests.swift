import Foundation
import JembatanCore
import JembatanStore
import Testing

@Suite struct BackupTests {
    @Test func aBackupIsAConsistentCopyThatOpensWithTheSameTranscript() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-backup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("live.sqlite").path)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let session = SessionRecord(id: SessionID("s-1"), ticket: nil, service: .visa, language: "ar", openedAt: now)
        let opening = NewMessage.system(session.id, key: "session.joined", args: ["name": "Siti"], at: now)
        let text = NewMessage(
            session: session.id, sender: ParticipantID("a-1"), senderRole: .applicant, kind: .text, text: "مرحبا",
            clientMessageID: ClientMessageID("m-1"), createdAt: now)
        _ = store.perform([.openSession(session, members: [], messages: [opening]), .append(text)])

        let copy = folder.appendingPathComponent("copy.sqlite").path
        try store.backup(to: copy)
        #expect(throws: (any Error).self) { try store.backup(to: copy) }  // never overwrites
        let restored = try SQLiteStore(path: copy)
        #expect(try restored.lastSeq(session: session.id) == 2)
        guard case .transcript(let transcript?) = restored.perform([.transcript(session.id)]).first else {
            Issue.record("no transcript in the backup")
            return
        }
        #expect(transcript.messages.last?.message.text == "مرحبا")
    }
}
