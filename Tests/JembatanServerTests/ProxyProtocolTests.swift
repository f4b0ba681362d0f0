import Foundation
import JembatanCore
import JembatanStore
import Testing

@testable import JembatanServer

@Suite struct ProxyProtocolParsingTests {
    func v2(command: UInt8 = 0x21, family: UInt8, address: [UInt8], tlvs: [UInt8] = []) -> [UInt8] {
        let block = address + tlvs
        return ProxyProtocol.v2Signature + [command, family, UInt8(block.count >> 8), UInt8(block.count & 0xff)] + block
    }

    @Test func versionOneNamesTheClient() {
        let header = Array("PROXY TCP4 198.51.100.7 192.0.2.1 51234 443\r\n".utf8)
        #expect(
            ProxyProtocol.parse(header + Array("GET / HTTP/1.1".utf8)) == .complete(length: header.count, client: IPAddress("198.51.100.7"))
        )
        let six = Array("PROXY TCP6 2001:db8::9 2001:db8::1 51234 443\r\n".utf8)
        #expect(ProxyProtocol.parse(six) == .complete(length: six.count, client: IPAddress("2001:db8::9")))
        let unknown = Array("PROXY UNKNOWN\r\n".utf8)
        #expect(ProxyProtocol.parse(unknown) == .complete(length: unknown.count, client: nil))
    }

    @Test func versionOneHalfArrivedOrWrong() {
        #expect(ProxyProtocol.parse([]) == .incomplete)
        #expect(ProxyProtocol.parse(Array("PRO".utf8)) == .incomplete)
        #expect(ProxyProtocol.parse(Array("PROXY TCP4 198.51.100.7 192.0.2.1 5".utf8)) == .incomplete)
        for bad in [
            "GET / HTTP/1.1\r\n", "PROXY TCP4 198.51.100.7 192.0.2.1 51234\r\n", "PROXY TCP4 2001:db8::9 192.0.2.1 1 2\r\n",
            "PROXY TCP5 198.51.100.7 192.0.2.1 1 2\r\n", "PROXY TCP4 198.51.100.7 192.0.2.1 1 70000\r\n",
            "PROXY TCP4 evil 192.0.2.1 1 2\r\n",
        ] {
            #expect(ProxyProtocol.parse(Array(bad.utf8)) == .invalid, "\(bad)")
        }
        // No line end within 107 bytes: not a v1 header.
        #expect(ProxyProtocol.parse(Array(("PROXY TCP4 " + String(repeating: "1", count: 120)).utf8)) == .invalid)
    }

    @Test func versionTwoNamesTheClient() {
        let ipv4 = v2(family: 0x11, address: [198, 51, 100, 7, 192, 0, 2, 1, 0xC8, 0x22, 0x01, 0xBB])
        #expect(ProxyProtocol.parse(ipv4 + [0x16, 0x03]) == .complete(length: ipv4.count, client: IPAddress("198.51.100.7")))
        let ipv6Address = IPAddress("2001:db8::9")!.bytes + IPAddress("2001:db8::1")!.bytes + [0, 1, 0, 2]
        let ipv6 = v2(family: 0x21, address: ipv6Address, tlvs: [0x01, 0x00, 0x02, 0x68, 0x32])  // an ALPN TLV, skipped
        #expect(ProxyProtocol.parse(ipv6) == .complete(length: ipv6.count, client: IPAddress("2001:db8::9")))
        let local = v2(command: 0x20, family: 0x00, address: [])
        #expect(ProxyProtocol.parse(local) == .complete(length: 16, client: nil))
    }

    @Test func versionTwoHalfArrivedOrWrong() {
        let ipv4 = v2(family: 0x11, address: [198, 51, 100, 7, 192, 0, 2, 1, 0xC8, 0x22, 0x01, 0xBB])
        for cut in [1, 11, 12, 15, 16, ipv4.count - 1] { #expect(ProxyProtocol.parse(Array(ipv4.prefix(cut))) == .incomplete, "\(cut)") }
        #expect(ProxyProtocol.parse(v2(command: 0x11, family: 0x11, address: Array(ipv4[16...]))) == .invalid)  // version 1 in a v2 header
        #expect(ProxyProtocol.parse(v2(command: 0x22, family: 0x11, address: Array(ipv4[16...]))) == .invalid)  // unknown command
        #expect(ProxyProtocol.parse(v2(family: 0x11, address: [1, 2, 3])) == .invalid)  // too short for IPv4
        #expect(ProxyProtocol.parse(v2(family: 0x41, address: Array(ipv4[16...]))) == .invalid)  // unknown family
        let huge = ProxyProtocol.v2Signature + [0x21, 0x11, 0xFF, 0xFF]
        #expect(ProxyProtocol.parse(huge) == .invalid)
    }
}

