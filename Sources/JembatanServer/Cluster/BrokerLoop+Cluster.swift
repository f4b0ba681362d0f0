import Foundation
import JembatanCore

/// Wake-ups between nodes serving the same sessions (see ``ClusterWakeups``). Without a bus
/// every call here does nothing.
extension BrokerLoop {
    /// After a commit: tells the other nodes the session's new last seq, and (active-active)
    /// that shared state changed when the request was one that changes it.
    func announce(_ request: StoreRequestID, _ result: StoreResult) {
        guard let cluster else { return }
        if sharedRequests.remove(request) != nil, !result.isFailure { cluster.announceChange() }
        switch result {
        case .appended(let stored, duplicate: false), .sessionClosed(let stored):
            cluster.announce(stored.message.session, seq: stored.seq)
        case .sessionOpened(let messages), .membersChanged(let messages):
            if let last = messages.last { cluster.announce(last.message.session, seq: last.seq) }
        default:
            break
        }
    }

    /// What the other nodes announced: read and deliver what is new here. After the bus
    /// was down, every watched session is checked.
    func hearOtherNodes() {
        guard let cluster else { return }
        let heard = cluster.take()
        for (session, seq) in heard.commits.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            perform(broker.committedElsewhere(session, upTo: seq))
        }
        for (session, bytes) in heard.relays {
            // Frames from our own nodes, written by JSONWriter; anything else is dropped.
            guard let frame = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else { continue }
            perform(broker.relayedElsewhere(session, frame: frame))
        }
        if heard.changed || heard.reconnected { perform(broker.requestSnapshot()) }
        if heard.reconnected { perform(broker.checkWatchedSessions()) }
        flushStoreJobs()
    }

    /// Once a tick: listen on the channels of the sessions connected here (a newly followed
    /// session is read once), and every `clusterCheckSeconds` check them all against the store.
    func followWatchedSessions() {
        let now = Date()
        // Active-active: the shared picture, whether or not a bus woke us.
        if configuration.broker.clusterActive && now >= nextSnapshot {
            nextSnapshot = now.addingTimeInterval(configuration.clusterSnapshotSeconds)
            perform(broker.requestSnapshot())
        }
        guard let cluster else { return }
        for session in cluster.follow(broker.watchedSessions).sorted(by: { $0.rawValue < $1.rawValue }) {
            perform(broker.committedElsewhere(session, upTo: nil))
        }
        guard now >= nextClusterCheck else { return }
        nextClusterCheck = now.addingTimeInterval(configuration.clusterCheckSeconds)
        perform(broker.checkWatchedSessions())
    }
}

extension StoreResult {
    var isFailure: Bool {
        if case .failed = self { return true }
        return false
    }
}
