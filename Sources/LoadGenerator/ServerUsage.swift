import Foundation

/// The broker's resident memory and CPU time from /proc, and this process's own CPU time,
/// sampled at the start and end of a measurement.
struct UsageSample {
    var at: UInt64 = monotonicNow()
    /// VmRSS of the server in KiB (0 without a pid).
    var serverRSSKiB = 0
    /// utime + stime of the server, in seconds.
    var serverCPUSeconds = 0.0
    /// user + system CPU of this generator, in seconds.
    var generatorCPUSeconds = 0.0

    init(serverPID: Int32?) {
        if let serverPID {
            serverRSSKiB = Self.rssKiB(pid: serverPID)
            serverCPUSeconds = Self.cpuSeconds(pid: serverPID)
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        generatorCPUSeconds =
            Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func rssKiB(pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }

    /// Fields 14 and 15 of /proc/PID/stat, counted after the command name's closing
    /// parenthesis (the name itself may contain spaces).
    static func cpuSeconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ")": state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