/// The real broker's PROXY protocol port, spoken to by raw sockets from chosen loopback
/// addresses as a proxy would.
@Suite(.serialized) struct ProxyProtocolServerTests {
    func server() throws -> TestServer {
        try TestServer {
            $0.proxyProtocolPort = 0
            $0.connectionsPerIPPer10s = 2
            $0.connectionPool = 0
            $0.trustedProxies = TrustedProxies([AddressRange("127.0.0.1")!])
        }
    }

    func v1(_ client: String) -> [UInt8] { Array("PROXY TCP4 \(client) 127.0.0.1 40000 443\r\n".utf8) }

    @Test func theHeaderNamesTheClientAndTheAllowanceIsItsOwn() throws {
        let t = try server()
        defer { t.stop() }
        let port = try #require(t.server.proxyProtocolPort)
        #expect(port != t.port)
        for _ in 0..<2 { #expect(try upgrade(port, from: "127.0.0.1", prefix: v1("198.51.100.1"))) }
        #expect(try !upgrade(port, from: "127.0.0.1", prefix: v1("198.51.100.1")))
        // Another client of the same proxy, in a v2 header this time, is not refused with it.
        let v2 = ProxyProtocol.v2Signature + [0x21, 0x11, 0, 12, 198, 51, 100, 2, 127, 0, 0, 1, 0x9C, 0x40, 0x01, 0xBB]
        for _ in 0..<2 { #expect(try upgrade(port, from: "127.0.0.1", prefix: v2)) }
        // The header, not X-Forwarded-For, says who it is.
        #expect(try !upgrade(port, from: "127.0.0.1", headers: ["X-Forwarded-For: 203.0.113.1"], prefix: v1("198.51.100.1")))
        // The proxy's own health check (UNKNOWN) counts as the proxy.
        #expect(try upgrade(port, from: "127.0.0.1", prefix: Array("PROXY UNKNOWN\r\n".utf8)))
    }

    @Test func anUntrustedPeerOrABadHeaderIsClosed() throws {
        let t = try server()
        defer { t.stop() }
        let port = try #require(t.server.proxyProtocolPort)
        #expect(try !upgrade(port, from: "127.0.0.2", prefix: v1("198.51.100.1")))  // not a trusted proxy
        #expect(try !upgrade(port, from: "127.0.0.1"))  // no header: HTTP straight away
        #expect(try !upgrade(port, from: "127.0.0.1", prefix: Array("PROXY TCP4 nonsense\r\n".utf8)))
        // The plain port is unchanged.
        #expect(try upgrade(t.port, from: "127.0.0.3"))
    }

    @Test func auditEntriesHoldTheClientTheHeaderNamed() throws {
        let t = try server()
        defer { t.stop() }
        let port = try #require(t.server.proxyProtocolPort)
        let supervisor = t.token("sv-1", role: "supervisor", name: "Maya", langs: ["id"])
        let answer = try request(
            port, prefix: v1("198.51.100.30"), "GET /api/search?q=visa HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(supervisor)\r\n\r\n")
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        let store = try SQLiteStore(path: t.data.appendingPathComponent("jembatan.sqlite").path)
        var addresses: [String?] = []
        for _ in 0..<100 where addresses.isEmpty {
            addresses = try store.auditAddresses(actor: ParticipantID("sv-1"))
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(addresses == ["198.51.100.30"])
    }
}

/// Sends `prefix` and `text` from 127.0.0.1 and returns the start of the answer.
private func request(_ port: Int, prefix: [UInt8], _ text: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var remote = sockaddr_in()
    remote.sin_family = sa_family_t(AF_INET)
    remote.sin_port = in_port_t(UInt16(port).bigEndian)
    remote.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &remote) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw TestFailure("cannot connect") }
    let bytes = prefix + Array(text.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var answer = [UInt8](repeating: 0, count: 256)
    let got = recv(fd, &answer, answer.count, 0)
    return got > 0 ? String(decoding: answer[..<got], as: UTF8.self) : ""
}
