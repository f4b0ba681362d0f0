import Foundation
import JembatanClient
import JembatanCore
import JembatanStore
import Testing

@testable import JembatanServer

/// Who a request comes from: trusted proxies' headers, forged headers, address ranges.
@Suite struct TrustedProxyParsingTests {
    let proxies = TrustedProxies([AddressRange("10.0.0.0/8")!, AddressRange("::1")!])

    func client(_ peer: String, forwarded: String? = nil, xff: String? = nil) -> String {
        proxies.clientAddress(peer: IPAddress(peer)!, forwarded: forwarded, forwardedFor: xff).description
    }

    @Test func rangesMatchByPrefix() {
        let range = AddressRange("192.168.16.0/20")!
        #expect(range.contains(IPAddress("192.168.31.255")!))
        #expect(!range.contains(IPAddress("192.168.32.0")!))
        #expect(AddressRange("2001:db8::/32")!.contains(IPAddress("2001:db8:ffff::1")!))
        #expect(!AddressRange("2001:db8::/32")!.contains(IPAddress("2001:db9::1")!))
        #expect(AddressRange("0.0.0.0/0")!.contains(IPAddress("203.0.113.9")!))
        #expect(!AddressRange("10.0.0.0/8")!.contains(IPAddress("::ffff:11.0.0.1")!))
        #expect(AddressRange("10.0.0.0/8")!.contains(IPAddress("::ffff:10.0.0.1")!))  // IPv4-mapped
        for bad in ["10.0.0.0/33", "::/129", "10.0.0/8", "example.org", "10.0.0.0/-1", "", "10.0.0.0/"] {
            #expect(AddressRange(bad) == nil, "\(bad)")
        }
    }

    @Test func headersFromAnUntrustedPeerAreIgnored() {
        #expect(client("203.0.113.7", xff: "198.51.100.1") == "203.0.113.7")
        #expect(client("203.0.113.7", forwarded: "for=198.51.100.1") == "203.0.113.7")
    }

    @Test func theRightmostUntrustedHopIsTheClient() {
        #expect(client("10.0.0.2", xff: "198.51.100.1") == "198.51.100.1")
        // A forged entry left of the real one changes nothing.
        #expect(client("10.0.0.2", xff: "6.6.6.6, 198.51.100.1") == "198.51.100.1")
        // Two trusted proxies in a row are skipped.
        #expect(client("10.0.0.2", xff: "6.6.6.6, 198.51.100.1, 10.1.2.3") == "198.51.100.1")
        // Every hop trusted: the leftmost is the nearest to the client that can be seen.
        #expect(client("10.0.0.2", xff: "10.9.9.9, 10.1.2.3") == "10.9.9.9")
        // No header: the proxy itself.
        #expect(client("10.0.0.2") == "10.0.0.2")
    }

    @Test func forwardedWinsAndItsFormsAreRead() {
        #expect(client("10.0.0.2", forwarded: "for=198.51.100.1;proto=https", xff: "6.6.6.6") == "198.51.100.1")
        #expect(client("10.0.0.2", forwarded: #"for="[2001:db8:cafe::17]:4711""#) == "2001:db8:cafe::17")
        #expect(client("10.0.0.2", forwarded: #"for=6.6.6.6, For="198.51.100.1:47011";by=10.0.0.2"#) == "198.51.100.1")
        #expect(client("::1", forwarded: "for=192.0.2.60;proto=http;by=203.0.113.43") == "192.0.2.60")
    }

    @Test func aHopThatIsNoAddressStopsAtTheProxyThatReportedIt() {
        #expect(client("10.0.0.2", forwarded: "for=unknown") == "10.0.0.2")
        #expect(client("10.0.0.2", forwarded: "for=198.51.100.1, for=_hidden") == "10.0.0.2")
        #expect(client("10.0.0.2", xff: "198.51.100.1, garbage, 10.1.1.1") == "10.1.1.1")
    }
}

