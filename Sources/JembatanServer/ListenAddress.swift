/// What to hand libwebsockets so that it binds exactly what `--host` says. With IPv6 on,
/// lws 4.1 binds the wildcard even when given "127.0.0.1"; so an IPv4 address is bound
/// with IPv6 disabled, and an IPv6 address with IPv6 on and V6ONLY set.
struct ListenAddress {
    var interface: String
    var ipv6: Bool

    init(host: String) {
        switch host {
        case "localhost": self.init(interface: "127.0.0.1", ipv6: false)
        case "::", "[::]": self.init(interface: "::", ipv6: true)
        default:
            let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            self.init(interface: bare, ipv6: bare.contains(":"))
        }
    }

    init(interface: String, ipv6: Bool) {
        self.interface = interface
        self.ipv6 = ipv6
    }
}
