/// An HTTP response as ``HTTPClient`` read it.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// Header fields by lowercased name; repeated fields joined with ", ".
    public var headers: [String: String]
    /// The body, de-chunked.
    public var body: [UInt8]
    /// The body decoded as UTF-8 (invalid sequences repaired with U+FFFD).
    public var text: String { String(decoding: body, as: UTF8.self) }

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A minimal blocking HTTP/1.1 client over plain sockets, for tests and tools: one request
/// per connection (`Connection: close`), no TLS, no redirects.
public enum HTTPClient {
    /// `GET path`. The whole exchange (connect, send, read) shares one `timeout`.
    public static func get(
        host: String = "127.0.0.1", port: Int, path: String, headers: [String: String] = [:],
        timeout: Duration = .seconds(5)
    ) throws -> HTTPResponse {
        try request(method: "GET", host: host, port: port, path: path, headers: headers, body: nil, timeout: timeout)
    }

    /// `POST path` with `body` (Content-Length is set; pass Content-Type in `headers`).
    public static func post(
        host: String = "127.0.0.1", port: Int, path: String, headers: [String: String] = [:],
        body: [UInt8], timeout: Duration = .seconds(5)
    ) throws -> HTTPResponse {
        try request(method: "POST", host: host, port: port, path: path, headers: headers, body: body, timeout: timeout)
    }

    /// Any method; `body` nil sends no Content-Length.
    public static func request(
        method: String, host: String = "127.0.0.1", port: Int, path: String,
        headers: [String: String] = [:], body: [UInt8]?, timeout: Duration = .seconds(5)
    ) throws -> HTTPResponse {
        let limit = deadline(after: timeout)
        let socket = try HTTPSocket(host: host, port: port, deadline: limit)
        var head = "\(method) \(path) HTTP/1.1\r\n"
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var fields: [(String, String)] = [("Host", authority), ("Connection", "close")]
        if let body { fields.append(("Content-Length", String(body.count))) }
        let overridden = Set(headers.keys.map { $0.lowercased() })
        fields.removeAll { overridden.contains($0.0.lowercased()) }
        fields += headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (name, value) in fields {
            // A CR or LF in a field would smuggle a second header or request.
            guard !name.contains(where: \.isNewline), !value.contains(where: \.isNewline) else {
                preconditionFailure("header field contains a line break")
            }
            head += "\(name): \(value)\r\n"
        }
        head += "\r\n"
        try socket.writeAll(Array(head.utf8) + (body ?? []))
        var reader = HTTPResponseReader(socket: socket)
        return try reader.readResponse(method: method)
    }
}
