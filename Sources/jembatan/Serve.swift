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
    @OptionGroup(title: "The office") var office: OfficeOptions
    @OptionGroup(title: "Security and limits") var security: SecurityOptions
    @OptionGroup(title: "Cluster") var clusterOptions: ClusterOptions

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

    @Option(help: "Folder of the web pages (default: ./Web or $JEMBATAN_WEB).")
    var web: String?

    @Flag(
        help: "Demo login: the pages offer a form that gets a token for any role from the broker. For trying it out, never in production.")
    var demo = false

    @Flag(help: "Test mode for Scripts/conformance: WebSocket paths other than /ws echo every message back.")
    var conformanceEcho = false

    @Option(help: "text: swift-log's lines; json: one JSON object a line (timestamp, level, label, message, metadata).")
    var logFormat: LogFormat = .text

    @Flag(help: .hidden)
    var synchronousFull = false

    enum Durability: String, ExpressibleByArgument {
        case normal, full
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        // Checked against the ICU that formats (the system's), not Foundation's own copy.
        guard LocaleFormatter.isKnownTimeZone(timeZone) else { throw ValidationError("--time-zone: not an IANA time zone") }
        if demo && security.jwtPublicKey != nil {
            throw ValidationError("--demo signs tokens with the broker's own secret; it cannot be used with --jwt-public-key")
        }
        if let retentionDays, retentionDays < 1 { throw ValidationError("--retention-days must be at least 1") }
        _ = try office.openingHours(timeZone: timeZone)
    }

    func run() throws {
        logFormat.bootstrap()
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
        configuration.conformanceEcho = conformanceEcho
        configuration.webDirectory = web
        configuration.demoLogin = demo
        configuration.systemd = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        try office.apply(to: &configuration)
        try security.apply(to: &configuration)
        if clusterOptions.cluster {
            try clusterOptions.serve(configuration, logger: logger, started: announce)
        } else {
            let server = try BrokerServer.start(configuration, handleSignals: true, logger: logger)
            announce(server)
            server.wait()
        }
        logger.info("stopped")
    }

    private func announce(_ server: BrokerServer) {
        let logger = Logger(label: "jembatan")
        logger.info("listening", metadata: ["host": "\(host)", "port": "\(server.port)"])
        if demo { logger.warning("demo login is on: anyone can get a token for any role") }
        // Written unbuffered, for scripts that start the broker on port 0.
        FileHandle.standardOutput.write(Data("jembatan listening on \(host):\(server.port)\n".utf8))
    }
}

extension DigitStyle: ExpressibleByArgument {}
