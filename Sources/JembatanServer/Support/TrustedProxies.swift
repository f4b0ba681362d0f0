import Foundation

/// An IPv4 or IPv6 address as bytes. IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are
/// taken as the IPv4 address they carry, so one client has one key whichever way it arrived.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(_ text: some StringProtocol) {
        var text = String(text)
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }  // zone id: fe80::1%eth0
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let raw = withUnsafeBytes(of: v6) { Array($0) }
        bytes = raw.prefix(12).elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]) ? Array(raw.suffix(4)) : raw
    }

    /// 4 bytes (IPv4) or 16 (IPv6, IPv4-mapped ones taken as IPv4).
    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        let mapped = bytes.count == 16 && bytes.prefix(12).elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff])
        self.bytes = mapped ? Array(bytes.suffix(4)) : bytes
    }

    public var isIPv4: Bool { bytes.count == 4 }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        bytes.withUnsafeBytes { _ = inet_ntop(isIPv4 ? AF_INET : AF_INET6, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(cBuffer: buffer)
    }
}

/// An address range such as `10.0.0.0/8`, `2001:db8::/32` or a single address.
public struct AddressRange: Hashable, Sendable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        let length = parts.count == 2 ? Int(parts[1]) : bits
        guard let length, (0...bits).contains(length) else { return nil }
        network = address
        prefixLength = length
    }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address.bytes, network.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if a & mask != b & mask { return false }
            remaining -= 8
        }
        return true
    }

    public var description: String { "\(network)/\(prefixLength)" }
}

/// The proxies whose word on the client's address is believed (`--trusted-proxy`). From any
/// other peer, `Forwarded` and `X-Forwarded-For` are ignored: anybody can send them.
public struct TrustedProxies: Sendable {
    public let ranges: [AddressRange]

    public init(_ ranges: [AddressRange] = []) { self.ranges = ranges }

    public var isEmpty: Bool { ranges.isEmpty }

    public func trusts(_ address: IPAddress) -> Bool { ranges.contains { $0.contains(address) } }

    /// The client's address for a request that came from `peer` with these headers.
    ///
    /// The hops are read right to left (the nearest proxy appends last), skipping trusted
    /// proxies; the first untrusted one is the client. Whatever stands left of it was written
    /// by the client or an untrusted hop and could be forged. A hop that is no address
    /// (`unknown`, an obfuscated `_name`, garbage) ends the walk at the trusted hop that
    /// reported it. `Forwarded` (RFC 7239) wins over `X-Forwarded-For` when both are present.
    public func clientAddress(peer: IPAddress, forwarded: String?, forwardedFor: String?) -> IPAddress {
        guard trusts(peer) else { return peer }
        let hops: [Substring]
        if let forwarded, !forwarded.isEmpty {
            hops = Self.forwardedFor(forwarded)
        } else if let forwardedFor, !forwardedFor.isEmpty {
            hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces)[...] }
        } else {
            return peer
        }
        var client = peer
        for hop in hops.reversed() {
            guard let address = Self.address(ofHop: hop) else { return client }
            client = address
            if !trusts(address) { return address }
        }
        return client  // every hop trusted: the leftmost is as near the client as we can see
    }

    /// The `for=` values of a `Forwarded` header, one per element, in order.
    static func forwardedFor(_ header: String) -> [Substring] {
        var hops: [Substring] = []
        for element in header.split(separator: ",") {
            for pair in element.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " || $0 == "\t" }
                guard trimmed.count > 4, trimmed.prefix(4).lowercased() == "for=" else { continue }
                hops.append(trimmed.dropFirst(4))
            }
        }
        return hops
    }

    /// An address from one hop: `192.0.2.1`, `"192.0.2.1:4711"`, `"[2001:db8::1]:4711"`,
    /// `2001:db8::1`; nil for anything else.
    static func address(ofHop hop: Substring) -> IPAddress? {
        var text = hop.trimmingCharacters(in: .whitespaces)[...]
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            return IPAddress(text[text.index(after: text.startIndex)..<close])
        }
        if let address = IPAddress(text) { return address }
        // IPv4 with a port; an IPv6 address without brackets has no port.
        if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon { return IPAddress(text[..<colon]) }
        return nil
    }
}
