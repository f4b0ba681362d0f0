import CProxyListener
import CWebSockets
import Foundation

/// Connections on `--proxy-protocol-port`: from a trusted proxy only, each starting with a
/// PROXY protocol header that names the client. The header is read here (never past its
/// end), the client admitted by its address (``ConnectionGate``), and the socket then handed
/// to libwebsockets as if its own listener had accepted it: TLS, HTTP and WebSocket as usual.
struct ProxiedConnections {
    var listener: OpaquePointer?
    var port: Int?
    /// Header bytes read so far, per socket still being read.
    var partial: [Int32: [UInt8]] = [:]
    /// The client of each adopted socket. An entry is replaced when its descriptor number
    /// comes back through either listener, so a stale one is never read.
    var clients: [Int32: IPAddress] = [:]
    /// The socket being adopted right now (libwebsockets' accept filter lets it pass).
    var adopting: Int32?
}

private let proxyReadable: cpl_readable_cb = { user, fd in
    Unmanaged<BrokerLoop>.fromOpaque(user!).takeUnretainedValue().readProxyHeader(fd)
}

private let proxyReady: cpl_ready_cb = { user, fd in
    Unmanaged<BrokerLoop>.fromOpaque(user!).takeUnretainedValue().adoptProxied(fd)
}

private let proxyDropped: cpl_dropped_cb = { user, fd in
    let loop = Unmanaged<BrokerLoop>.fromOpaque(user!).takeUnretainedValue()
    loop.proxied.partial[fd] = nil
    loop.proxied.clients[fd] = nil
}

extension BrokerLoop {
    /// Seconds a proxy has to send the whole header.
    static let proxyHeaderTimeoutMilliseconds: Int32 = 5_000

    /// Opens the PROXY protocol listener when configured; false when it cannot listen.
    func startProxyListener() -> Bool {
        guard let port = configuration.proxyProtocolPort else { return true }
        guard let uvLoop else { return false }
        let user = Unmanaged.passUnretained(self).toOpaque()
        let host = ListenAddress(host: configuration.host).interface
        guard
            let listener = cpl_listen(
                uvLoop, host, Int32(port), Self.proxyHeaderTimeoutMilliseconds, proxyReadable, proxyReady, proxyDropped, user)
        else { return false }
        proxied.listener = listener
        proxied.port = Int(cpl_port(listener))
        return true
    }

    func stopProxyListener() {
        if let listener = proxied.listener { cpl_close(listener) }
        proxied.listener = nil
    }

    /// 0: more to come; 1: read, the client admitted; -1: refused (the socket is closed).
    func readProxyHeader(_ fd: Int32) -> Int32 {
        guard !shuttingDown, let text = peerAddress(fd), let peer = IPAddress(text), configuration.trustedProxies.trusts(peer) else {
            metrics.error("proxy_protocol_refused")
            return -1
        }
        let have = proxied.partial[fd] ?? []
        var peeked = [UInt8](repeating: 0, count: ProxyProtocol.maxLength - have.count)
        let count = recv(fd, &peeked, peeked.count, Int32(MSG_PEEK))
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return 0 }
        guard count > 0 else { return -1 }
        let bytes = have + peeked[..<count]
        switch ProxyProtocol.parse(bytes) {
        case .invalid:
            metrics.error("proxy_protocol_invalid")
            return -1
        case .incomplete:
            // Everything so far is header: taking it cannot read past the end.
            guard bytes.count < ProxyProtocol.maxLength, consume(fd, count) else { return -1 }
            proxied.partial[fd] = bytes
            return 0
        case .complete(let length, let client):
            guard consume(fd, length - have.count) else { return -1 }
            proxied.partial[fd] = nil
            let address = client ?? peer  // the proxy's own connection (a health check)
            guard admit(address) else { return -1 }
            proxied.clients[fd] = address
            return 1
        }
    }

    /// The header is read and the listener has let go of `fd`: libwebsockets takes it.
    func adoptProxied(_ fd: Int32) {
        guard let context, !shuttingDown else {
            close(fd)
            proxied.clients[fd] = nil
            return
        }
        proxied.adopting = fd
        let wsi = lws_adopt_socket(context, fd)
        proxied.adopting = nil
        if wsi == nil { proxied.clients[fd] = nil }  // lws closed it
        flushStoreJobs()
        flushWrites()
    }

    /// Reads and drops exactly `count` bytes (already known to be there).
    private func consume(_ fd: Int32, _ count: Int) -> Bool {
        guard count > 0 else { return true }
        var sink = [UInt8](repeating: 0, count: count)
        return recv(fd, &sink, count, 0) == count
    }
}
