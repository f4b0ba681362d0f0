import Foundation

/// Prints a run's table (and optionally one JSON line for scripts) and says whether the run
/// showed the harness working: something delivered, nothing lost, nothing dropped.
struct Report {
    let mode: String
    let result: Runner.Result

    var messagesPerSecond: Double { result.seconds > 0 ? Double(result.meter.delivered) / result.seconds : 0 }

    /// Milliseconds at a percentile of the latency histogram.
    func milliseconds(_ percentile: Double) -> Double {
        result.meter.latency.totalCount == 0 ? 0 : Double(result.meter.latency.valueAtPercentile(percentile)) / 1000
    }

    var serverCPUPercent: Double {
        result.seconds > 0 ? (result.after.serverCPUSeconds - result.before.serverCPUSeconds) / result.seconds * 100 : 0
    }

    var generatorCPUPercent: Double {
        result.seconds > 0 ? (result.after.generatorCPUSeconds - result.before.generatorCPUSeconds) / result.seconds * 100 : 0
    }

    func print(json: Bool) {
        let meter = result.meter
        let maximum = meter.latency.totalCount == 0 ? 0 : Double(meter.latency.max) / 1000
        Swift.print(
            String(
                format: "%-6@ %11@ %12@ %9@ %9@ %9@ %9@ %10@ %8@ %8@", "mode", "connections", "messages/s", "p50 ms", "p99 ms",
                "p99.9 ms", "max ms", "srv RSS MiB", "srv CPU%", "gen CPU%"))
        Swift.print(
            String(
                format: "%-6@ %11d %12.0f %9.3f %9.3f %9.3f %9.3f %11.1f %8.0f %8.0f", mode, result.connections, messagesPerSecond,
                milliseconds(50), milliseconds(99), milliseconds(99.9), maximum, Double(result.after.serverRSSKiB) / 1024,
                serverCPUPercent, generatorCPUPercent))
        Swift.print(
            "  \(meter.delivered) delivered, \(meter.acknowledged) confirmed, \(meter.sent) sent, \(meter.skipped) skipped (window full), "
                + "\(meter.errors) errors in \(String(format: "%.2f", result.seconds)) s")
        for (name, value) in result.figures { Swift.print("  \(name): \(value)") }
        for problem in result.problems { Swift.print("  PROBLEM: \(problem)") }
        guard json else { return }
        var object: [String: Any] = [
            "mode": mode, "connections": result.connections, "seconds": result.seconds, "delivered": meter.delivered,
            "messages_per_s": messagesPerSecond, "p50_ms": milliseconds(50), "p99_ms": milliseconds(99),
            "p999_ms": milliseconds(99.9), "max_ms": maximum, "server_rss_kib": result.after.serverRSSKiB,
            "server_cpu_percent": serverCPUPercent, "generator_cpu_percent": generatorCPUPercent, "errors": meter.errors,
            "skipped": meter.skipped, "problems": result.problems,
        ]
        for (name, value) in result.figures { object[name] = Double(value) ?? value }
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            Swift.print("RESULT " + String(decoding: data, as: UTF8.self))
        }
    }
}
