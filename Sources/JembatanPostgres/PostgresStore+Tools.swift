import JembatanCore
import JembatanStore

/// Commands beyond conversations, each in its own file as in the SQLite store.
extension PostgresStore {
    func performTools(_ command: StoreCommand) throws -> StoreResult {
        switch command {
        case .openComplaint(let ticket, let answerBy, let continuing):
            return .complaint(try openComplaint(ticket, answerBy: answerBy, continuing: continuing))
        case .updateComplaint(let number, let status, let by, let at):
            return .complaint(try updateComplaint(number, status, by: by, at: at))
        case .submitFeedback(let session, let applicant, let rating, let comment, let at, let window):
            try submitFeedback(session, applicant: applicant, rating: rating, comment: comment, at: at, window: window)
            return .done
        case .stats(let query):
            return .stats(try stats(query))
        case .setOutcome(let id, let by, let code, let followUp, let at):
            try setOutcome(id, by: by, code: code, followUp: followUp, at: at)
            return .done
        case .followUps(let staff, let dueBy):
            return .followUps(try followUps(staff: staff, dueBy: dueBy))
        case .bookInterview(let interview):
            try bookInterview(interview)
            return .done
        case .cancelInterview(let id):
            try setInterview(id, .cancelled, session: nil)
            return .done
        case .openInterview(let id, let record, let members, let messages):
            return .sessionOpened(try openInterview(id, record, members: members, messages: messages))
        case .search(let query, let reader, let limit):
            return .found(try search(query, reader: reader, limit: limit))
        case .people(let reader):
            return .people(try people(reader: reader))
        case .purge(let closedBefore):
            return .purged(try purge(closedBefore: closedBefore))
        case .presence(let identity, let availability, let capacity):
            try setPresence(identity, availability: availability, capacity: capacity)
            return .done
        case .clusterSnapshot(let known):
            return .clusterSnapshot(try snapshot(known: known))
        default:
            throw StoreFailure(.unavailable, "command not handled by the PostgreSQL store")
        }
    }
}
