import ArgumentParser
import Foundation
import JembatanClient
import JembatanServer

/// A scripted Arabic counselling conversation against a running broker, for the README's
/// tour: a counsellor goes available, an applicant asks for help in Arabic, they talk,
/// the counsellor closes, and the transcript is printed.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a short Arabic chat between an applicant and a counsellor against a running broker.")

    @Option(help: "The broker's port (on 127.0.0.1).")
    var port = 8080

    @OptionGroup var data: DataOptions

    func run() throws {
        let secret = try SecretFile.resolve(explicit: data.resolvedSecret, dataDirectory: data.data)
        let tokens = HS256Tokens(secret: secret)
        let exp = Int(Date().timeIntervalSince1970) + 600
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let counsellorToken = tokens.sign(
            TokenClaims(
                sub: "c-demo-\(suffix)", role: "counsellor", name: "Siti", langs: ["id", "en", "ar"], locale: "id", capacity: 3, exp: exp))
        let applicantToken = tokens.sign(
            TokenClaims(sub: "a-demo-\(suffix)", role: "applicant", name: "ليلى", langs: ["ar", "en"], locale: "ar", exp: exp))

        let siti = try hello(counsellorToken)
        siti.send(json: ["type": "status", "availability": "available"])
        let layla = try hello(applicantToken)
        layla.send(json: ["type": "request", "service": "counselling", "language": "ar", "note": "تمديد الإقامة"])
        print("applicant ← queued: \(try next(layla, "queued")["text"] as? String ?? "")")
        let session = (try next(layla, "session.started")["session"] as? [String: Any])?["id"] as? String ?? ""
        print("session \(session) started")
        let lines: [(WebSocketClient, String)] = [
            (layla, "مرحبا، أحتاج إلى تمديد تصريح إقامتي."),
            (siti, "أهلاً بك. يرجى تجهيز جواز السفر وخطاب الكفيل."),
            (layla, "شكراً جزيلاً!"),
        ]
        for (index, (client, text)) in lines.enumerated() {
            client.send(json: ["type": "send", "session": session, "client_msg_id": "demo-\(suffix)-\(index)", "text": text])
            let ack = try next(client, "ack")
            print("seq \(ack["seq"] as? Int ?? 0) stored: \(text)")
        }
        siti.send(json: ["type": "close", "session": session, "reason": "resolved"])
        print("applicant ← \(try next(layla, "session.closed")["text"] as? String ?? "")")
        let transcript = try HTTPClient.get(
            port: port, path: "/api/sessions/\(session)/transcript?format=text", headers: ["Authorization": "Bearer \(applicantToken)"])
        print("\nGET /api/sessions/\(session)/transcript?format=text → \(transcript.status)\n")
        print(transcript.text)
        siti.close()
        layla.close()
    }

    private func hello(_ token: String) throws -> WebSocketClient {
        let client = try WebSocketClient.connect(port: port)
        client.send(json: ["type": "hello", "token": token])
        _ = try next(client, "welcome")
        return client
    }

    private func next(_ client: WebSocketClient, _ type: String) throws -> [String: Any] {
        while true {
            let frame = try client.receiveJSON(timeout: .seconds(5))
            if frame["type"] as? String == type { return frame }
            if frame["type"] as? String == "error" { throw ValidationError("the broker answered \(frame["code"] ?? "an error")") }
        }
    }
}
