import ArgumentParser
import Foundation
import JembatanClient

@main
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jembatan-load",
        abstract: "Drive thousands of WebSocket connections from one process and measure latency and throughput.",
        subcommands: [Chat.self, Echo.self, MQTT.self, Idle.self, Rush.self])
}

/// Runs a scenario on a fresh client loop, prints the report; a broken harness (nothing
/// delivered, a loss, a dropped connection) exits non-zero.
func execute(
    mode: String, timing: Runner.Timing, connection: ConnectionOptions, requireDelivery: Bool,
    make: (Tally, ClientLoop) -> any Scenario
) throws {
    let loop = ClientLoop()
    guard loop.usesLibuv else { throw LoadError("the libuv event library is missing (libwebsockets-evlib-uv)") }
    let tally = Tally()
    let scenario = make(tally, loop)
    let result = Runner(scenario: scenario, tally: tally, timing: timing, serverPID: connection.serverPid).run(loop: loop)
    let report = Report(mode: mode, result: result)
    report.print(json: connection.json)
    fflush(nil)  // all streams: `stdout` is a global Swift 6 will not touch
    // The closes sent at the end are still being answered: their callbacks reach the
    // scenario's clients (which hold it unowned), so it must outlive the loop's last callback.
    withExtendedLifetime(scenario) { loop.shutdown() }
    if !result.problems.isEmpty || (requireDelivery && result.meter.delivered == 0) || !result.wasReady {
        throw ExitCode(1)
    }
}

extension LoadCommand {
    struct Chat: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Conversations over the Jembatan protocol.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var traffic: TrafficOptions
        @OptionGroup var secret: SecretOptions
        @Option(help: "Sessions per counsellor (counsellors = pairs ÷ capacity).") var capacity = 1
        @Option(help: "Messages from each side before the counsellor closes and the applicant asks again (0: never).")
        var messagesPerSession = 100

        func run() throws {
            let minter = try secret.minter()
            let settings = traffic.settings(connection, capacity: capacity, messagesPerSession: messagesPerSession)
            try execute(mode: "chat", timing: traffic.timing(connection), connection: connection, requireDelivery: true) {
                ChatScenario(settings: settings, minter: minter, payload: Payload(textSize: traffic.textSize), tally: $0, loop: $1)
            }
        }
    }

    struct Echo: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The same traffic against a raw WebSocket echo server (the floor).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var traffic: TrafficOptions

        func run() throws {
            let settings = traffic.settings(connection)
            try execute(mode: "echo", timing: traffic.timing(connection), connection: connection, requireDelivery: true) {
                EchoScenario(settings: settings, payload: Payload(textSize: traffic.textSize), tally: $0, loop: $1)
            }
        }
    }

    struct MQTT: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The same traffic as MQTT 3.1.1 QoS 1 over WebSocket (e.g. mosquitto).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var traffic: TrafficOptions

        func run() throws {
            let settings = traffic.settings(connection)
            try execute(mode: "mqtt", timing: traffic.timing(connection), connection: connection, requireDelivery: true) {
                MQTTScenario(settings: settings, payload: Payload(textSize: traffic.textSize), tally: $0, loop: $1)
            }
        }
    }

    struct Idle: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open authenticated idle connections (hello, welcome) and hold them.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var secret: SecretOptions
        @Option(help: "Connections to open.") var connections = 1000
        @Option(help: "Seconds to hold them once all are open (the report is taken at the end).") var hold = 5.0

        func run() throws {
            let minter = try secret.minter()
            var settings = TrafficOptions.settings(connections: connections, connection)
            settings.mode = .idle
            let timing = Runner.Timing(connectTimeout: connection.connectTimeout, warmup: 0, duration: hold, drainTimeout: 1)
            try execute(mode: "idle", timing: timing, connection: connection, requireDelivery: false) {
                let scenario = ChatScenario(settings: settings, minter: minter, payload: Payload(textSize: 64), tally: $0, loop: $1)
                scenario.serverPID = connection.serverPid
                return scenario
            }
        }
    }

    struct Rush: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Morning rush: applicants connect and ask within a few seconds; time until every one is queued or assigned.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var secret: SecretOptions
        @Option(help: "Applicants.") var applicants = 5000
        @Option(help: "Seconds their connects are spread over.") var over = 10.0
        @Option(help: "Counsellors (connected first).") var staff = 250
        @Option(help: "Sessions per counsellor.") var capacity = 4

        func run() throws {
            let minter = try secret.minter()
            var settings = TrafficOptions.settings(connections: applicants, connection)
            settings.mode = .rush(seconds: over)
            settings.capacity = capacity
            settings.staff = staff
            let timing = Runner.Timing(
                connectTimeout: connection.connectTimeout, warmup: 0, duration: 0.001, drainTimeout: 1, countFromStart: true)
            try execute(mode: "rush", timing: timing, connection: connection, requireDelivery: false) {
                ChatScenario(settings: settings, minter: minter, payload: Payload(textSize: 64), tally: $0, loop: $1)
            }
        }
    }
}

extension TrafficOptions {
    /// Settings for the modes without traffic (idle, rush).
    static func settings(connections: Int, _ connection: ConnectionOptions) -> ChatScenario.Settings {
        var settings = ChatScenario.Settings(
            host: connection.host, port: connection.port, pairs: connections, capacity: 1, window: 1, rate: 0, messagesPerSession: 0,
            connectConcurrency: connection.connectConcurrency, connectRate: connection.connectRate)
        connection.apply(to: &settings)
        return settings
    }
}
