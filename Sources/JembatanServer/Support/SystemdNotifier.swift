import Foundation

/// Tells systemd how the service is doing, as `sd_notify(3)` does, without linking libsystemd:
/// one datagram per message to the unix socket `$NOTIFY_SOCKET` names. With `Type=notify`
/// the unit counts as started only on `READY=1` (sent once the port is bound), and with
/// `WatchdogSec=` it is restarted when `WATCHDOG=1` stops coming (`SystemdWatchdog`).
public struct SystemdNotifier: Sendable, Equatable {
    /// The socket's path; a leading `@` names one in the abstract namespace.
    public let socketPath: String
    /// How often `WATCHDOG=1` is due: half of `$WATCHDOG_USEC`, as systemd advises; nil
    /// without a watchdog.
    public let watchdogIntervalMilliseconds: UInt64?

    /// `watchdogMicroseconds` is systemd's `WATCHDOG_USEC`, the time it waits for a ping.
    public init(socketPath: String, watchdogMicroseconds: UInt64? = nil) {
        self.socketPath = socketPath
        self.watchdogIntervalMilliseconds = watchdogMicroseconds.flatMap { $0 > 0 ? max($0 / 2000, 1) : nil }
    }

    /// The notifier systemd's environment asks for, or nil when no `NOTIFY_SOCKET` is set (not
    /// started by systemd, or not `Type=notify`) or it names something other than a unix
    /// socket (`vsock:` is for virtual machines). `WATCHDOG_PID`, when set, must be this
    /// process: the watchdog belongs to the service's main process, not to its children.
    public init?(environment: [String: String], processID: Int32 = getpid()) {
        guard let path = environment["NOTIFY_SOCKET"], path.hasPrefix("/") || path.hasPrefix("@"),
            path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        else { return nil }
        var watchdog = environment["WATCHDOG_USEC"].flatMap { UInt64($0) }
        if let pid = environment["WATCHDOG_PID"], Int32(pid) != processID { watchdog = nil }
        self.init(socketPath: path, watchdogMicroseconds: watchdog)
    }

    /// Sends `state`: one or more newline-separated assignments such as `READY=1`,
    /// `STOPPING=1`, `WATCHDOG=1` or `STATUS=…`. Returns false when it could not be sent;
    /// the broker carries on (systemd notices a missing `READY=1` or ping by itself).
    @discardableResult
    public func notify(_ state: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        // Abstract: a NUL first, and the length says where the name ends (no NUL after it).
        let abstract = path.first == UInt8(ascii: "@")
        if abstract { path[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + path.count + (abstract ? 0 : 1)
        let bytes = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL), $0, socklen_t(length))
            }
        }
        return sent == bytes.count
    }
}

/// `WATCHDOG=1` at the notifier's interval, sent from the service thread's once-a-second tick
/// (``BrokerLoop/tick()``) and not from a thread of its own: an event loop that hangs stops
/// the pings, and systemd kills and restarts the service. The tick runs once a second, so an
/// interval under a second (`WatchdogSec` under 2 s) still gets one ping a second.
struct SystemdWatchdog {
    let notifier: SystemdNotifier
    let intervalMilliseconds: UInt64
    private var lastPing: UInt64?

    init?(_ notifier: SystemdNotifier?) {
        guard let notifier, let interval = notifier.watchdogIntervalMilliseconds else { return nil }
        self.notifier = notifier
        self.intervalMilliseconds = interval
    }

    /// Pings when `now` (loop milliseconds) is an interval or more after the last ping, and
    /// on the first tick.
    mutating func tick(now: UInt64) {
        if let lastPing, now < lastPing + intervalMilliseconds { return }
        lastPing = now
        notifier.notify("WATCHDOG=1")
    }
}
