import Testing

@testable import JembatanClient

@Suite struct HTTPClientTests {
    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let server = try CannedHTTPServer(
            response: "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nx-a: 2\r\n\r\n"
                + "5;note=x\r\nhello\r\n7\r\n, dunia\r\n0\r\nTrailer: t\r\n\r\n")
        let response = try HTTPClient.post(
            port: server.port, path: "/api/x", headers: ["Content-Type": "application/json"],
            body: Array(#"{"a":1}"#.utf8))
        #expect(response.status == 201)
        #expect(response.text == "hello, dunia")
        #expect(response.headers["x-a"] == "1, 2")
        let request = server.receivedRequest()
        #expect(request.hasPrefix("POST /api/x HTTP/1.1\r\n"))
        #expect(request.contains("Content-Length: 7\r\n"))
        #expect(request.contains("Connection: close\r\n"))
        #expect(request.hasSuffix("\r\n\r\n{\"a\":1}"))
    }

    @Test func contentLengthBodyStopsAtLength() throws {
        // The server sends more bytes than announced; only the announced ones are the body.
        let server = try CannedHTTPServer(
            response: "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabcEXTRA")
        let response = try HTTPClient.get(port: server.port, path: "/missing", headers: ["Accept-Language": "id"])
        #expect(response.status == 404)
        #expect(response.text == "abc")
        #expect(server.receivedRequest().contains("Accept-Language: id\r\n"))
    }

    @Test func bodyUntilEndOfStream() throws {
        let server = try CannedHTTPServer(response: "HTTP/1.0 200 OK\r\n\r\n简体中文")
        let response = try HTTPClient.get(port: server.port, path: "/")
        #expect(response.text == "简体中文")
    }

    @Test func truncatedBodyIsAnError() throws {
        let server = try CannedHTTPServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        #expect(throws: ClientError.invalidResponse) { try HTTPClient.get(port: server.port, path: "/") }
    }

    @Test func refusedConnectionFails() throws {
        let port = try unusedPort()
        #expect(throws: ClientError.connectFailed) { try HTTPClient.get(port: port, path: "/") }
    }
}