@Suite struct ConnectionGateTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test func eachAddressHasItsOwnAllowance() {
        var gate = ConnectionGate(perWindow: 3, pool: 0)
        #expect((0..<3).allSatisfy { _ in gate.decide("a", now: start) == .admitted })
        #expect(gate.decide("a", now: start) == .refused)
        #expect(gate.decide("b", now: start) == .admitted)
        // Refilled at 3 per 10 s.
        #expect(gate.decide("a", now: start + 3.4) == .admitted)
        #expect(gate.decide("a", now: start + 3.4) == .refused)
    }

    @Test func aFloodBorrowsAtMostAnEighthOfThePool() {
        var gate = ConnectionGate(perWindow: 2, pool: 80)
        var decisions: [ConnectionGate.Decision] = []
        for _ in 0..<100 { decisions.append(gate.decide("flood", now: start)) }
        #expect(decisions.filter { $0 == .admitted }.count == 2)
        #expect(decisions.filter { $0 == .borrowed }.count == 10)
        // Everyone else keeps their own allowance and can still borrow.
        for peer in 0..<7 {
            #expect(gate.decide("p\(peer)", now: start) == .admitted)
            #expect(gate.decide("p\(peer)", now: start) == .admitted)
            #expect(gate.decide("p\(peer)", now: start) == .borrowed)
        }
    }

    @Test func thePoolRunsOutThenRefills() {
        var gate = ConnectionGate(perWindow: 1, pool: 16)
        var borrowed = 0
        for address in 0..<20 {
            _ = gate.decide("x\(address)", now: start)
            for _ in 0..<3 where gate.decide("x\(address)", now: start) == .borrowed { borrowed += 1 }
        }
        #expect(borrowed == 16)
        #expect(gate.decide("x0", now: start) == .refused)
        #expect(gate.decide("x0", now: start + 10) != .refused)
    }

    @Test func theAddressTableIsBounded() {
        var gate = ConnectionGate(perWindow: 2, pool: 0, maxAddresses: 100)
        for i in 0..<1_000 { _ = gate.admit("10.0.\(i / 256).\(i % 256)", now: start) }
        #expect(gate.addresses <= 100)
        #expect(gate.admit("192.0.2.1", now: start) && gate.admit("192.0.2.1", now: start) && !gate.admit("192.0.2.1", now: start))
    }

    @Test func ipv6IsCountedPerSlash64() {
        let a = BrokerLoop.gateKey(IPAddress("2001:db8:1:2::1")!)
        #expect(a == BrokerLoop.gateKey(IPAddress("2001:db8:1:2:ffff::9")!))
        #expect(a != BrokerLoop.gateKey(IPAddress("2001:db8:1:3::1")!))
        #expect(BrokerLoop.gateKey(IPAddress("::ffff:192.0.2.1")!) == "192.0.2.1")
    }
}

/// The real broker behind a "proxy" on 127.0.0.1: WebSocket upgrades from chosen loopback
/// source addresses, with the headers a proxy (or a forger) sends.
@Suite(.serialized) struct TrustedProxyServerTests {
    func server(trusting ranges: [String] = ["127.0.0.1/32"], perAddress: Int = 2, pool: Int = 0) throws -> TestServer {
        try TestServer {
            $0.connectionsPerIPPer10s = perAddress
            $0.connectionPool = pool
            $0.trustedProxies = TrustedProxies(ranges.compactMap(AddressRange.init))
        }
    }

