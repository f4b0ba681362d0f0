import Foundation
import JembatanClient
import JembatanServer
import Testing

/// Every HTTP endpoint as every kind of caller: the table is the specification (status codes).
@Suite(.serialized) struct HTTPIsolationTests {
    @Test func everyEndpointAsEveryCaller() throws {
        let t = try TestServer { $0.connectionsPerIPPer10s = 0 }  // ~80 requests from one address
        defer { t.stop() }
        let (ahmad, _) = try t.login(t.token("o-1", role: "officer", name: "Ahmad", langs: ["ar"]))
        ahmad.send(json: ["type": "status", "availability": "available"])
        let (layla, _) = try t.login(t.token("a-17", role: "applicant", name: "Layla", langs: ["ar"]))
        layla.send(json: ["type": "request", "service": "visa", "language": "ar"])
        let session = try #require((try layla.next("session.started")["session"] as? [String: Any])?["id"] as? String)

        let callers: [(String, String?)] = [
            ("applicantIn", t.token("a-17", role: "applicant", name: "Layla", langs: ["ar"])),
            ("applicantOut", t.token("a-18", role: "applicant", name: "Wei", langs: ["zh"])),
            ("staffIn", t.token("o-1", role: "officer", name: "Ahmad", langs: ["ar"])),
            ("staffOut", t.token("o-2", role: "officer", name: "Dewi", langs: ["en"])),
            ("interpreterOut", t.token("i-1", role: "interpreter", name: "Rania", langs: ["ar", "id"])),
            ("supervisor", t.token("sv-1", role: "supervisor", name: "Maya", langs: ["id"])),
            ("system", t.token("portal", role: "system", name: "Portal", langs: ["en"])),
            ("nobody", nil),
        ]
        let tomorrow = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86400))
        let interview = #"{"applicant":"a-18","at":"\#(tomorrow)","languages":["ar","id"]}"#
        let notification =
            #"{"id":"n-1","applicant":"a-17","key":"application.status_changed","args":{"reference":"R","status":"approved"}}"#
        // endpoint, method, body, expected status per caller (in `callers` order)
        let table: [(String, String, String?, [Int])] = [
            ("/healthz", "GET", nil, [200, 200, 200, 200, 200, 200, 200, 200]),
            ("/metrics", "GET", nil, [200, 200, 200, 200, 200, 200, 200, 200]),
            ("/api/sessions/\(session)/transcript", "GET", nil, [200, 403, 200, 403, 403, 200, 403, 401]),
            ("/api/search?q=hello", "GET", nil, [200, 200, 200, 200, 200, 200, 403, 401]),
            ("/api/people?q=a", "GET", nil, [403, 403, 200, 200, 200, 200, 403, 401]),
            ("/api/queues", "GET", nil, [403, 403, 403, 403, 403, 200, 403, 401]),
            ("/api/stats", "GET", nil, [403, 403, 403, 403, 403, 200, 403, 401]),
            // Staff get past the door; there is no interpreter for the pair yet (409).
            ("/api/interviews", "POST", interview, [403, 403, 409, 409, 403, 403, 403, 401]),
            ("/api/notifications", "POST", notification, [403, 403, 403, 403, 403, 403, 201, 401]),
        ]
        for (path, method, body, expected) in table {
            for ((caller, token), status) in zip(callers, expected) {
                var headers: [String: String] = [:]
                if let token { headers["Authorization"] = "Bearer \(token)" }
                let response = try HTTPClient.request(
                    method: method, port: t.port, path: path, headers: headers, body: body.map { Array($0.utf8) })
                #expect(response.status == status, "\(method) \(path) as \(caller): \(response.status)")
            }
        }
    }
}
