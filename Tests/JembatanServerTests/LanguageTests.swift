import Foundation
import JembatanClient
import JembatanServer
import JembatanText
import Testing

/// Languages over the wire: negotiation, names across scripts, digits, per-reader rendering.
@Suite(.serialized) struct LanguageTests {
    @Test func namesAreCleanedAndCarryALatinFormForStaff() throws {
        let t = try TestServer()
        defer { t.stop() }
        let (budi, _) = try t.login(t.token("c-2", role: "counsellor", name: "Budi", langs: ["zh"]))
        budi.send(json: ["type": "status", "availability": "available"])
        // A right-to-left override and a zero-width space hidden in the token's name.
        let (wei, welcome) = try t.login(t.token("a-18", role: "applicant", name: "王\u{202E}伟\u{200B}", langs: ["zh"]))
        #expect((welcome["participant"] as? [String: Any])?["name"] as? String == "王伟")
        wei.send(json: ["type": "request", "service": "counselling", "language": "zh"])
        let started = try budi.next("session.started")
        let participants = try #require((started["session"] as? [String: Any])?["participants"] as? [[String: Any]])
        let applicant = try #require(participants.first { $0["id"] as? String == "a-18" })
        #expect(applicant["name_latn"] as? String == "wang wei")
        #expect(participants.first { $0["id"] as? String == "c-2" }?["name_latn"] == nil)
    }

    @Test(arguments: [(DigitStyle.native, "١"), (DigitStyle.latin, "1")])
    func arabicQueueTextsUseTheConfiguredDigits(digits: DigitStyle, expected: String) throws {
        let t = try TestServer { $0.digits = digits }
        defer { t.stop() }
        // Eleven people waiting, so the twelfth hears a number.
        var clients: [WebSocketClient] = []
        var last: [String: Any] = [:]
        for index in 1...12 {
            let (client, _) = try t.login(t.token("a-\(index)", role: "applicant", name: "A\(index)", langs: ["ar"]), locale: "ar")
            client.send(json: ["type": "request", "service": "visa", "language": "ar"])
            last = try client.next("queued")
            clients.append(client)
        }
        #expect(last["position"] as? Int == 12)
        #expect((last["text"] as? String)?.contains(expected) == true)
    }

    @Test func acceptLanguageChoosesTheExportLanguageAndDatesFollowTheOfficeZone() throws {
        let t = try TestServer { $0.timeZone = "Asia/Jayapura" }
        defer { t.stop() }
        let officerToken = t.token("o-1", role: "officer", name: "Ahmad", langs: ["id", "ar"])
        let (officer, _) = try t.login(officerToken)
        officer.send(json: ["type": "status", "availability": "available"])
        let (applicant, _) = try t.login(t.token("a-1", role: "applicant", name: "ليلى", langs: ["ar"]))
        applicant.send(json: ["type": "request", "service": "visa", "language": "ar"])
        let session = try #require((try applicant.next("session.started")["session"] as? [String: Any])?["id"] as? String)
        let path = "/api/sessions/\(session)/transcript?format=html"
        let arabic = try HTTPClient.get(
            port: t.port, path: path, headers: ["Authorization": "Bearer \(officerToken)", "Accept-Language": "ar-EG,ar;q=0.9"])
        #expect(arabic.text.contains(#"<html lang="ar" dir="rtl">"#))
        let indonesian = try HTTPClient.get(
            port: t.port, path: path, headers: ["Authorization": "Bearer \(officerToken)", "Accept-Language": "in-ID"])
        #expect(indonesian.text.contains(#"<html lang="id" dir="ltr">"#))
        // The applicant's Arabic name is shown with its Latin form for staff.
        #expect(indonesian.text.contains("<bdi>ليلى</bdi> <span lang=\"en\">["))
        // Times are the office's (WIT, UTC+9), written by ICU for Indonesian.
        let now = LocaleFormatter(locale: "id", timeZone: "Asia/Jayapura").time(Date())
        let hour = String(now.prefix(2))
        #expect(indonesian.text.contains("<time datetime="))
        #expect(indonesian.text.contains(" \(hour)."))
    }

    @Test func staffFindPeopleByTheLatinFormOfTheirNameSortedForTheirLocale() throws {
        let t = try TestServer()
        defer { t.stop() }
        let budiToken = t.token("c-2", role: "counsellor", name: "Budi", langs: ["zh"], capacity: 5)
        let (budi, _) = try t.login(budiToken)
        budi.send(json: ["type": "status", "availability": "available"])
        for (sub, name) in [("a-1", "王伟"), ("a-2", "李娜"), ("a-3", "张伟")] {
            let (client, _) = try t.login(t.token(sub, role: "applicant", name: name, langs: ["zh"]))
            client.send(json: ["type": "request", "service": "counselling", "language": "zh"])
            _ = try client.next("session.started")
        }
        func people(_ query: String, token: String, locale: String = "zh") throws -> (Int, [String]) {
            let response = try HTTPClient.get(
                port: t.port, path: "/api/people?q=\(query)&locale=\(locale)", headers: ["Authorization": "Bearer \(token)"])
            let body = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            let names = (body?["people"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            return (response.status, names)
        }
        #expect(try people("wang", token: budiToken) == (200, ["王伟"]))
        #expect(try people("wei", token: budiToken) == (200, ["王伟", "张伟"]))
        // Mandarin collation: Han names by pinyin (Li, Wang, Zhang), then Latin script.
        #expect(try people("", token: budiToken) == (200, ["李娜", "王伟", "张伟", "Budi"]))
        let applicant = t.token("a-1", role: "applicant", name: "王伟", langs: ["zh"])
        #expect(try people("li", token: applicant).0 == 403)
    }
}
