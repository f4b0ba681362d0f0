import Testing

@testable import JembatanBus

@Test func backoffDoublesUpToItsCapAndResets() {
    var backoff = Backoff(initial: .milliseconds(50), maximum: .seconds(1))
    let delays = (0..<7).map { _ in backoff.next() }
    #expect(delays == [50, 100, 200, 400, 800, 1000, 1000].map { .milliseconds($0) })
    backoff.reset()
    #expect(backoff.next() == .milliseconds(50))
}