    @Test func clientsBehindATrustedProxyAreCountedOneByOne() throws {
        let t = try server()
        defer { t.stop() }
        let proxy = "127.0.0.1"
        #expect(try upgrade(t.port, from: proxy, headers: ["X-Forwarded-For: 198.51.100.1"]))
        #expect(try upgrade(t.port, from: proxy, headers: ["X-Forwarded-For: 198.51.100.1"]))
        #expect(try !upgrade(t.port, from: proxy, headers: ["X-Forwarded-For: 198.51.100.1"]))
        // A forged entry in front of the real one changes nothing…
        #expect(try !upgrade(t.port, from: proxy, headers: ["X-Forwarded-For: 6.6.6.6, 198.51.100.1"]))
        // …and the proxy's other clients are not refused with it.
        for _ in 0..<2 { #expect(try upgrade(t.port, from: proxy, headers: ["X-Forwarded-For: 198.51.100.2"])) }
        // RFC 7239's header too: two clients, two each, the third of one refused.
        for client in ["198.51.100.3", #""[2001:db8::1]:4711""#] {
            for _ in 0..<2 { #expect(try upgrade(t.port, from: proxy, headers: ["Forwarded: for=\(client);proto=https"])) }
        }
        #expect(try !upgrade(t.port, from: proxy, headers: [#"Forwarded: for="[2001:db8::1]:4711""#]))
        // Far more than two connections came from 127.0.0.1 itself: the proxy is not limited.
        for n in 0..<5 { #expect(try upgrade(t.port, from: proxy, headers: ["X-Forwarded-For: 203.0.113.\(n)"])) }
    }

    @Test func headersFromAnUntrustedPeerChangeNothing() throws {
        let t = try server()
        defer { t.stop() }
        let stranger = "127.0.0.2"
        #expect(try upgrade(t.port, from: stranger, headers: ["X-Forwarded-For: 198.51.100.7"]))
        #expect(try upgrade(t.port, from: stranger, headers: ["Forwarded: for=198.51.100.8"]))
        // Counted as 127.0.0.2 whatever it claims: the third is refused at accept.
        #expect(try !upgrade(t.port, from: stranger, headers: ["X-Forwarded-For: 198.51.100.9"]))
        #expect(try upgrade(t.port, from: "127.0.0.3", headers: []))
    }

    @Test func auditEntriesHoldTheRealClientsAddress() throws {
        let t = try server()
        defer { t.stop() }
        let (officer, _) = try t.login(t.token("o-1", role: "officer", name: "Ahmad", langs: ["en"]))
        officer.send(json: ["type": "status", "availability": "available"])
        _ = try officer.next("status")
        let (applicant, _) = try t.login(t.token("a-1", role: "applicant", name: "Ana", langs: ["en"]))
        applicant.send(json: ["type": "request", "service": "visa", "language": "en"])
        let session = try #require((try applicant.next("session.started")["session"] as? [String: Any])?["id"] as? String)
        let supervisor = t.token("sv-1", role: "supervisor", name: "Maya", langs: ["id"])
        // Over HTTP through the proxy (a forged hop in front of the real one)…
        let read = try HTTPClient.get(
            port: t.port, path: "/api/sessions/\(session)/transcript",
            headers: ["Authorization": "Bearer \(supervisor)", "X-Forwarded-For": "6.6.6.6, 198.51.100.20"])
        #expect(read.status == 200)
        // …and over a WebSocket through it.
        let watcher = try WebSocketClient.connect(port: t.port, headers: ["X-Forwarded-For": "198.51.100.21"])
        watcher.send(json: ["type": "hello", "token": supervisor])
        _ = try watcher.next("welcome")
        watcher.send(json: ["type": "history", "id": "h", "session": session])
        _ = try watcher.next("history")
        let store = try SQLiteStore(path: t.data.appendingPathComponent("jembatan.sqlite").path)
        var addresses: [String?] = []
        for _ in 0..<100 where addresses.count < 2 {
            addresses = try store.auditAddresses(actor: ParticipantID("sv-1"))
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(addresses == ["198.51.100.20", "198.51.100.21"])
    }

    @Test func aFloodFromOneAddressLeavesTheOthersTheirShare() throws {
        // 2 each, a pool of 16: the flood gets 2 + 2 borrowed, the next address the same.
        let t = try server(trusting: [], perAddress: 2, pool: 16)
        defer { t.stop() }
        var flood = 0
        for _ in 0..<12 where try upgrade(t.port, from: "127.0.0.4", headers: []) { flood += 1 }
        #expect(flood == 4)
        var other = 0
        for _ in 0..<4 where try upgrade(t.port, from: "127.0.0.5", headers: []) { other += 1 }
        #expect(other == 4)
    }
}

/// Opens a TCP connection from `source`, sends `prefix` (a PROXY protocol header) and a
/// WebSocket upgrade with `headers`, and says whether the broker answered 101 (false: refused
/// or closed before answering).
func upgrade(_ port: Int, from source: String, headers: [String] = [], prefix: [UInt8] = []) throws -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var local = sockaddr_in()
    local.sin_family = sa_family_t(AF_INET)
    local.sin_addr.s_addr = inet_addr(source)
    let bound = withUnsafePointer(to: &local) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw TestFailure("cannot bind \(source)") }
    var remote = sockaddr_in()
    remote.sin_family = sa_family_t(AF_INET)
    remote.sin_port = in_port_t(UInt16(port).bigEndian)
    remote.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &remote) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw TestFailure("cannot connect") }
    let request =
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: jembatan.v1\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
    let bytes = prefix + Array(request.utf8)
    guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { return false }
    var answer = [UInt8](repeating: 0, count: 512)
    let got = recv(fd, &answer, answer.count, 0)
    guard got > 12 else { return false }
    return String(decoding: answer[..<got], as: UTF8.self).hasPrefix("HTTP/1.1 101")
}
