import Foundation
import JembatanCore
import Testing

@testable import JembatanStore

@Suite struct InterviewStoreTests {
    func interview(_ id: String, at offset: Int64, minutes: Int = 60, interpreter: String = "int-1") -> InterviewRecord {
        InterviewRecord(
            id: InterviewID(id), service: .stay_permit, applicant: Fixture.applicant.id, staff: Fixture.officer.id,
            interpreter: ParticipantID(interpreter), languages: ["ar", "id"], startsAt: Fixture.at(offset), durationSeconds: minutes * 60,
            createdAt: Fixture.at(0))
    }

    @Test(arguments: StoreKind.allCases) func bookingsAreRecoveredWithThePoolAndOverlapsAreRefused(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = store.perform([.saveParticipant(Fixture.interpreter), .saveParticipant(Fixture.applicant)])
        #expect(store.one(.bookInterview(interview("iv-1", at: 3_600_000))) == .done)
        // Half an hour later, same people: refused by the store itself.
        #expect(store.one(.bookInterview(interview("iv-2", at: 5_400_000, interpreter: "int-9"))).failure?.kind == .conflict)
        #expect(store.one(.bookInterview(interview("iv-3", at: 7_200_000))) == .done)  // back to back
        let recovered = try store.recover()
        #expect(recovered.bookedInterviews.map(\.id.rawValue) == ["iv-1", "iv-3"])
        #expect(recovered.bookedInterviews.first == interview("iv-1", at: 3_600_000))
        #expect(Set(recovered.people.map(\.id)) == [Fixture.interpreter.id, Fixture.applicant.id])
    }

    @Test(arguments: StoreKind.allCases) func openingAnInterviewOpensItsSessionOnceAndCancellingEndsTheBooking(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = store.one(.bookInterview(interview("iv-1", at: 1_000)))
        _ = store.one(.bookInterview(interview("iv-2", at: 9_000_000)))
        let record = Fixture.session(ticket: nil)
        let opened = store.one(.openInterview(InterviewID("iv-1"), record, members: Fixture.members(), messages: [Fixture.joined()]))
        #expect(opened.failure == nil)
        #expect(
            store.one(.openInterview(InterviewID("iv-1"), Fixture.session("s-2", ticket: nil), members: [], messages: [])).failure != nil)
        #expect(try store.lastSeq(session: SessionID("s-2")) == nil)  // rolled back with the refusal
        #expect(store.one(.cancelInterview(InterviewID("iv-2"))) == .done)
        #expect(try store.recover().bookedInterviews.isEmpty)
        #expect(try store.texts("SELECT session_id FROM interviews WHERE id = 'iv-1'") == ["s-1"])
    }
}
