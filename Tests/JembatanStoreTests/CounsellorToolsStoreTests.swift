import Foundation
import JembatanCore
import Testing

@testable import JembatanStore

@Suite struct CounsellorToolsStoreTests {
    @Test(arguments: StoreKind.allCases) func outcomesAreForWhoHandledTheSessionAndFollowUpsComeDue(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        #expect(
            store.one(.setOutcome(SessionID("s-1"), by: Fixture.applicant.id, code: "resolved", followUp: nil, at: Fixture.at(9))).failure?
                .kind == .conflict)
        #expect(
            store.one(.setOutcome(SessionID("s-9"), by: Fixture.officer.id, code: "resolved", followUp: nil, at: Fixture.at(9))).failure?
                .kind == .notFound)
        #expect(
            store.one(.setOutcome(SessionID("s-1"), by: Fixture.officer.id, code: "referred", followUp: "2026-12-01", at: Fixture.at(9)))
                == .done)
        guard case .followUps(let due) = store.one(.followUps(staff: Fixture.officer.id, dueBy: "2026-12-01")) else {
            Issue.record("expected follow-ups")
            return
        }
        #expect(
            due.map(\.session) == [SessionID("s-1")] && due.first?.outcome == "referred" && due.first?.applicant == Fixture.applicant.id)
        #expect(store.one(.followUps(staff: Fixture.officer.id, dueBy: "2026-11-30")) == .followUps([]))
        #expect(store.one(.followUps(staff: Fixture.interpreter.id, dueBy: "2026-12-31")) == .followUps([]))
    }

    @Test(arguments: StoreKind.allCases) func readPositionsSurviveARestart(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        _ = store.one(.markRead(SessionID("s-1"), Fixture.officer.id, seq: 1))
        _ = store.one(.markRead(SessionID("s-1"), Fixture.officer.id, seq: 0))  // never backwards
        let members = try #require(try store.recover().activeSessions.first).members
        #expect(members.first { $0.id == Fixture.officer.id }?.lastReadSeq == 1)
    }

    @Test(arguments: StoreKind.allCases) func notificationsAreIdempotentByIdAndKeptUntilSeen(_ kind: StoreKind) throws {
        let store = try kind.make()
        let record = NotificationRecord(
            id: "n-1", applicant: Fixture.applicant.id, key: "application.status_changed", args: ["status": "approved"],
            createdAt: Fixture.at(0))
        #expect(store.one(.notify(record)) == .notified(record, duplicate: false))
        #expect(store.one(.notify(record)) == .notified(record, duplicate: true))
        var other = record
        other.key = "permit.renewal_reminder"
        #expect(store.one(.notify(other)).failure?.kind == .conflict)
        #expect(try store.recover().unseenNotifications == [record])
        _ = store.one(.notificationsSeen(Fixture.applicant.id, ids: ["n-1"], at: Fixture.at(5)))
        #expect(try store.recover().unseenNotifications.isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func notesAndTemplatesKeepTheirVisibilityAndShownTexts(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        var note = Fixture.text("sponsor belum lengkap", from: Fixture.officer, clientID: "n")
        note.staffOnly = true
        var template = NewMessage(
            session: SessionID("s-1"), sender: Fixture.officer.id, senderRole: .officer, kind: .template, templateKey: "interpreter.offer",
            templateArgs: [:], clientMessageID: ClientMessageID("t"), createdAt: Fixture.at(3_000))
        template.shown = ["id": "Jika Anda…", "ar": "إذا كنت…"]
        _ = store.perform([.append(note), .append(template)])
        guard case .history(let messages, _) = store.one(.history(SessionID("s-1"), afterSeq: 1, limit: 10)) else {
            Issue.record("expected history")
            return
        }
        #expect(messages.map(\.message.staffOnly) == [true, false])
        #expect(messages.last?.message.shown == template.shown && messages.last?.message.kind == .template)
        // Search: the applicant never finds the note; the officer does.
        #expect(store.one(.search(query: "sponsor", reader: Fixture.applicant.id, limit: 10)) == .found([]))
        guard case .found(let found) = store.one(.search(query: "sponsor", reader: Fixture.officer.id, limit: 10)) else { return }
        #expect(found.count == 1)
    }
}
