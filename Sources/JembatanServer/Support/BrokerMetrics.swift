import Foundation
import JembatanCore
import Metrics
import Prometheus

/// What `/metrics` shows, kept with swift-metrics on a Prometheus registry of this server's own
/// (several brokers in one test process must not share counters). Labels are codes only —
/// services, languages, error codes — never names or text.
final class BrokerMetrics: @unchecked Sendable {
    // Safe: the swift-metrics objects are thread-safe; the two dictionaries of them are only
    // touched under `lock`.
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    let connections: Metrics.Gauge
    let messages: Metrics.Counter
    let sendQueueDrops: Metrics.Counter
    /// Connections admitted on the shared pool, their address past its own allowance.
    let connectionsBorrowed: Metrics.Counter
    let batchSize: Metrics.Recorder
    let commitLatency: Metrics.Timer
    private let lock = Lock()
    private var errors: [String: Metrics.Counter] = [:]
    private var queueGauges: [String: (waiting: Metrics.Gauge, oldest: Metrics.Gauge)] = [:]

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultValueHistogramBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        self.factory = factory
        connections = Metrics.Gauge(label: "jembatan_connections", factory: factory)
        messages = Metrics.Counter(label: "jembatan_messages_total", factory: factory)
        sendQueueDrops = Metrics.Counter(label: "jembatan_send_queue_drops_total", factory: factory)
        connectionsBorrowed = Metrics.Counter(label: "jembatan_connections_borrowed_total", factory: factory)
        batchSize = Metrics.Recorder(label: "jembatan_commit_batch_size", aggregate: true, factory: factory)
        commitLatency = Metrics.Timer(label: "jembatan_commit_seconds", factory: factory)
    }

    func error(_ code: String) {
        let counter = lock.withLock {
            if let existing = errors[code] { return existing }
            let made = Metrics.Counter(label: "jembatan_errors_total", dimensions: [("code", code)], factory: factory)
            errors[code] = made
            return made
        }
        counter.increment()
    }

    /// The queues as the broker sees them now (called at scrape time).
    func queues(_ overview: JSONValue) {
        for row in overview.objectValue?["queues"]?.arrayValue ?? [] {
            guard let row = row.objectValue, let service = row["service"]?.stringValue, let language = row["language"]?.stringValue else {
                continue
            }
            let gauges = lock.withLock {
                let key = service + "/" + language
                if let existing = queueGauges[key] { return existing }
                let dimensions = [("service", service), ("language", language)]
                let made = (
                    Metrics.Gauge(label: "jembatan_queue_waiting", dimensions: dimensions, factory: factory),
                    Metrics.Gauge(label: "jembatan_queue_oldest_wait_seconds", dimensions: dimensions, factory: factory)
                )
                queueGauges[key] = made
                return made
            }
            gauges.waiting.record(row["waiting"]?.numberValue ?? 0)
            gauges.oldest.record(row["oldest_wait_s"]?.numberValue ?? 0)
        }
    }

    func text() -> [UInt8] { registry.emitToBuffer() }
}
