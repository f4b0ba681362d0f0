import Foundation
import JembatanClient
import JembatanServer
import Testing

/// `wss://` and `https://` with a self-signed certificate made for the test, checked by
/// independent clients (curl and Python's ssl module).
@Suite(.serialized) struct TLSTests {
    func run(_ tool: String, _ arguments: [String], input: String? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let feed = Pipe()
        process.standardInput = feed
        try process.run()
        if let input { feed.fileHandleForWriting.write(Data(input.utf8)) }
        try feed.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func httpsAndWssWithASelfSignedCertificate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jembatan-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let (made, _) = try run(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                "-days", "1", "-subj", "/CN=localhost",
            ])
        #expect(made == 0)
        let t = try TestServer {
            $0.tlsCertPath = cert
            $0.tlsKeyPath = key
        }
        defer { t.stop() }

        let (status, body) = try run("curl", ["-sk", "--max-time", "5", "https://127.0.0.1:\(t.port)/healthz"])
        #expect(status == 0 && body == "ok\n")
        let (plain, _) = try run("curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(t.port)/healthz"])
        #expect(plain != 0)  // TLS only on this port

        // A WebSocket over TLS: upgrade, hello, welcome.
        let token = t.token("a-1", role: "applicant", name: "Ana", langs: ["en"])
        let script = """
            import json, os, socket, ssl, struct, sys
            ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", \(t.port)), timeout=5))
            s.sendall(b"GET /ws HTTP/1.1\\r\\nHost: x\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
                      b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n")
            head = b""
            while b"\\r\\n\\r\\n" not in head: head += s.recv(1)
            assert b" 101 " in head.split(b"\\r\\n")[0], head
            payload = json.dumps({"type": "hello", "token": sys.stdin.read().strip()}).encode()
            mask = os.urandom(4)
            s.sendall(bytes([0x81, 0x80 | 126]) + struct.pack(">H", len(payload)) + mask
                      + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
            first = s.recv(2); size = first[1] & 0x7F
            if size == 126: size = struct.unpack(">H", s.recv(2))[0]
            data = b""
            while len(data) < size: data += s.recv(size - len(data))
            print(json.loads(data)["type"])
            """
        let (ok, reply) = try run("python3", ["-c", script], input: token)
        #expect(ok == 0 && reply == "welcome\n")

        // JembatanClient's own wss://: refused while the certificate is checked (it is
        // self-signed), accepted when told to take any certificate, from a chosen address.
        #expect(throws: (any Error).self) { _ = try WebSocketClient.connect(port: t.port, transport: Transport(tls: .verified)) }
        let client = try WebSocketClient.connect(port: t.port, transport: Transport(tls: .unverified, sourceAddress: "127.0.0.9"))
        client.send(json: ["type": "hello", "token": token])
        #expect(try client.next("welcome")["type"] as? String == "welcome")
        client.close()
    }
}
