import Foundation
import JembatanClient
import JembatanServer
import Testing

/// The pages, their strings and the demo login, over HTTP on the broker's port. The pages'
/// behaviour in a browser is `Tests/Browser/pages_test.py` (run by `Scripts/test`).
@Suite(.serialized) struct WebPagesTests {
    private func server(demo: Bool) throws -> TestServer {
        try TestServer {
            $0.webDirectory = packageRoot.appendingPathComponent("Web").path
            $0.demoLogin = demo
        }
    }

    @Test func pagesAreServedWithAStrictSecurityPolicy() throws {
        let broker = try server(demo: false)
        defer { broker.stop() }
        for (path, marker) in [
            ("/", "applicant.js"), ("/staff", "staff.js"), ("/interpreter", "staff.js"), ("/supervisor", "supervisor.js"),
        ] {
            let page = try HTTPClient.get(port: broker.port, path: path)
            #expect(page.status == 200, "\(path)")
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.text.contains(marker), "\(path) loads \(marker)")
            let policy = page.headers["content-security-policy"] ?? ""
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"), "\(path): \(policy)")
        }
        let script = try HTTPClient.get(port: broker.port, path: "/web/js/link.js")
        #expect(script.status == 200)
        #expect(script.headers["content-type"] == "text/javascript; charset=utf-8")
        #expect(script.headers["content-security-policy"] == nil)
        #expect(try HTTPClient.get(port: broker.port, path: "/web/css/jembatan.css").headers["content-type"] == "text/css; charset=utf-8")
        // Only files read from the folder at start; no way out of it.
        #expect(try HTTPClient.get(port: broker.port, path: "/web/../Package.swift").status == 404)
        #expect(try HTTPClient.get(port: broker.port, path: "/web/js/missing.js").status == 404)
    }

    @Test func pageStringsComeFromTheLocalesWithTheirDirection() throws {
        let broker = try server(demo: false)
        defer { broker.stop() }
        let arabic = try json(HTTPClient.get(port: broker.port, path: "/locales/ar-EG.json"))
        #expect(arabic["locale"] as? String == "ar")
        #expect(arabic["dir"] as? String == "rtl")
        #expect(arabic["digits"] as? String == "٠١٢٣٤٥٦٧٨٩", "the broker's own digits for Arabic")
        let strings = arabic["strings"] as? [String: String] ?? [:]
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: packageRoot.appendingPathComponent("Locales/ar.json")))
        #expect(strings["ui.message.send"] == (file as? [String: Any])?["ui.message.send"] as? String)
        #expect(strings["service.counselling"] != nil && strings["role.interpreter"] != nil)
        #expect(strings.keys.allSatisfy { !$0.hasPrefix("queue.") }, "only what the pages format themselves")
        let languages = (arabic["languages"] as? [[String: String]] ?? []).compactMap { $0["tag"] }
        #expect(languages == ["ar", "en", "id", "zh"])
        let chinese = try json(HTTPClient.get(port: broker.port, path: "/locales/zh-Hans-CN.json"))
        #expect(chinese["locale"] as? String == "zh" && chinese["dir"] as? String == "ltr")
        #expect(chinese["digits"] as? String == "0123456789")
        #expect(try json(HTTPClient.get(port: broker.port, path: "/locales/xx.json"))["locale"] as? String == "en")
    }

    @Test func theDemoLoginIsRefusedUnlessTurnedOn() throws {
        let broker = try server(demo: false)
        defer { broker.stop() }
        #expect(try HTTPClient.get(port: broker.port, path: "/api/demo").status == 404)
        let refused = try demoToken(broker, ["role": "supervisor", "name": "Eve", "langs": ["en"]])
        #expect(refused.status == 404)
        #expect(!refused.text.contains("token\""))
    }

    @Test func theDemoLoginHandsOutWorkingTokensAndChecksItsForm() throws {
        let broker = try server(demo: true)
        defer { broker.stop() }
        #expect(try HTTPClient.get(port: broker.port, path: "/api/demo").status == 200)
        let issued = try demoToken(broker, ["role": "counsellor", "name": "Siti", "langs": ["id", "ar"], "locale": "id"])
        #expect(issued.status == 201)
        let token = try #require(try json(issued)["token"] as? String)
        let (client, welcome) = try broker.login(token)
        defer { client.close() }
        let participant = welcome["participant"] as? [String: Any] ?? [:]
        #expect(participant["role"] as? String == "counsellor")
        #expect(participant["langs"] as? [String] == ["id", "ar"])
        #expect(welcome["locale"] as? String == "id")
        for bad in [
            ["role": "system", "name": "x", "langs": ["en"]], ["role": "wizard", "name": "x", "langs": ["en"]],
            ["role": "applicant", "name": "", "langs": ["en"]], ["role": "applicant", "name": "x", "langs": [String]()],
            ["role": "applicant", "name": "x", "langs": ["not a tag"]],
        ] as [[String: Any]] {
            #expect(try demoToken(broker, bad).status == 400, "\(bad)")
        }
    }

    private func demoToken(_ broker: TestServer, _ body: [String: Any]) throws -> HTTPResponse {
        try HTTPClient.post(
            port: broker.port, path: "/api/demo/token", headers: ["Content-Type": "application/json"],
            body: Array(try JSONSerialization.data(withJSONObject: body)))
    }

    private func json(_ response: HTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }
}
