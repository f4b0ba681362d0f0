/// Reads one HTTP/1.1 response from a socket: status line, headers, and a body framed by
/// Content-Length, chunked transfer coding, or the end of the connection.
struct HTTPResponseReader: ~Copyable {
    private let socket: HTTPSocket
    private var buffer: [UInt8] = []
    private var position = 0

    /// Headers beyond this are refused: a test server gone wrong should not eat memory.
    private static let maximumHeaderBytes = 64 * 1024

    init(socket: consuming HTTPSocket) {
        self.socket = socket
    }

    /// The response to a request made with `method`.
    mutating func readResponse(method: String) throws -> HTTPResponse {
        var (status, headers) = try readHead()
        // 1xx interim responses (e.g. 100 Continue) precede the real one.
        while (100..<200).contains(status) && status != 101 {
            (status, headers) = try readHead()
        }
        let body: [UInt8]
        if method == "HEAD" || status == 204 || status == 304 || (100..<200).contains(status) {
            body = []
        } else if let coding = headers["transfer-encoding"], coding.lowercased().contains("chunked") {
            body = try readChunked()
        } else if let length = headers["content-length"] {
            guard let count = Int(length.trimmingSpaces), count >= 0 else {
                throw ClientError.invalidResponse("bad content-length")
            }
            body = try take(count)
        } else {
            body = try readToEnd()
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private mutating func readHead() throws -> (Int, [String: String]) {
        let statusLine = String(decoding: try line(), as: UTF8.self)
        // "HTTP/1.1 200 OK": the code is the second field.
        let fields = statusLine.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/"), let status = Int(fields[1]) else {
            throw ClientError.invalidResponse("bad status line")
        }
        var headers: [String: String] = [:]
        var headerBytes = 0
        while true {
            let raw = try line()
            if raw.isEmpty { break }
            headerBytes += raw.count
            guard headerBytes <= Self.maximumHeaderBytes else {
                throw ClientError.invalidResponse("headers too large")
            }
            let text = String(decoding: raw, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":") else {
                throw ClientError.invalidResponse("bad header line")
            }
            let name = text[..<colon].lowercased()
            let value = String(text[text.index(after: colon)...]).trimmingSpaces
            // Repeated headers combine with ", " (RFC 9110 §5.3).
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        return (status, headers)
    }

    private mutating func readChunked() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = String(decoding: try line(), as: UTF8.self)
            // Chunk extensions (";name=value") are allowed and ignored.
            let hex = sizeLine.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(hex.trimmingSpaces, radix: 16), size >= 0 else {
                throw ClientError.invalidResponse("bad chunk size")
            }
            if size == 0 { break }
            body += try take(size)
            guard try line().isEmpty else { throw ClientError.invalidResponse("bad chunk end") }
        }
        // Trailer fields until the empty line; ignored.
        while try !line().isEmpty {}
        return body
    }

    /// The next line without its CRLF (a bare LF is accepted too).
    private mutating func line() throws -> [UInt8] {
        var scanned = position
        while true {
            if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > position && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let result = Array(buffer[position..<end])
                position = newline + 1
                return result
            }
            scanned = buffer.count
            guard buffer.count - position <= Self.maximumHeaderBytes else {
                throw ClientError.invalidResponse("line too long")
            }
            guard try fill() else { throw ClientError.invalidResponse("connection closed early") }
        }
    }

    private mutating func take(_ count: Int) throws -> [UInt8] {
        while buffer.count - position < count {
            guard try fill() else { throw ClientError.invalidResponse("body shorter than announced") }
        }
        defer { position += count }
        return Array(buffer[position..<position + count])
    }

    private mutating func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { position = buffer.count }
        return Array(buffer[position...])
    }

    /// Reads more bytes; false at end of stream.
    private mutating func fill() throws -> Bool {
        if position > 0 && position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        let more = try socket.read()
        buffer += more
        return !more.isEmpty
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
