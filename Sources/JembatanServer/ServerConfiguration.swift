import Foundation
import JembatanCore
import JembatanText

/// How a broker process runs. Defaults are the embedded single-node set-up.
public struct ServerConfiguration: Sendable {
    /// The address to listen on; loopback unless told otherwise.
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port = 8080
    /// Holds the SQLite database and the generated token secret.
    public var dataDirectory = "./data"
    /// The HS256 secret; nil uses (or creates) the data folder's.
    public var jwtSecret: String?
    /// `synchronous=FULL`: survive power loss, at some cost per commit.
    public var synchronousFull = false
    /// Folder of `<locale>.json` templates; nil searches the usual places.
    public var localesDirectory: String?
    public var defaultLocale = "en"
    /// Digits for numbers in every locale (Arabic defaults to Arabic-Indic).
    public var digits: DigitStyle = .native
    /// The office's time zone for dates people read (Asia/Jakarta, Asia/Makassar, Asia/Jayapura).
    public var timeZone = "Asia/Jakarta"
    /// Largest incoming WebSocket message (all fragments); larger closes with 1009.
    public var maxMessageBytes = 64 * 1024
    /// Bytes queued for one slow client before it is closed with 4408.
    public var sendQueueBytes = 1024 * 1024
    /// Seconds a new connection has to send `hello`.
    public var helloTimeoutSeconds = 10
    /// Days a closed session's text is kept; nil keeps it for ever. Checked at start and hourly.
    public var retentionDays: Int?
    /// A WebSocket silent this long is pinged; one that answers nothing for `hangupSeconds`
    /// is dropped (a dead mobile link), and its owner resumes when back. Checked once a
    /// second; 0 turns pings off.
    public var pingSeconds = 30
    public var hangupSeconds = 75
    public var broker = BrokerConfiguration()
    /// A PEM public key (P-256 or RSA): tokens must then be ES256 or RS256 signed by the portal.
    public var jwtPublicKeyPEM: String?
    /// Clock difference tolerated on `exp` and `nbf`, in seconds.
    public var jwtSkewSeconds = 30
    /// New connections allowed per client address per 10 seconds (0: unlimited); the table
    /// of addresses is bounded. Sized for carrier NAT, where dozens of phones share one
    /// public address and each may reconnect several times on a flaky link (Deploying.md).
    public var connectionsPerIPPer10s = 200
    /// New connections per 10 seconds that addresses past their own allowance may borrow,
    /// each at most an eighth of it (0: a hard limit per address).
    public var connectionPool = 5_000
    /// Peers whose `Forwarded`/`X-Forwarded-For` name the client (a TLS proxy in front).
    public var trustedProxies = TrustedProxies()
    /// A second port for connections that start with a PROXY protocol header (v1 or v2),
    /// accepted from trusted proxies only; 0 picks a free one (tests).
    public var proxyProtocolPort: Int?
    /// PEM certificate (chain) and private key: both given, the port serves `wss://` and `https://`.
    public var tlsCertPath: String?
    public var tlsKeyPath: String?
    /// Test mode for `Scripts/conformance`: WebSocket paths other than `/ws` echo every message
    /// back, through the same framing, limits and UTF-8 validation as the broker's connections.
    public var conformanceEcho = false
    /// Folder of the web pages (`Web/`); nil searches the usual places.
    public var webDirectory: String?
    /// `POST /api/demo/token` hands out tokens for any role: for trying the pages, never production.
    public var demoLogin = false
    /// This office's name in figures (`group_by=office`).
    public var office = "main"
    /// Cluster mode with a bus: how often the sessions connected here are checked against the
    /// store, for wake-ups the bus lost (SCALEOUT.md: every 15–40 s).
    public var clusterCheckSeconds: TimeInterval = 20
    /// Active-active cluster: how often the shared picture is read when no bus says it changed.
    public var clusterSnapshotSeconds: TimeInterval = 2
    /// systemd's notification socket (`Type=notify`): `READY=1` once listening, `STOPPING=1`
    /// at shutdown, `WATCHDOG=1` from the service thread. Nil outside systemd.
    public var systemd: SystemdNotifier?

    public init() {}

    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("jembatan.sqlite") }
}

/// Finds the `Locales/` folder: the configured one, `JEMBATAN_LOCALES`, the working
/// directory's, or one above the executable (a build folder inside the checkout).
public enum LocalesLocator {
    public static func find(configured: String?) -> String? {
        CheckoutFolder.find("Locales", marker: "en.json", configured: configured, environment: "JEMBATAN_LOCALES")
    }
}

/// Finds the `Web/` folder of the pages the broker serves, the same way as `Locales/`.
public enum WebLocator {
    public static func find(configured: String?) -> String? {
        CheckoutFolder.find("Web", marker: "applicant.html", configured: configured, environment: "JEMBATAN_WEB")
    }
}

enum CheckoutFolder {
    /// The configured folder, the one the environment names, the working directory's, or one
    /// above the executable — the first that holds `marker`.
    static func find(_ name: String, marker: String, configured: String?, environment: String) -> String? {
        if let configured { return configured }
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment[environment] { candidates.append(env) }
        candidates.append(FileManager.default.currentDirectoryPath + "/" + name)
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent(name).path)
            folder.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/" + marker) }
    }
}
