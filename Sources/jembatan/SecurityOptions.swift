import ArgumentParser
import Foundation
import JembatanServer

/// Tokens, TLS and the limits every connection lives within.
struct SecurityOptions: ParsableArguments {
    @Option(help: "The portal's PEM public key (P-256 → ES256, RSA → RS256); tokens must then be signed with its private key.")
    var jwtPublicKey: String?

    @Option(help: "Seconds of clock difference tolerated on a token's exp and nbf.")
    var jwtSkewSeconds = 30

    @Option(help: "Frames a second per connection (1.5× per participant, bursts of twice that); 0 turns rate limits off.")
    var rateLimit: Double = 20

    @Option(help: "Tickets an applicant may have waiting at once (different services).")
    var maxOpenTickets = 1

    @Option(help: "Sessions a staff member takes at once at most, whatever their token's capacity says.")
    var maxStaffSessions = 10

    @Option(help: "Seconds a new connection has to send hello.")
    var helloSeconds = 10

    @Option(help: "Seconds of silence after which a WebSocket is pinged; 0 turns pings off.")
    var pingSeconds = 30

    @Option(help: "Seconds of silence (no frame, no pong) after which a WebSocket is dropped.")
    var hangupSeconds = 75

    @Option(help: "Largest WebSocket message in bytes (bigger closes with 1009).")
    var maxMessageBytes = 64 * 1024

    @Option(
        help:
            "New connections per client address per 10 seconds (sized for carrier NAT, where many phones share an address); 0 turns the limit off."
    )
    var connectionsPerIP = 200

    @Option(help: "New connections per 10 seconds that addresses past their own allowance may borrow, each at most an eighth; 0: none.")
    var connectionPool = 5_000

    @Option(
        help: ArgumentHelp(
            "A proxy (address or CIDR range) whose Forwarded / X-Forwarded-For headers name the client; repeatable.",
            valueName: "cidr"))
    var trustedProxy: [String] = []

    @Option(
        help:
            "A second port whose connections start with a PROXY protocol header (v1 or v2: HAProxy, nginx stream, load balancers); only --trusted-proxy peers may use it."
    )
    var proxyProtocolPort: Int?

    @Option(help: "PEM certificate (chain) for wss:// and https:// (with --tls-key).")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    func validate() throws {
        guard rateLimit >= 0, (1...6).contains(maxOpenTickets), (1...100).contains(maxStaffSessions) else {
            throw ValidationError("--rate-limit must be ≥ 0, --max-open-tickets 1...6, --max-staff-sessions 1...100")
        }
        guard (1...120).contains(helloSeconds), (1024...16_777_216).contains(maxMessageBytes), connectionsPerIP >= 0 else {
            throw ValidationError("--hello-seconds 1...120, --max-message-bytes 1 KiB...16 MiB, --connections-per-ip ≥ 0")
        }
        guard (0...3_600).contains(pingSeconds), pingSeconds == 0 || (pingSeconds + 1...7_200).contains(hangupSeconds) else {
            throw ValidationError("--ping-seconds 0...3600, --hangup-seconds above it and at most 7200")
        }
        guard connectionPool >= 0 else { throw ValidationError("--connection-pool must be ≥ 0") }
        if let proxyProtocolPort {
            guard (1...65535).contains(proxyProtocolPort) else { throw ValidationError("--proxy-protocol-port must be 1...65535") }
            guard !trustedProxy.isEmpty else {
                throw ValidationError("--proxy-protocol-port needs --trusted-proxy: nobody else may use it")
            }
        }
        for range in trustedProxy where AddressRange(range) == nil {
            throw ValidationError("--trusted-proxy: expected an address or CIDR range such as 10.0.0.0/8 or ::1, got \(range)")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        for file in [tlsCert, tlsKey].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("cannot read \(file)")
        }
        guard (0...600).contains(jwtSkewSeconds) else { throw ValidationError("--jwt-skew-seconds must be 0...600") }
    }

    func apply(to configuration: inout ServerConfiguration) throws {
        configuration.jwtSkewSeconds = jwtSkewSeconds
        configuration.tlsCertPath = tlsCert
        configuration.tlsKeyPath = tlsKey
        configuration.broker.limits.setRate(rateLimit)
        configuration.broker.limits.maxOpenTicketsPerApplicant = maxOpenTickets
        configuration.broker.limits.maxSessionsPerStaff = maxStaffSessions
        configuration.helloTimeoutSeconds = helloSeconds
        configuration.pingSeconds = pingSeconds
        configuration.hangupSeconds = hangupSeconds
        configuration.maxMessageBytes = maxMessageBytes
        configuration.connectionsPerIPPer10s = connectionsPerIP
        configuration.connectionPool = connectionPool
        configuration.trustedProxies = TrustedProxies(trustedProxy.compactMap(AddressRange.init))
        configuration.proxyProtocolPort = proxyProtocolPort
        if let jwtPublicKey {
            guard let pem = try? String(contentsOfFile: jwtPublicKey, encoding: .utf8) else {
                throw ValidationError("--jwt-public-key: cannot read \(jwtPublicKey)")
            }
            configuration.jwtPublicKeyPEM = pem
        }
    }
}
