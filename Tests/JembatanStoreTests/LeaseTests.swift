import Foundation
import JembatanCore
import Logging
import Testing

@testable import JembatanPostgres

/// The broker lease on a real PostgreSQL: one holder at a time, takeover only after expiry
/// with a higher epoch, and a store whose node lost the lease writes nothing.
@Suite struct LeaseTests {
    final class Flag: @unchecked Sendable {
        // Safe: only under `lock`.
        private let lock = NSLock()
        private var raised = false
        var isRaised: Bool { lock.withLock { raised } }
        func raise() { lock.withLock { raised = true } }
    }

    @Test func oneHolderAtATimeAndAStaleHolderCannotWrite() throws {
        let settings = try TestPostgres.freshDatabase()
        let logger = Logger(label: "test")
        let first = try BrokerLease(node: "n1", seconds: 2, settings: settings, logger: logger)
        let second = try BrokerLease(node: "n2", seconds: 2, settings: settings, logger: logger)
        #expect(try first.tryAcquire() == 1)
        #expect(try second.tryAcquire() == nil)  // held and not expired

        first.epoch = 1
        let lost = Flag()
        let firstStore = try PostgresStore(settings: settings, fence: LeaseFence(node: "n1", epoch: 1) { lost.raise() })
        #expect(firstStore.one(.saveParticipant(Fixture.applicant)) == .done)

        // n1 stops renewing (paused); once the lease expired n2 takes it with a higher epoch.
        Thread.sleep(forTimeInterval: 2.2)
        #expect(try second.tryAcquire() == 2)
        let refused = firstStore.perform([.saveParticipant(Fixture.officer), .openTicket(Fixture.ticket())])
        #expect(refused.map { $0.failure?.kind } == [.unavailable, .unavailable])
        #expect(lost.isRaised)

        let secondStore = try PostgresStore(settings: settings, fence: LeaseFence(node: "n2", epoch: 2) {})
        #expect(secondStore.one(.openTicket(Fixture.ticket())) == .done)
        // Nothing of the refused batch was stored: the ticket is there once, from n2.
        #expect(try secondStore.recover().queuedTickets.map(\.id) == [TicketID("t-1")])
    }

    @Test func releasingHandsTheLeaseOverAtOnce() throws {
        let settings = try TestPostgres.freshDatabase()
        let logger = Logger(label: "test")
        let first = try BrokerLease(node: "n1", seconds: 60, settings: settings, logger: logger)
        let second = try BrokerLease(node: "n2", seconds: 60, settings: settings, logger: logger)
        #expect(first.acquire() == 1)
        #expect(try second.tryAcquire() == nil)
        first.release()
        #expect(try second.tryAcquire() == 2)
    }

    @Test func aNudgedStandbyTakesAReleasedLeaseBeforeItsNextPoll() throws {
        let settings = try TestPostgres.freshDatabase()
        let first = try BrokerLease(node: "n1", seconds: 60, settings: settings, logger: Logger(label: "test"))
        #expect(first.acquire() == 1)
        let log = LogLines()
        let second = try BrokerLease(node: "n2", seconds: 60, settings: settings, logger: Logger(label: "test") { _ in log })
        let nudge = DispatchSemaphore(value: 0)
        let acquired = DispatchSemaphore(value: 0)
        // Polling every 10 minutes: within this test only the nudge can make it try again.
        Thread { [second] in
            _ = second.acquire(nudge: nudge, pollSeconds: 600)
            acquired.signal()
        }.start()
        #expect(waitUntilTrue { log.contains("standby: another node holds the lease") })
        first.release()
        nudge.signal()
        #expect(acquired.wait(timeout: .now() + 10) == .success)
        #expect(second.epoch == 2)
    }
}

/// Log messages kept in memory, to see what a component did.
final class LogLines: LogHandler, @unchecked Sendable {
    // Safe: `lines` only under `lock`; the other properties are set once by the logger.
    private let lock = NSLock()
    private var lines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { lines.append(event.message.description) }
    }

    func contains(_ message: String) -> Bool { lock.withLock { lines.contains(message) } }
}

/// Polls `condition` every 20 ms for up to 10 s.
func waitUntilTrue(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return condition()
}
