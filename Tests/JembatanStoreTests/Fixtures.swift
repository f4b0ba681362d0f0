import Foundation
import JembatanCore

@testable import JembatanStore

/// Builders for the records the tests store. Dates are whole milliseconds, as the store keeps them.
enum Fixture {
    static let t0: Int64 = 1_764_000_000_123

    static func at(_ offset: Int64 = 0) -> Date {
        Date(timeIntervalSince1970: Double(t0 + offset) / 1000)
    }

    static let applicant = Identity(id: ParticipantID("app-1"), role: .applicant, name: "Siti Rahma", langs: ["id"], locale: "id")
    static let officer = Identity(id: ParticipantID("off-1"), role: .officer, name: "Budi", langs: ["id", "en"], locale: "en")
    static let interpreter = Identity(id: ParticipantID("int-1"), role: .interpreter, name: "ليلى", langs: ["ar", "id"], locale: "ar")

    static func ticket(_ id: String = "t-1", priority: Int = 0, createdAt offset: Int64 = 0, state: TicketState = .queued) -> TicketRecord {
        TicketRecord(
            id: TicketID(id), applicant: applicant.id, service: .visa, language: "id", note: "paspor hilang",
            priority: priority, createdAt: at(offset), state: state)
    }

    static func session(_ id: String = "s-1", ticket: String? = "t-1", openedAt offset: Int64 = 1_000) -> SessionRecord {
        SessionRecord(id: SessionID(id), ticket: ticket.map(TicketID.init(rawValue:)), service: .visa, language: "id", openedAt: at(offset))
    }

    static func members(openedAt offset: Int64 = 1_000) -> [SessionMember] {
        [SessionMember(applicant, joinedAt: at(offset)), SessionMember(officer, joinedAt: at(offset))]
    }

    static func joined(_ session: String = "s-1", at offset: Int64 = 1_000) -> NewMessage {
        .system(SessionID(session), key: "session.joined", args: ["name": "Budi", "role": "officer"], at: at(offset))
    }

    static func text(
        _ text: String, in session: String = "s-1", from sender: Identity = applicant, clientID: String? = nil,
        replyTo: Int? = nil, translationOf: Int? = nil, at offset: Int64 = 2_000
    ) -> NewMessage {
        NewMessage(
            session: SessionID(session), sender: sender.id, senderRole: sender.role, kind: .text, text: text,
            dir: "ltr", lang: sender.langs.first, clientMessageID: clientID.map(ClientMessageID.init(rawValue:)),
            replyTo: replyTo, translationOf: translationOf, createdAt: at(offset))
    }

    /// A folder of its own under the temporary directory; the caller removes it.
    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-store-\(UUID().uuidString)")
    }
}

extension BrokerStore {
    /// Performs a single command.
    func one(_ command: StoreCommand) -> StoreResult { perform([command])[0] }

    /// Saves the applicant and officer, queues ticket `t-…` and opens session `id` for it with
    /// one system message (seq 1).
    @discardableResult
    func openSample(_ id: String = "s-1", ticket: String = "t-1", openedAt offset: Int64 = 1_000) -> StoreResult {
        let results = perform([
            .saveParticipant(Fixture.applicant), .saveParticipant(Fixture.officer),
            .openTicket(Fixture.ticket(ticket)),
            .openSession(
                Fixture.session(id, ticket: ticket, openedAt: offset), members: Fixture.members(openedAt: offset),
                messages: [Fixture.joined(id, at: offset)]),
        ])
        return results[3]
    }
}

extension StoreResult {
    var appended: (message: StoredMessage, duplicate: Bool)? {
        if case .appended(let message, let duplicate) = self { return (message, duplicate) }
        return nil
    }
    var failure: StoreFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }
    var history: (messages: [StoredMessage], more: Bool)? {
        if case .history(let messages, let more) = self { return (messages, more) }
        return nil
    }
    var transcript: Transcript? {
        if case .transcript(let transcript) = self { return transcript }
        return nil
    }
}
