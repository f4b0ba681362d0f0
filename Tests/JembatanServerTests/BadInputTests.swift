import Foundation
import JembatanClient
import Testing

@testable import JembatanServer

/// Hostile or broken input gets the documented answer and disturbs nobody else.
@Suite(.serialized) struct BadInputTests {
    @Test func aBadTokenIsUnauthorizedThenClosed4401() throws {
        let t = try TestServer()
        defer { t.stop() }
        let client = try t.connect()
        client.send(json: ["type": "hello", "id": "1", "token": "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])
        let error = try client.next("error")
        #expect(error["code"] as? String == "unauthorized")
        #expect(try client.closeCode() == 4401)
    }

    @Test func anExpiredTokenIsRefused() throws {
        let t = try TestServer()
        defer { t.stop() }
        let client = try t.connect()
        // Expired a minute ago: past the 30 s clock skew.
        client.send(json: ["type": "hello", "token": t.token("a-1", role: "applicant", name: "A", langs: ["en"], expiresIn: -60)])
        #expect(try client.next("error")["code"] as? String == "unauthorized")
        #expect(try client.closeCode() == 4401)
    }

    @Test func aFrameBeforeHelloCloses4401() throws {
        let t = try TestServer()
        defer { t.stop() }
        let client = try t.connect()
        client.send(json: ["type": "request", "service": "visa", "language": "en"])
        #expect(try client.closeCode() == 4401)
    }

    @Test func malformedFramesGetErrorsAndTheConnectionLives() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (client, _) = try t.login(t.token("a-1", role: "applicant", name: "A", langs: ["en"]))
        client.send(text: "{not json")
        #expect(try client.next("error")["code"] as? String == "bad_request")
        client.send(text: "[1,2,3]")
        #expect(try client.next("error")["code"] as? String == "bad_request")
        client.send(json: ["type": "teleport", "id": "t"])
        let unknown = try client.next("error")
        #expect(unknown["code"] as? String == "bad_request")
        #expect(unknown["re"] as? String == "t")
        client.send(binary: [1, 2, 3])
        #expect(try client.next("error")["code"] as? String == "bad_request")
        // Still served:
        client.send(json: ["type": "request", "id": "ok", "service": "visa", "language": "en"])
        #expect(try client.next("queued")["re"] as? String == "ok")
    }

    @Test func invalidUTF8Closes1007() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (client, _) = try t.login(t.token("a-1", role: "applicant", name: "A", langs: ["en"]))
        client.send(rawTextBytes: [0x7B, 0xC3, 0x28, 0x7D])
        #expect(try client.closeCode() == 1007)
    }

    @Test func anOversizedMessageCloses1009() throws {
        let t = try TestServer { $0.maxMessageBytes = 16 * 1024 }
        defer { t.stop() }
        let (client, _) = try t.login(t.token("a-1", role: "applicant", name: "A", langs: ["en"]))
        client.send(text: #"{"type":"note","text":""# + String(repeating: "x", count: 40 * 1024) + #""}"#)
        #expect(try client.closeCode() == 1009)
    }

    @Test func anUnknownPathOrProtocolIsRefusedButHealthzAnswers() throws {
        let t = try TestServer()
        defer { t.stop() }
        #expect(throws: (any Error).self) { _ = try WebSocketClient.connect(port: t.port, path: "/elsewhere") }
        #expect(throws: (any Error).self) { _ = try WebSocketClient.connect(port: t.port, subprotocol: "mqtt") }
        let client = try WebSocketClient.connect(port: t.port, subprotocol: nil)
        client.send(json: ["type": "hello", "token": t.token("a-1", role: "applicant", name: "A", langs: ["en"])])
        #expect(try client.next("welcome")["locale"] as? String == "en")
        let health = try HTTPClient.get(port: t.port, path: "/healthz")
        #expect(health.status == 200)
        #expect(try HTTPClient.get(port: t.port, path: "/nope").status == 404)
    }
}

@Suite struct HelloDeadlineTests {
    @Test func noHelloInTimeCloses4401() throws {
        let t = try TestServer { $0.helloTimeoutSeconds = 1 }
        defer { t.stop() }
        let silent = try t.connect()
        let (talker, _) = try t.login(t.token("a-1", role: "applicant", name: "A", langs: ["en"]))
        #expect(try silent.closeCode(timeout: .seconds(5)) == 4401)
        // The authenticated connection is still served after the deadline passed.
        talker.send(json: ["type": "request", "id": "r", "service": "visa", "language": "en"])
        #expect(try talker.next("queued")["re"] as? String == "r")
    }
}

@Suite(.serialized) struct ConnectionLimitTests {
    @Test func newConnectionsPerAddressAreBounded() throws {
        let t = try TestServer {
            $0.connectionsPerIPPer10s = 5
            $0.connectionPool = 0
        }
        defer { t.stop() }
        var open: [WebSocketClient] = []
        for _ in 0..<5 { open.append(try t.connect()) }
        #expect(throws: (any Error).self) { _ = try t.connect() }
        // Those already in are served as usual.
        open[0].send(json: ["type": "hello", "token": t.token("a-1", role: "applicant", name: "A", langs: ["en"])])
        #expect(try open[0].next("welcome")["type"] as? String == "welcome")
    }
}
