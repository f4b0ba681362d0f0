import Foundation
import Testing

@testable import JembatanCore

/// Another node's commits: read from the store after a wake-up or a periodic check, delivered
/// once and in order to this node's connections.
@Suite struct ClusterDeliveryTests {
    /// A text stored by "another node": straight into the harness's store, the broker not told.
    func storedElsewhere(_ h: inout Harness, _ session: SessionID, _ text: String) -> StoredMessage {
        h.append(
            NewMessage(session: session, sender: Identity.layla.id, senderRole: .applicant, kind: .text, text: text, createdAt: h.now),
            session: session)
    }

    func seqs(_ actions: [BrokerAction], to connection: ConnectionID) -> [Int] {
        actions.frames(to: connection, type: "message").compactMap { $0["seq"]?.numberValue.map(Int.init) }
    }

    @Test func aWakeUpDeliversAnotherNodesMessageOnceToEveryLocalMember() throws {
        var (h, applicant, counsellor, session) = try BrokerFlowTests().openArabicSession()
        #expect(h.broker.watchedSessions == [session])
        let stored = storedElsewhere(&h, session, "halo")
        let delivered = h.settle(h.broker.committedElsewhere(session, upTo: stored.seq))
        #expect(seqs(delivered, to: applicant) == [stored.seq])
        #expect(seqs(delivered, to: counsellor) == [stored.seq])
        // The same wake-up again (Redis delivers at least once): nothing is read or sent.
        let reads = h.commands.count
        #expect(h.settle(h.broker.committedElsewhere(session, upTo: stored.seq)).isEmpty)
        #expect(h.commands.count == reads)
        // The applicant wrote last: the session now waits for staff.
        #expect(h.broker.sessions[session]?.waitingSince == h.now)
    }

    @Test func wakeUpsDuringAReadMakeOneMoreReadAndNothingTwice() throws {
        var (h, applicant, _, session) = try BrokerFlowTests().openArabicSession()
        let first = storedElsewhere(&h, session, "satu")
        let read = h.broker.committedElsewhere(session, upTo: first.seq)
        guard case .store(let request, let command) = try #require(read.first) else { Issue.record("no read"); return }
        let answer = h.perform(command)
        // Two more commits elsewhere while the read is under way: their wake-ups wait for it.
        let second = storedElsewhere(&h, session, "dua")
        let third = storedElsewhere(&h, session, "tiga")
        #expect(h.broker.committedElsewhere(session, upTo: second.seq).isEmpty)
        #expect(h.broker.committedElsewhere(session, upTo: third.seq).isEmpty)
        let delivered = h.settle(h.broker.stored(request, result: answer, now: h.now))
        #expect(seqs(delivered, to: applicant) == [first.seq, second.seq, third.seq])
    }

    @Test func aWakeUpForASeqTheStoreDoesNotHaveReadsOnceAndStops() throws {
        var (h, applicant, _, session) = try BrokerFlowTests().openArabicSession()
        let before = h.commands.count
        let actions = h.settle(h.broker.committedElsewhere(session, upTo: 999))
        #expect(actions.frames(to: applicant).isEmpty)
        #expect(h.commands.count == before + 1)
    }

    @Test func thePositionCheckRepairsWhatNoWakeUpAnnounced() throws {
        var (h, applicant, counsellor, session) = try BrokerFlowTests().openArabicSession()
        let lost = storedElsewhere(&h, session, "tanpa kabar")
        let repaired = h.settle(h.broker.checkWatchedSessions())
        #expect(seqs(repaired, to: applicant) == [lost.seq])
        #expect(seqs(repaired, to: counsellor) == [lost.seq])
        // Nobody connected here: nothing to watch, nothing read.
        _ = h.broker.disconnected(applicant, now: h.now)
        _ = h.broker.disconnected(counsellor, now: h.now)
        #expect(h.broker.watchedSessions.isEmpty)
        #expect(h.broker.checkWatchedSessions().isEmpty)
    }

    @Test func aLocalSendAfterAnotherNodesUnannouncedCommitFillsTheGapFirst() throws {
        var (h, applicant, counsellor, session) = try BrokerFlowTests().openArabicSession()
        let warmUp = h.send(counsellor, ["type": "send", "session": .string(session.rawValue), "client_msg_id": "w", "text": "mulai"])
        let startSeq = try #require(seqs(warmUp, to: applicant).first)
        let elsewhere = storedElsewhere(&h, session, "dari node lain")
        let local = h.send(counsellor, ["type": "send", "session": .string(session.rawValue), "client_msg_id": "l", "text": "lokal"])
        #expect(seqs(local, to: applicant) == [startSeq + 1, startSeq + 2])
        #expect(elsewhere.seq == startSeq + 1)
        // The wake-up arriving late finds nothing new.
        #expect(h.settle(h.broker.committedElsewhere(session, upTo: elsewhere.seq)).isEmpty)
    }
}
