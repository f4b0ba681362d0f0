import Foundation

/// Admission of new connections by client address, fair to everyone sharing the broker.
///
/// Each address has its own allowance, `perWindow` new connections in any 10 seconds (a
/// token bucket). An address past it (a carrier NAT in the morning rush, the clients of a
/// proxy that is not trusted) may borrow from a shared `pool`, refilled at the same pace,
/// but never more than an eighth of it per 10 s: a flood from one address takes what it is owed and
/// at most that eighth, and cannot starve anybody still within their own allowance.
/// The table is bounded: when full, addresses whose bucket has refilled are forgotten
/// first, then the oldest half.
struct ConnectionGate {
    let perWindow: Int
    let pool: Int
    let maxAddresses: Int
    private var buckets: [String: Bucket] = [:]
    private var poolTokens: Double
    private var poolRefilled: Date?

    private struct Bucket {
        var tokens: Double
        /// Taken from the pool; paid back at an eighth of the pool per 10 s.
        var borrowed: Double
        var last: Date
    }

    enum Decision: Equatable {
        case admitted
        /// Admitted on the shared pool: the address is past its own allowance.
        case borrowed
        case refused
    }

    init(perWindow: Int, pool: Int = 0, maxAddresses: Int = 10_000) {
        self.perWindow = perWindow
        self.pool = pool
        self.maxAddresses = maxAddresses
        self.poolTokens = Double(pool)
    }

    mutating func admit(_ address: String, now: Date) -> Bool { decide(address, now: now) != .refused }

    mutating func decide(_ address: String, now: Date) -> Decision {
        guard perWindow > 0 else { return .admitted }
        refillPool(now: now)
        let share = Double(pool) / 8
        var bucket = buckets[address] ?? Bucket(tokens: Double(perWindow), borrowed: 0, last: now)
        let elapsed = max(0, now.timeIntervalSince(bucket.last))
        bucket.tokens = min(Double(perWindow), bucket.tokens + elapsed * Double(perWindow) / 10)
        bucket.borrowed = max(0, bucket.borrowed - elapsed * share / 10)
        bucket.last = now
        let decision: Decision
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            decision = .admitted
        } else if poolTokens >= 1 && bucket.borrowed + 1 <= share {
            poolTokens -= 1
            bucket.borrowed += 1
            decision = .borrowed
        } else {
            decision = .refused
        }
        if buckets[address] == nil && buckets.count >= maxAddresses { makeRoom(now: now) }
        buckets[address] = bucket
        return decision
    }

    private mutating func refillPool(now: Date) {
        if let poolRefilled {
            poolTokens = min(Double(pool), poolTokens + max(0, now.timeIntervalSince(poolRefilled)) * Double(pool) / 10)
        }
        poolRefilled = now
    }

    private mutating func makeRoom(now: Date) {
        let full = Double(perWindow)
        let rate = full / 10
        buckets = buckets.filter { $0.value.tokens + now.timeIntervalSince($0.value.last) * rate < full || $0.value.borrowed > 0 }
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
