import Foundation
import JembatanCore

/// Completes every store command at once with the result a store would give, so the
/// benchmark measures the broker's decisions and nothing else, and the fuzzer reaches every
/// rule behind a commit quickly.
public struct InstantStore {
    private var lastSeq: [SessionID: Int] = [:]
    private var cases = 0

    public init() {}

    public mutating func perform(_ command: StoreCommand) -> StoreResult {
        switch command {
        case .openSession(let record, _, let messages), .openInterview(_, let record, _, let messages):
            return .sessionOpened(messages.map { stored($0, in: record.id) })
        case .append(let message):
            return .appended(stored(message, in: message.session), duplicate: false)
        case .closeSession(let id, _, let message):
            return .sessionClosed(stored(message, in: id))
        case .changeMembers(let change):
            return .membersChanged(change.messages.map { stored($0, in: change.session) })
        case .openComplaint(let ticket, let answerBy, let continuing):
            // A sixth of the applicants complain; without a case their ticket is refused and never queued.
            cases += 1
            return .complaint(
                ComplaintCase(
                    number: continuing ?? "ADU-2026-\(String(format: "%06d", cases))", applicant: ticket.applicant,
                    about: ticket.excludedStaff, status: .open, answerBy: answerBy, openedAt: ticket.createdAt))
        case .history:
            return .history([], more: false)
        default:
            return .done
        }
    }

    private mutating func stored(_ message: NewMessage, in session: SessionID) -> StoredMessage {
        let seq = lastSeq[session, default: 0] + 1
        lastSeq[session] = seq
        return StoredMessage(seq: seq, message: message, senderName: nil)
    }
}
