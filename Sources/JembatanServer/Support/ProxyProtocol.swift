/// The PROXY protocol header (HAProxy's specification, versions 1 and 2) a load balancer or
/// nginx's stream module sends before anything else, naming the client it connects for.
enum ProxyProtocol {
    enum Parsed: Equatable {
        /// Not all of it yet; everything so far belongs to the header.
        case incomplete
        case invalid
        /// `length` bytes of header; `client` nil for the proxy's own connections (v2 LOCAL,
        /// v1 UNKNOWN: health checks) and families without an IP address.
        case complete(length: Int, client: IPAddress?)
    }

    /// Longest header taken: v1's is at most 107 bytes; v2's address block and TLVs are
    /// allowed up to this (HAProxy's TLVs for TLS and ALPN take a few hundred).
    static let maxLength = 4_096

    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    private static let v1Signature = Array("PROXY ".utf8)

    static func parse(_ bytes: [UInt8]) -> Parsed {
        if bytes.starts(with: v2Signature) { return parseV2(bytes) }
        if bytes.starts(with: v1Signature) { return parseV1(bytes) }
        let prefix = bytes.prefix(12)
        return v2Signature.starts(with: prefix) || v1Signature.starts(with: prefix.prefix(6)) ? .incomplete : .invalid
    }

    /// `PROXY TCP4 192.0.2.1 198.51.100.2 51234 443\r\n`, `PROXY TCP6 …`, `PROXY UNKNOWN …`.
    private static func parseV1(_ bytes: [UInt8]) -> Parsed {
        guard let end = bytes.indices.first(where: { $0 + 1 < bytes.count && bytes[$0] == 0x0D && bytes[$0 + 1] == 0x0A }) else {
            return bytes.count < 107 ? .incomplete : .invalid
        }
        guard end + 2 <= 107 else { return .invalid }
        let fields = String(decoding: bytes[..<end], as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count >= 2 else { return .invalid }
        switch fields[1] {
        case "UNKNOWN":
            return .complete(length: end + 2, client: nil)
        case "TCP4", "TCP6":
            guard fields.count == 6, let source = IPAddress(fields[2]), IPAddress(fields[3]) != nil,
                source.isIPv4 == (fields[1] == "TCP4"), UInt16(fields[4]) != nil, UInt16(fields[5]) != nil
            else { return .invalid }
            return .complete(length: end + 2, client: source)
        default:
            return .invalid
        }
    }

    /// 12 bytes of signature, version and command, family and protocol, a big-endian length,
    /// then the addresses (and TLVs, skipped).
    private static func parseV2(_ bytes: [UInt8]) -> Parsed {
        guard bytes.count >= 16 else { return .incomplete }
        let versionAndCommand = bytes[12]
        let family = bytes[13]
        let length = 16 + Int(bytes[14]) << 8 + Int(bytes[15])
        guard versionAndCommand >> 4 == 2, versionAndCommand & 0x0F <= 1, length <= maxLength else { return .invalid }
        guard bytes.count >= length else { return .incomplete }
        if versionAndCommand & 0x0F == 0 { return .complete(length: length, client: nil) }  // LOCAL
        let block = bytes[16..<length]
        switch family {
        case 0x11, 0x12:  // TCP or UDP over IPv4: source, destination, ports
            guard block.count >= 12 else { return .invalid }
            return .complete(length: length, client: IPAddress(bytes: Array(block.prefix(4))))
        case 0x21, 0x22:  // over IPv6
            guard block.count >= 36 else { return .invalid }
            return .complete(length: length, client: IPAddress(bytes: Array(block.prefix(16))))
        case 0x00, 0x31, 0x32:  // unspecified, unix sockets: no address to take
            return .complete(length: length, client: nil)
        default:
            return .invalid
        }
    }
}
