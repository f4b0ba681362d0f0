import Foundation
import JembatanClient

/// Drives a ``Scenario`` through its phases on the client loop's service thread: connect,
/// warm up, measure, drain (stop sending, wait for what is in flight), and hands back what the
/// measurement window counted.
final class Runner: @unchecked Sendable {
    // Safe: everything but `finished` (a semaphore) is touched only on the service thread
    // (inside `tick`, which the LoopTicker runs there); `run()` reads the result after the
    // semaphore, which orders those writes before the read.
    struct Timing {
        var connectTimeout: Double
        var warmup: Double
        var duration: Double
        var drainTimeout: Double
        /// Keep what was recorded while connecting (the rush measures exactly that).
        var countFromStart = false
    }

    struct Result {
        var meter: Meter
        var connections: Int
        var seconds: Double
        var before: UsageSample
        var after: UsageSample
        var problems: [String]
        var figures: [(String, String)]
        /// Whether everything expected was ready before the traffic started.
        var wasReady: Bool
    }

    private enum Phase { case connecting, warmup, measuring, draining, finished }

    let scenario: any Scenario
    let tally: Tally
    let timing: Timing
    let serverPID: Int32?
    private var phase = Phase.connecting
    private var phaseStarted: UInt64 = 0
    private var measureStarted: UInt64 = 0
    private var result: Result?
    private var before = UsageSample(serverPID: nil)
    private var measured = Meter()
    private var seconds = 0.0
    private var wasReady = false
    private let finished = DispatchSemaphore(value: 0)

    init(scenario: any Scenario, tally: Tally, timing: Timing, serverPID: Int32?) {
        self.scenario = scenario
        self.tally = tally
        self.timing = timing
        self.serverPID = serverPID
    }

    func run(loop: ClientLoop) -> Result {
        loop.execute { [self] in
            phaseStarted = monotonicNow()
            before = UsageSample(serverPID: serverPID)
            scenario.start(now: phaseStarted)
        }
        let ticker = LoopTicker(loop: loop, interval: .milliseconds(1)) { [self] in tick() }
        finished.wait()
        ticker.stop()
        return result!
    }

    private func elapsed(_ now: UInt64) -> Double { Double(now - phaseStarted) / 1e9 }

    private func tick() {
        let now = monotonicNow()
        scenario.tick(now: now, sending: phase == .warmup || phase == .measuring)
        switch phase {
        case .connecting:
            if scenario.ready >= scenario.expected || elapsed(now) > timing.connectTimeout {
                wasReady = scenario.ready >= scenario.expected
                if !wasReady {
                    log("only \(scenario.ready) of \(scenario.expected) ready after \(Int(timing.connectTimeout)) s")
                }
                log("ready: \(scenario.ready) in \(String(format: "%.1f", elapsed(now))) s")
                enter(.warmup, now)
            }
        case .warmup:
            if elapsed(now) >= timing.warmup {
                if !timing.countFromStart { tally.meter = Meter() }
                before = UsageSample(serverPID: serverPID)
                enter(.measuring, now)
            }
        case .measuring:
            if elapsed(now) >= timing.duration {
                measured = tally.meter
                seconds = Double(now - phaseStarted) / 1e9
                let after = UsageSample(serverPID: serverPID)
                result = Result(
                    meter: measured, connections: scenario.connections, seconds: seconds, before: before, after: after,
                    problems: [], figures: scenario.figures(now: now), wasReady: wasReady)
                enter(.draining, now)
            }
        case .draining:
            if (scenario.outstanding == 0 && scenario.undelivered == 0) || elapsed(now) > timing.drainTimeout {
                var problems: [String] = []
                if scenario.outstanding > 0 { problems.append("\(scenario.outstanding) sends never confirmed") }
                if scenario.undelivered > 0 { problems.append("\(scenario.undelivered) confirmed messages never delivered (lost)") }
                if scenario.dropped > 0 { problems.append("\(scenario.dropped) connections dropped") }
                result?.problems = problems
                scenario.closeAll()
                enter(.finished, now)
                finished.signal()
            }
        case .finished:
            break
        }
    }

    private func enter(_ next: Phase, _ now: UInt64) {
        phase = next
        phaseStarted = now
    }
}

/// The meter the scenarios record into; the runner swaps it at the start of the window.
final class Tally {
    var meter = Meter()
}

/// Progress on standard error, so standard output stays the report.
func log(_ line: String) {
    FileHandle.standardError.write(Data(("jembatan-load: " + line + "\n").utf8))
}
