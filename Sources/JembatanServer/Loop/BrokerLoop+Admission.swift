import CWebSockets
import Foundation

/// Who a connection comes from, and whether it may come in (``ConnectionGate``).
///
/// A direct client is admitted by its socket's address as soon as it is accepted, before any
/// handshake. A trusted proxy's connections pass that point, and each is admitted by its real
/// client's address once the request's headers say who that is (WebSocket upgrades; the
/// proxy limits plain HTTP requests itself, see `deploy/nginx/jembatan.conf`). On the PROXY
/// protocol port, the header names the client (`BrokerLoop+ProxyProtocol.swift`).
extension BrokerLoop {
    func admitAccepted(fd: Int32) -> Bool {
        if fd == proxied.adopting { return true }  // admitted when its PROXY header was read
        proxied.clients[fd] = nil
        guard let text = peerAddress(fd), let peer = IPAddress(text) else { return true }
        if configuration.trustedProxies.trusts(peer) { return true }
        return admit(peer)
    }

    func admitUpgrade(_ wsi: OpaquePointer) -> Bool {
        if proxied.clients[lws_get_socket_fd(wsi)] != nil { return true }  // admitted by its PROXY header
        guard let peer = socketPeer(wsi), configuration.trustedProxies.trusts(peer) else { return true }
        return admit(clientAddress(wsi, peer: peer))
    }

    /// The real client's address: the socket's peer, or what a trusted proxy says of it.
    func clientAddress(_ wsi: OpaquePointer) -> IPAddress? {
        if let client = proxied.clients[lws_get_socket_fd(wsi)] { return client }
        return socketPeer(wsi).map { clientAddress(wsi, peer: $0) }
    }

    func clientAddressText(_ wsi: OpaquePointer) -> String? { clientAddress(wsi)?.description }

    private func clientAddress(_ wsi: OpaquePointer, peer: IPAddress) -> IPAddress {
        let proxies = configuration.trustedProxies
        guard proxies.trusts(peer) else { return peer }
        return proxies.clientAddress(
            peer: peer, forwarded: header(wsi, named: "forwarded:"), forwardedFor: header(wsi, WSI_TOKEN_X_FORWARDED_FOR))
    }

    private func socketPeer(_ wsi: OpaquePointer) -> IPAddress? {
        let fd = lws_get_socket_fd(wsi)
        guard fd >= 0, let text = peerAddress(fd) else { return nil }
        return IPAddress(text)
    }

    func admit(_ client: IPAddress) -> Bool {
        switch gate.decide(Self.gateKey(client), now: Date()) {
        case .admitted:
            return true
        case .borrowed:
            metrics.connectionsBorrowed.increment()
            return true
        case .refused:
            metrics.error("connection_refused")
            noteRefusal(client)
            return false
        }
    }

    /// IPv6 clients are counted by their /64: one subscriber is handed a whole /64, and
    /// would otherwise have a fresh allowance at every address of it.
    static func gateKey(_ address: IPAddress) -> String {
        guard !address.isIPv4 else { return address.description }
        return address.bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: ".") + "/64"
    }

    /// One log line per refused address per minute, with the real client's address.
    private func noteRefusal(_ client: IPAddress) {
        let now = Date()
        if let last = refusalsLogged[client], now.timeIntervalSince(last) < 60 { return }
        if refusalsLogged.count >= 1_000 { refusalsLogged = [:] }
        refusalsLogged[client] = now
        logger.notice("new connections refused: address past its allowance", metadata: ["client.address": "\(client)"])
    }

    private func header(_ wsi: OpaquePointer, named name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 2048)
        guard cws_custom_header(wsi, name, &buffer, Int32(buffer.count)) >= 0 else { return nil }
        return String(cBuffer: buffer)
    }
}
