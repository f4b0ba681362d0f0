import Foundation

/// New connections per IP address: at most `perWindow` in any 10 seconds (a token bucket per
/// address). The table is bounded: when full, addresses whose bucket has refilled are
/// forgotten first, then the oldest half.
struct ConnectionGate {
    let perWindow: Int
    let maxAddresses: Int
    private var buckets: [String: (tokens: Double, last: Date)] = [:]

    init(perWindow: Int, maxAddresses: Int = 10_000) {
        self.perWindow = perWindow
        self.maxAddresses = maxAddresses
    }

    mutating func admit(_ address: String, now: Date) -> Bool {
        guard perWindow > 0 else { return true }
        let rate = Double(perWindow) / 10
        var bucket = buckets[address] ?? (Double(perWindow), now)
        bucket.tokens = min(Double(perWindow), bucket.tokens + now.timeIntervalSince(bucket.last) * rate)
        bucket.last = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        if buckets[address] == nil && buckets.count >= maxAddresses { makeRoom(now: now, rate: rate) }
        buckets[address] = bucket
        return allowed
    }

    private mutating func makeRoom(now: Date, rate: Double) {
        let full = Double(perWindow)
        buckets = buckets.filter { $0.value.tokens + now.timeIntervalSince($0.value.last) * rate < full }
        if buckets.count >= maxAddresses {
            let newest = buckets.sorted { $0.value.last > $1.value.last }.prefix(maxAddresses / 2)
            buckets = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
        }
    }

    var addresses: Int { buckets.count }
}

/// The peer address of an accepted socket, as text (IPv4 or IPv6).
func peerAddress(_ fd: Int32) -> String? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let got = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
    }
    guard got == 0 else { return nil }
    var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    let named = withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            getnameinfo($0, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
        }
    }
    return named == 0 ? String(cBuffer: host) : nil
}
