import ArgumentParser

/// Where the server is and how connections are opened; every mode takes these.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Server address.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port: Int
    @Option(help: "Chat: applicants connect here instead (another node of an active-active cluster).") var applicantPort: Int?
    @Option(help: "The server's process id: its RSS and CPU go into the report.") var serverPid: Int32?
    @Option(help: "Handshakes in progress at once.") var connectConcurrency = 256
    @Option(help: "New connections a second at most (0: as fast as the concurrency allows).") var connectRate = 0.0
    @Option(help: "Seconds to wait for every connection (and session) to be ready.") var connectTimeout = 120.0
    @Flag(help: "Also print the result as one JSON line starting with RESULT.") var json = false
    @Flag(help: "wss:// (TLS) instead of ws://, e.g. through a TLS proxy.") var tls = false
    @Flag(help: "With --tls: accept any certificate for any name (test certificates only).") var tlsInsecure = false
    @Option(help: "Connect from each address of this IPv4 range in turn, e.g. 127.0.1.0/26: many clients on one machine.")
    var sourceRange: String?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1...65535") }
        guard connectConcurrency > 0 else { throw ValidationError("--connect-concurrency must be positive") }
        if let sourceRange, SourceRange.addresses(sourceRange) == nil {
            throw ValidationError("--source-range: expected an IPv4 range such as 127.0.1.0/26 (prefix 16...31)")
        }
    }

    /// TLS and source addresses, as ``ChatScenario`` opens its connections.
    func apply(to settings: inout ChatScenario.Settings) {
        settings.tls = tls ? (tlsInsecure ? .unverified : .verified) : .none
        settings.sourceAddresses = sourceRange.flatMap(SourceRange.addresses) ?? []
    }
}

/// The usable addresses of an IPv4 range (without its network and broadcast addresses).
enum SourceRange {
    static func addresses(_ text: String) -> [String]? {
        let parts = text.split(separator: "/")
        let octets = parts.first?.split(separator: ".").compactMap { UInt32($0) } ?? []
        guard parts.count == 2, octets.count == 4, octets.allSatisfy({ $0 < 256 }), let bits = UInt32(parts[1]), (16...31).contains(bits)
        else { return nil }
        let base = octets.reduce(0) { $0 << 8 | $1 } & ~((1 << (32 - bits)) - 1)
        let size = UInt32(1) << (32 - bits)
        return (1..<max(2, size - 1)).map { offset in
            let address = base + offset
            return [24, 16, 8, 0].map { String(address >> $0 & 0xff) }.joined(separator: ".")
        }
    }
}

/// The traffic of the chat, echo and MQTT modes, identical across them for a fair comparison.
struct TrafficOptions: ParsableArguments {
    @Option(help: "Conversations (pairs of connections: an applicant and a counsellor, or two peers).") var pairs = 500
    @Option(help: "Messages in flight per client (sent, not yet confirmed).") var window = 4
    @Option(help: "Messages a second per client (0: flat out, keeping --window in flight).") var rate = 0.0
    @Option(help: "Bytes of message text (the whole frame is about 110 bytes more).") var textSize = 64
    @Option(help: "Seconds of traffic before the measurement starts.") var warmup = 2.0
    @Option(help: "Seconds measured.") var duration = 10.0
    @Option(help: "Seconds to wait for messages in flight at the end before calling them lost.") var drainTimeout = 15.0

    func validate() throws {
        guard pairs > 0, window > 0, textSize >= 24, duration > 0, rate >= 0 else {
            throw ValidationError("--pairs, --window, --duration must be positive, --text-size at least 24")
        }
    }

    func settings(_ connection: ConnectionOptions, capacity: Int = 1, messagesPerSession: Int = 0) -> ChatScenario.Settings {
        var settings = ChatScenario.Settings(
            host: connection.host, port: connection.port, pairs: pairs, capacity: capacity, window: window, rate: rate,
            messagesPerSession: messagesPerSession, connectConcurrency: connection.connectConcurrency,
            connectRate: connection.connectRate, applicantPort: connection.applicantPort)
        connection.apply(to: &settings)
        return settings
    }

    func timing(_ connection: ConnectionOptions) -> Runner.Timing {
        Runner.Timing(connectTimeout: connection.connectTimeout, warmup: warmup, duration: duration, drainTimeout: drainTimeout)
    }
}

/// The broker's token secret.
struct SecretOptions: ParsableArguments {
    @Option(help: "The broker's HS256 secret (else $JEMBATAN_JWT_SECRET, else --data's jwt-secret file).") var secret: String?
    @Option(help: "The broker's data folder, to read its jwt-secret file.") var data: String?

    func minter() throws -> TokenMinter { TokenMinter(secret: try TokenMinter.secret(explicit: secret, dataDirectory: data)) }
}
