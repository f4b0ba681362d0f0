import Foundation
import Testing

@testable import JembatanClient

private let server: EchoServer = {
    do { return try EchoServer() } catch { fatalError("echo server did not start: \(error)") }
}()

/// Records what a delegate connection saw. Its fields are touched only on the loop's service
/// thread, except through `waitUntil`, which reads them under the lock the thread writes with.
private final class Recorder: WebSocketDelegate, @unchecked Sendable {
    let lock = ConditionLock()
    let greeting: [String]
    var opened = false
    var received: [String] = []
    var binaries: [[UInt8]] = []
    var ended: (code: UInt16?, failure: ClientError?)?
    var callbackThreads = Set<UInt>()  // pthread ids

    init(greeting: [String] = []) { self.greeting = greeting }

    func webSocketDidOpen(_ client: WebSocketClient) {
        for text in greeting { client.send(text: text) }
        update { opened = true }
    }

    func webSocket(_ client: WebSocketClient, didReceive message: [UInt8], binary: Bool) {
        update {
            if binary { binaries.append(message) } else { received.append(String(decoding: message, as: UTF8.self)) }
        }
    }

    func webSocket(_ client: WebSocketClient, didEndWithCode code: UInt16?, failure: ClientError?) {
        update { ended = (code, failure) }
    }

    private func update(_ change: () -> Void) {
        lock.withLock {
            change()
            callbackThreads.insert(UInt(pthread_self()))
            lock.broadcast()
        }
    }

    func waitUntil(_ condition: (Recorder) -> Bool) -> Bool {
        let limit = deadline(after: .seconds(10))
        return lock.withLock {
            while !condition(self) { if !lock.wait(untilNanoseconds: limit) { return false } }
            return true
        }
    }
}

@Suite struct DelegateTests {
    @Test func manyDelegateConnectionsOnOneLoop() throws {
        let loop = ClientLoop()
        defer { loop.shutdown() }
        let recorders = (0..<200).map { index in Recorder(greeting: (0..<5).map { "c\(index) m\($0)" }) }
        let clients = recorders.map { WebSocketClient.open(port: server.port, loop: loop, delegate: $0) }
        for (index, recorder) in recorders.enumerated() {
            #expect(recorder.waitUntil { $0.received.count == 5 })
            #expect(recorder.received == (0..<5).map { "c\(index) m\($0)" })
            #expect(recorder.callbackThreads.count == 1)
            #expect(!recorder.callbackThreads.contains(UInt(pthread_self())))
        }
        clients[0].send(binary: [0, 0xFF, 7])
        #expect(recorders[0].waitUntil { $0.binaries == [[0, 0xFF, 7]] })
        clients[1].send(text: "close:4408")
        #expect(recorders[1].waitUntil { $0.ended != nil })
        #expect(recorders[1].ended?.code == 4408)
        #expect(recorders[1].ended?.failure == nil)
    }

    @Test func refusedConnectionReportsAFailure() throws {
        let loop = ClientLoop()
        defer { loop.shutdown() }
        let recorder = Recorder()
        let client = WebSocketClient.open(port: try unusedPort(), loop: loop, delegate: recorder)
        #expect(recorder.waitUntil { $0.ended != nil })
        #expect(recorder.ended?.failure == .connectFailed)
        #expect(!recorder.opened)
        #expect(client.isClosed)
    }

    @Test func openAfterShutdownFailsAtOnce() {
        let loop = ClientLoop()
        loop.shutdown()
        let recorder = Recorder()
        _ = WebSocketClient.open(port: server.port, loop: loop, delegate: recorder)
        #expect(recorder.ended?.failure == .connectFailed)
        #expect(!loop.execute {})
    }

    @Test func executeAndTickerRunOnTheServiceThread() throws {
        let loop = ClientLoop()
        defer { loop.shutdown() }
        let recorder = Recorder()
        let ticks = Recorder()
        loop.execute {
            recorder.lock.withLock {
                recorder.callbackThreads.insert(UInt(pthread_self())); recorder.lock.broadcast()
            }
        }
        #expect(recorder.waitUntil { !$0.callbackThreads.isEmpty })
        let ticker = LoopTicker(loop: loop, interval: .milliseconds(2)) {
            ticks.lock.withLock {
                ticks.received.append("tick")
                ticks.callbackThreads.insert(UInt(pthread_self()))
                ticks.lock.broadcast()
            }
        }
        #expect(ticks.waitUntil { $0.received.count >= 10 })
        ticker.stop()
        #expect(ticks.callbackThreads == recorder.callbackThreads)
        let afterStop = ticks.lock.withLock { ticks.received.count }
        Thread.sleep(forTimeInterval: 0.05)
        #expect(ticks.lock.withLock { ticks.received.count } <= afterStop + 1)
    }
}
