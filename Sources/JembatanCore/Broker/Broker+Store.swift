import Foundation

/// Completions of durable work: acks and deliveries happen here, after the commit.
extension Broker {
    /// A store request finished (committed, or failed and rolled back).
    public mutating func stored(_ request: StoreRequestID, result: StoreResult, now: Date) -> [BrokerAction] {
        guard let work = pending.removeValue(forKey: request) else { return [] }
        switch work {
        case .nothing:
            return []
        case .ticketOpened(let connection, let re, let ticket):
            return ticketStored(connection, re: re, ticket, result, now: now)
        case .sessionOpened(let session):
            return sessionStored(session, result, now: now)
        case .membersChanged(let change, let re, let connection, let restore):
            return membersChanged(change, re: re, connection: connection, restore: restore, result, now: now)
        case .messageLeft(let connection, let re, let ticket, let left):
            return messageLeft(connection, re: re, ticket, left, result)
        case .outcomeRecorded(let connection, let re, let session, let code, let followUp):
            return outcomeRecorded(connection, re: re, session, code: code, followUp: followUp, result)
        case .sessionList(let connection, let re):
            return sessionListReply(connection, re: re, result)
        case .complaintOpened(let connection, let re, let ticket):
            return complaintOpened(connection, re: re, ticket, result, now: now)
        case .complaintUpdated(let connection, let re):
            return complaintUpdated(connection, re: re, result)
        case .feedbackStored(let connection, let re, let session, let rating, let comment):
            return feedbackStored(connection, re: re, session, rating: rating, comment: comment, result)
        case .notified(let connection, let re):
            return notified(connection, re: re, result)
        case .interviewBooked(let connection, let re, let interview):
            return interviewBooked(connection, re: re, interview, result)
        case .interviewCancelled(let connection, let re, let interview):
            return interviewCancelled(connection, re: re, interview, result)
        case .appended(let connection, let re):
            return appended(connection, re: re, result)
        case .sessionClosed(let session, let closer, let re, let connection):
            return sessionClosed(session, by: closer, re: re, connection: connection, result, now: now)
        case .history(let connection, let re, let session, let olderExist):
            guard connections[connection] != nil else { return [] }
            guard case .history(let messages, let more) = result else {
                return [errorFrame(connection, storeError(result, requestID: re))]
            }
            return [historyReply(connection, re: re, session, messages: messages, more: olderExist ?? more)]
        case .sessionRequeued(let session, let staffID):
            return sessionRequeued(session, staff: staffID, result, now: now)
        case .replay(let connection, let session):
            return finishReplay(connection, session, result)
        case .caughtUp(let session):
            return caughtUp(session, result)
        case .snapshot:
            return snapshotArrived(result, now: now)
        case .closedElsewhere(let session, let reason):
            return finishClosedElsewhere(session, reason: reason, result, now: now)
        case .archivedHistory(let connection, let re, let session, let afterSeq, let limit, let backwards):
            return archivedHistory(connection, re: re, session, afterSeq: afterSeq, limit: limit, backwards: backwards, result)
        }
    }
}
