import Foundation
import JembatanCore
import Testing

@testable import JembatanStore

@Suite struct RetentionTests {
    @Test(arguments: StoreKind.allCases) func purgeErasesTextOfOldClosedSessionsAndKeepsTheRest(_ kind: StoreKind) throws {
        let store = try kind.make()
        let day: TimeInterval = 86_400
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func open(_ id: String) -> [StoreCommand] {
            let session = SessionRecord(id: SessionID(id), ticket: nil, service: .visa, language: "id", openedAt: start)
            let text = NewMessage(
                session: session.id, sender: ParticipantID("a-1"), senderRole: .applicant, kind: .text, text: "nomor paspor A1234567",
                clientMessageID: ClientMessageID("m-\(id)"), createdAt: start)
            return [.openSession(session, members: [], messages: []), .append(text)]
        }
        _ = store.perform(open("old") + open("recent") + open("active"))
        let closing = { (id: String, at: Date) in
            NewMessage.system(SessionID(id), key: "session.closed.by", args: ["name": "Siti", "reason": "resolved"], at: at)
        }
        _ = store.perform([
            .closeSession(SessionID("old"), reason: "resolved", message: closing("old", start.addingTimeInterval(day))),
            .closeSession(SessionID("recent"), reason: "resolved", message: closing("recent", start.addingTimeInterval(40 * day))),
        ])
        // Keep 30 days, as of day 45: "old" (closed day 1) goes; "recent" (day 40) and "active" stay.
        let result = store.one(.purge(closedBefore: start.addingTimeInterval(15 * day)))
        #expect(result == .purged(2))  // its text message and its closing message's arguments
        guard case .transcript(let old?) = store.one(.transcript(SessionID("old"))) else {
            Issue.record("the purged session must still exist")
            return
        }
        #expect(old.messages.count == 2)
        #expect(old.messages.allSatisfy { $0.message.text == nil && $0.message.templateArgs == nil })
        #expect(old.session.lastSeq == 2)
        #expect(store.one(.search(query: "paspor", reader: nil, limit: 10)).foundSessions == ["active", "recent"])
        #expect(store.one(.purge(closedBefore: start.addingTimeInterval(15 * day))) == .purged(0))
    }
}

extension StoreResult {
    var foundSessions: [String] {
        guard case .found(let messages) = self else { return [] }
        return messages.map(\.message.session.rawValue).sorted()
    }
}
