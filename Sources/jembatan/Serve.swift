import ArgumentParser
import Foundation
import JembatanCore
import JembatanServer
import JembatanText
import Logging

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the broker (WebSocket at /ws, HTTP on the same port).")

    @Option(help: "Address to listen on (loopback by default; an IPv6 address such as ::1 works too).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @OptionGroup var data: DataOptions

    @Option(help: "Folder of <locale>.json templates (default: ./Locales or $JEMBATAN_LOCALES).")
    var locales: String?

    @Option(
        help:
            "normal: SQLite synchronous=NORMAL in WAL mode, survives a crash of the process; full: synchronous=FULL, also survives power loss."
    )
    var durability: Durability = .normal

    @Option(help: "Erase the text of sessions closed more than this many days ago (kept for ever if not given).")
    var retentionDays: Int?

    @Option(help: "Digits for numbers: native (Arabic-Indic in Arabic) or latin (Latin everywhere).")
    var digits: DigitStyle = .native

    @Option(help: "The office's time zone for dates and times people read.")
    var timeZone = "Asia/Jakarta"

    @Option(help: "Opening hours per service and holidays, a JSON file (see Scripts/hours.example.json). Always open without it.")
    var hours: String?

    @Option(help: "Tell a waiting applicant honestly after this many minutes and offer to leave a message (0: never).")
    var maxWaitMinutes: Double = 20

    @Option(help: "Sessions a staff member takes at once when their token has no capacity claim.")
    var defaultCapacity = 3

    @Option(
        name: .customLong("route"),
        help: ArgumentHelp(
            "Which roles serve a service, e.g. --route complaint=officer,counsellor (repeatable).", valueName: "service=roles"))
    var routes: [String] = []

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

    @Option(help: "Largest WebSocket message in bytes (bigger closes with 1009).")
    var maxMessageBytes = 64 * 1024

    @Option(help: "New connections per IP address per 10 seconds; 0 turns the limit off.")
    var connectionsPerIP = 30

    @Option(help: "PEM certificate (chain) for wss:// and https:// (with --tls-key).")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "This office's name in the figures (GET /api/stats?group_by=office).")
    var office = "main"

    @Option(help: "Working days for a complaint's first answer (weekends and --hours holidays do not count).")
    var complaintAnswerDays = 5

    @Flag(help: "Tell a session's staff its rating and comment (by default they see only aggregates).")
    var ratingsVisibleToStaff = false

    @Flag(help: "Never serve an applicant through an interpreter when nobody online speaks their language.")
    var noInterpreterFallback = false

    @Flag(help: "Test mode for Scripts/conformance: WebSocket paths other than /ws echo every message back.")
    var conformanceEcho = false

    @Flag(help: .hidden)
    var synchronousFull = false

    enum Durability: String, ExpressibleByArgument {
        case normal, full
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        // Checked against the ICU that formats (the system's), not Foundation's own copy.
        guard LocaleFormatter.isKnownTimeZone(timeZone) else { throw ValidationError("--time-zone: not an IANA time zone") }
        if let retentionDays, retentionDays < 1 { throw ValidationError("--retention-days must be at least 1") }
        guard maxWaitMinutes >= 0 else { throw ValidationError("--max-wait-minutes must be 0 or more") }
        guard rateLimit >= 0, (1...6).contains(maxOpenTickets), (1...100).contains(maxStaffSessions) else {
            throw ValidationError("--rate-limit must be ≥ 0, --max-open-tickets 1...6, --max-staff-sessions 1...100")
        }
        guard (1...120).contains(helloSeconds), (1024...16_777_216).contains(maxMessageBytes), connectionsPerIP >= 0 else {
            throw ValidationError("--hello-seconds 1...120, --max-message-bytes 1 KiB...16 MiB, --connections-per-ip ≥ 0")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        for file in [tlsCert, tlsKey].compactMap({ $0 }) where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("cannot read \(file)")
        }
        guard (0...600).contains(jwtSkewSeconds) else { throw ValidationError("--jwt-skew-seconds must be 0...600") }
        guard (1...60).contains(complaintAnswerDays) else { throw ValidationError("--complaint-answer-days must be 1...60") }
        guard defaultCapacity >= 1 else { throw ValidationError("--default-capacity must be at least 1") }
        _ = try routing()
        _ = try openingHours()
    }

    /// The standard map with `--route` entries replacing their service's roles.
    func routing() throws -> ServiceRouting {
        var routing = ServiceRouting.standard
        for entry in routes {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let service = Service(rawValue: parts[0]) else {
                throw ValidationError(
                    "--route \(entry): expected service=role[,role] with a service of \(Service.allCases.map(\.rawValue))")
            }
            let roles = parts[1].split(separator: ",").map { Role(rawValue: String($0)) }
            guard !roles.isEmpty, roles.allSatisfy({ $0 == .officer || $0 == .counsellor }) else {
                throw ValidationError("--route \(entry): roles must be officer and/or counsellor")
            }
            routing.rolesByService[service] = Set(roles.compactMap { $0 })
        }
        return routing
    }

    func openingHours() throws -> BusinessHours {
        guard let hours else { return .alwaysOpen }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: hours))
        } catch {
            throw ValidationError("--hours: cannot read \(hours)")
        }
        do {
            return try BusinessHours.load(json: data, officeTimeZone: timeZone)
        } catch {
            throw ValidationError("--hours: \(error)")
        }
    }

    func run() throws {
        var logger = Logger(label: "jembatan")
        logger.logLevel = .info
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = data.data
        configuration.jwtSecret = data.resolvedSecret
        configuration.localesDirectory = locales
        configuration.retentionDays = retentionDays
        configuration.digits = digits
        configuration.timeZone = timeZone
        configuration.synchronousFull = synchronousFull || durability == .full
        configuration.broker.hours = try openingHours()
        configuration.broker.maxWaitSeconds = maxWaitMinutes * 60
        configuration.broker.defaultCapacity = defaultCapacity
        configuration.broker.routing = try routing()
        configuration.broker.interpreterFallback = !noInterpreterFallback
        configuration.broker.complaintAnswerWorkingDays = complaintAnswerDays
        configuration.broker.ratingsVisibleToStaff = ratingsVisibleToStaff
        configuration.jwtSkewSeconds = jwtSkewSeconds
        configuration.conformanceEcho = conformanceEcho
        configuration.tlsCertPath = tlsCert
        configuration.tlsKeyPath = tlsKey
        configuration.broker.limits.setRate(rateLimit)
        configuration.broker.limits.maxOpenTicketsPerApplicant = maxOpenTickets
        configuration.broker.limits.maxSessionsPerStaff = maxStaffSessions
        configuration.helloTimeoutSeconds = helloSeconds
        configuration.maxMessageBytes = maxMessageBytes
        configuration.connectionsPerIPPer10s = connectionsPerIP
        if let jwtPublicKey {
            guard let pem = try? String(contentsOfFile: jwtPublicKey, encoding: .utf8) else {
                throw ValidationError("--jwt-public-key: cannot read \(jwtPublicKey)")
            }
            configuration.jwtPublicKeyPEM = pem
        }
        configuration.office = office
        let server = try BrokerServer.start(configuration, handleSignals: true, logger: logger)
        logger.info("listening", metadata: ["host": "\(host)", "port": "\(server.port)", "data": "\(data.data)"])
        // Written unbuffered, for scripts that start the broker on port 0.
        FileHandle.standardOutput.write(Data("jembatan listening on \(host):\(server.port)\n".utf8))
        server.wait()
        logger.info("stopped")
    }
}

extension DigitStyle: ExpressibleByArgument {}
