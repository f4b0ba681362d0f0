import Foundation
import JembatanCore
import Testing

@testable import JembatanStore

@Suite struct ComplaintStoreTests {
    func ticket(_ id: String, at offset: Int64 = 0) -> TicketRecord {
        TicketRecord(
            id: TicketID(id), applicant: Fixture.applicant.id, service: .complaint, language: "id", note: nil,
            createdAt: Fixture.at(offset),
            excludedStaff: Fixture.officer.id)
    }

    @Test(arguments: StoreKind.allCases) func casesAreNumberedPerYearContinuedUntilResolvedAndAudited(_ kind: StoreKind) throws {
        let store = try kind.make()
        guard case .complaint(let first) = store.one(.openComplaint(ticket("t-1"), answerBy: "2025-11-30", continuing: nil)) else {
            Issue.record("expected a case")
            return
        }
        #expect(first.number == "ADU-2025-000001" && first.about == Fixture.officer.id)
        guard case .complaint(let second) = store.one(.openComplaint(ticket("t-2"), answerBy: "2025-11-30", continuing: nil)) else {
            return
        }
        #expect(second.number == "ADU-2025-000002")
        // Continuing the first case queues a ticket under the same number and exclusion.
        var again = ticket("t-3")
        again.excludedStaff = nil
        #expect(store.one(.openComplaint(again, answerBy: "x", continuing: first.number)) == .complaint(first))
        let queued = try store.recover().queuedTickets
        #expect(queued.first { $0.id == TicketID("t-3") }?.complaintCase == first.number)
        #expect(queued.first { $0.id == TicketID("t-3") }?.excludedStaff == Fixture.officer.id)
        _ = store.one(.updateComplaint(number: first.number, status: .resolved, by: Fixture.officer.id, at: Fixture.at(9)))
        #expect(store.one(.openComplaint(ticket("t-4"), answerBy: "x", continuing: first.number)).failure?.kind == .conflict)
        #expect(
            store.one(.updateComplaint(number: "ADU-1999-000001", status: .open, by: Fixture.officer.id, at: Fixture.at(9))).failure?.kind
                == .notFound)
        #expect(
            try store.texts("SELECT status FROM complaint_events WHERE number = '\(first.number)' ORDER BY at") == ["open", "resolved"])
    }

    @Test(arguments: StoreKind.allCases) func feedbackOnceForAClosedSessionOfTheApplicantWithinTheWindow(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        let rate = { (who: ParticipantID, at: Int64) in
            store.one(
                .submitFeedback(SessionID("s-1"), applicant: who, rating: 5, comment: "terima kasih", at: Fixture.at(at), window: 3600))
        }
        #expect(rate(Fixture.applicant.id, 3_000).failure?.kind == .conflict)  // still open
        let closing = NewMessage.system(SessionID("s-1"), key: "session.closed.by", args: [:], at: Fixture.at(5_000))
        _ = store.one(.closeSession(SessionID("s-1"), reason: "resolved", message: closing))
        #expect(rate(Fixture.officer.id, 6_000).failure?.kind == .notFound)
        #expect(rate(Fixture.applicant.id, 5_000 + 3_600_001).failure?.kind == .conflict)  // too late
        #expect(rate(Fixture.applicant.id, 6_000) == .done)
        #expect(rate(Fixture.applicant.id, 7_000).failure?.kind == .conflict)  // once
    }
}
