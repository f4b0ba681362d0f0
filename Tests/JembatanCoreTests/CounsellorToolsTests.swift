import Foundation
import JembatanText
import Testing

@testable import JembatanCore

/// Reply templates in each reader's language, private notes, outcomes, the staff session list.
@Suite struct CounsellorToolsTests {
    /// Layla (Arabic UI) with Siti (counsellor, Indonesian UI) in a counselling session.
    func session(_ h: inout Harness) throws -> (layla: ConnectionID, siti: ConnectionID, session: String) {
        let siti = h.login("c-1", locale: "id")
        _ = h.send(siti, ["type": "status", "availability": "available"])
        let layla = h.login("a-17", locale: "ar")
        let actions = h.send(layla, ["type": "request", "service": "counselling", "language": "ar"])
        let session = try #require(actions.frames(to: layla, type: "session.started").first?["session"]?.objectValue?["id"]?.stringValue)
        return (layla, siti, session)
    }

    @Test func staffListTheirTemplatesTitledInTheirLanguage() throws {
        var h = try Harness([.layla, .siti])
        let (layla, siti, _) = try session(&h)
        let list = try #require(h.send(siti, ["type": "templates", "id": "t"]).frames(to: siti, type: "templates").first)
        let templates = list["templates"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(templates.count >= 15)
        let fee = try #require(templates.first { $0["key"] == "fee.stay_extension" })
        #expect(fee["title"] == "Biaya perpanjangan izin tinggal")
        #expect(fee["args"] == .array(["amount", "days"]) && fee["arg_types"]?.objectValue?["amount"] == "money")
        #expect(h.send(layla, ["type": "templates", "id": "x"]).frames(to: layla, type: "error").first?["code"] == "forbidden")
    }

    @Test func aTemplateReachesEachReaderInTheirLanguageAndIsStoredAsKeyAndArguments() throws {
        var h = try Harness([.layla, .siti])
        let (layla, siti, session) = try session(&h)
        let actions = h.send(
            siti,
            [
                "type": "send", "id": "s", "session": .string(session), "client_msg_id": "t1", "template": "fee.stay_extension",
                "args": .object(["amount": 1_500_000, "days": 3]),
            ])
        #expect(actions.frames(to: siti, type: "ack").first?["re"] == "s")
        let arabic = try #require(actions.frames(to: layla, type: "message").last)
        let indonesian = try #require(actions.frames(to: siti, type: "message").last)
        #expect(arabic["key"] == "fee.stay_extension" && arabic["lang"] == "ar" && arabic["dir"] == "rtl")
        #expect(arabic["text"]?.stringValue?.contains("٣ أيام عمل") == true)
        #expect(indonesian["lang"] == "id" && indonesian["text"]?.stringValue?.contains("Rp") == true)
        #expect(indonesian["text"]?.stringValue?.contains("1.500.000") == true)
        let stored = try #require(
            h.commands.compactMap { if case .append(let m) = $0, m.kind == .template { m } else { nil } }.first)
        #expect(stored.templateKey == "fee.stay_extension" && stored.templateArgs?["amount"] == 1_500_000)
        #expect(Set(stored.shown?.keys.map { $0 } ?? []) == ["ar", "id"])

        let bad = h.send(
            siti,
            [
                "type": "send", "id": "b", "session": .string(session), "client_msg_id": "t2", "template": "docs.stay_extension",
                "args": .object(["deadline": "next week"]),
            ])
        let error = try #require(bad.frames(to: siti, type: "error").first)
        #expect(error["code"] == "bad_request" && error["detail"]?.stringValue?.contains("deadline") == true)
        let applicant = h.send(
            layla, ["type": "send", "id": "a", "session": .string(session), "client_msg_id": "l1", "template": "interpreter.offer"])
        #expect(applicant.frames(to: layla, type: "error").first?["code"] == "bad_request")
    }

    @Test func aDayArgumentIsThatDayInTheOfficeTimeZone() throws {
        var h = try Harness([.layla, .siti])
        let (layla, siti, session) = try session(&h)
        let actions = h.send(
            siti,
            [
                "type": "send", "session": .string(session), "client_msg_id": "d1", "template": "docs.stay_extension",
                "args": .object(["deadline": "2026-12-15"]),
            ])
        let stored = try #require(h.commands.compactMap { if case .append(let m) = $0 { m } else { nil } }.last)
        #expect(stored.templateArgs?["deadline"] == .object(["date": "2026-12-14T17:00:00.000Z"]))  // midnight in Jakarta
        #expect(actions.frames(to: layla, type: "message").last?["text"]?.stringValue?.contains("١٥") == true)
    }

    @Test func privateNotesReachStaffOnly() throws {
        var h = try Harness([.layla, .siti, .ahmad, .rania])
        _ = h.send(h.login("i-2"), ["type": "status", "availability": "available"])
        let (layla, siti, session) = try session(&h)
        _ = h.send(siti, ["type": "interpreter.request", "session": .string(session), "languages": .array(["ar", "id"])])
        let rania = try #require(h.broker.online[ParticipantID("i-2")]?.first)
        let actions = h.send(
            siti, ["type": "note", "id": "n", "session": .string(session), "client_msg_id": "n1", "text": "Dokumen sponsor belum lengkap"])
        #expect(actions.frames(to: siti, type: "ack").first?["re"] == "n")
        #expect(actions.frames(to: siti, type: "message").last?["visibility"] == "staff")
        #expect(actions.frames(to: layla, type: "message").isEmpty)
        #expect(actions.frames(to: rania, type: "message").isEmpty)
        let history = h.send(layla, ["type": "history", "id": "h", "session": .string(session), "after_seq": 0])
        let texts = history.frames(to: layla, type: "history").first?["messages"]?.arrayValue?.compactMap {
            $0.objectValue?["text"]?.stringValue
        }
        #expect(texts?.contains("Dokumen sponsor belum lengkap") == false)
        #expect(
            h.send(layla, ["type": "note", "id": "x", "session": .string(session), "client_msg_id": "l", "text": "hi"]).frames(
                to: layla, type: "error"
            ).first?["code"] == "forbidden")
        #expect(
            h.send(rania, ["type": "note", "id": "x", "session": .string(session), "client_msg_id": "r", "text": "hi"]).frames(
                to: rania, type: "error"
            ).first?["code"] == "forbidden")
    }

    @Test func aHandoverNoteGoesToTheNextPersonNotTheApplicant() throws {
        var h = try Harness([.layla, .siti, .budi])
        let (layla, siti, session) = try session(&h)
        let budi = h.login("c-2")
        let actions = h.send(
            siti,
            ["type": "transfer", "session": .string(session), "to": .object(["participant": "c-2"]), "note": "Sudah dijelaskan biaya"])
        #expect(
            actions.frames(to: budi, type: "message").contains { $0["text"] == "Sudah dijelaskan biaya" && $0["visibility"] == "staff" })
        #expect(!actions.frames(to: layla, type: "message").contains { $0["visibility"] == "staff" })
    }

    @Test func outcomesTakeAKnownCodeAndADay() throws {
        var h = try Harness([.layla, .siti])
        let (layla, siti, session) = try session(&h)
        let ok = h.send(siti, ["type": "outcome", "id": "o", "session": .string(session), "code": "referred", "follow_up": "2026-12-01"])
        #expect(ok.frames(to: siti, type: "outcome").first?["follow_up"] == "2026-12-01")
        #expect(h.commands.contains { if case .setOutcome(_, _, "referred", "2026-12-01", _) = $0 { true } else { false } })
        let unknown = h.send(siti, ["type": "outcome", "id": "u", "session": .string(session), "code": "happy"])
        #expect(unknown.frames(to: siti, type: "error").first?["code"] == "bad_request")
        let day = h.send(siti, ["type": "outcome", "id": "d", "session": .string(session), "code": "resolved", "follow_up": "1/12/2026"])
        #expect(day.frames(to: siti, type: "error").first?["code"] == "bad_request")
        #expect(
            h.send(layla, ["type": "outcome", "id": "x", "session": .string(session), "code": "resolved"]).frames(to: layla, type: "error")
                .first?["code"] == "forbidden")
    }

    @Test func theSessionListShowsUnreadAndWhoWaitsLongestFirst() throws {
        let noor = Identity(id: ParticipantID("a-30"), role: .applicant, name: "Noor", langs: ["ar"])
        var h = try Harness([.layla, noor, .siti])
        let (layla, siti, first) = try session(&h)
        let other = h.login("a-30")
        let second = try #require(
            h.send(other, ["type": "request", "service": "counselling", "language": "ar"]).frames(to: other, type: "session.started")
                .first?[
                    "session"]?.objectValue?["id"]?.stringValue)
        h.now += 10
        _ = h.send(other, ["type": "send", "session": .string(second), "client_msg_id": "n1", "text": "hello?"])
        h.now += 10
        _ = h.send(layla, ["type": "send", "session": .string(first), "client_msg_id": "l1", "text": "مرحبا"])
        let list = try #require(h.send(siti, ["type": "sessions", "id": "l"]).frames(to: siti, type: "sessions").first)
        let rows = list["sessions"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(rows.map { $0["id"]?.stringValue } == [second, first])  // Noor has waited longer
        #expect(rows.first?["unread"] == 2 && rows.first?["waiting_since"] != .null)
        // Siti reads and answers Noor: Noor no longer waits, nothing unread there.
        _ = h.send(siti, ["type": "read", "session": .string(second), "seq": 2])
        _ = h.send(siti, ["type": "send", "session": .string(second), "client_msg_id": "s1", "text": "Halo"])
        let after = try #require(h.send(siti, ["type": "sessions", "id": "m"]).frames(to: siti, type: "sessions").first)
        let rows2 = after["sessions"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(rows2.map { $0["id"]?.stringValue } == [first, second])
        #expect(rows2.last?["unread"] == 0 && rows2.last?["waiting_since"] == .null)
        #expect(h.commands.contains { if case .markRead(_, ParticipantID("c-1"), seq: 2) = $0 { true } else { false } })
        #expect(h.send(layla, ["type": "sessions", "id": "x"]).frames(to: layla, type: "error").first?["code"] == "forbidden")
    }
}

@Suite struct NotificationTests {
    static let system = Identity(id: ParticipantID("sys-1"), role: .system, name: "Portal", langs: ["en"])

    func notify(_ h: inout Harness, id: String, key: String = "application.status_changed", args: JSONObject) -> [BrokerAction] {
        let connection = ConnectionID(9999)
        h.broker.connectedOneShot(connection, identity: Self.system, locale: nil)
        defer { h.broker.disconnected(connection, now: h.now) }
        return h.settle(
            h.broker.received(
                JSONWriter.bytes(
                    .object([
                        "type": "notify", "id": "http", "notification_id": .string(id), "applicant": "a-17", "key": .string(key),
                        "args": .object(args),
                    ])),
                from: connection, now: h.now))
    }

    @Test func pushedLiveInTheApplicantsLanguageKeptWhenOfflineAndIdempotent() throws {
        var h = try Harness([.layla, .siti])
        let layla = h.login("a-17", locale: "ar")
        let live = notify(&h, id: "n-1", args: ["reference": "KITAS-123", "status": "approved"])
        let pushed = try #require(live.frames(to: layla, type: "notification").first)
        #expect(pushed["id"] == "n-1" && pushed["text"]?.stringValue?.contains("تمت الموافقة") == true)
        #expect(live.frames(to: ConnectionID(9999), type: "notification.accepted").first?["delivered"] == true)
        // The same id again: nothing new.
        #expect(
            notify(&h, id: "n-1", args: ["reference": "KITAS-123", "status": "approved"]).frames(to: layla, type: "notification").isEmpty)
        // Offline: kept for the next welcome, until seen.
        h.broker.disconnected(layla, now: h.now)
        _ = notify(&h, id: "n-2", key: "permit.renewal_reminder", args: ["expires": "2027-01-31", "days": 30])
        let again = h.connect()
        let welcome = try #require(
            h.send(again, ["type": "hello", "id": "w", "token": "a-17", "locale": "en"]).frames(to: again, type: "welcome").first)
        let waiting = welcome["notifications"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(waiting.map { $0["id"]?.stringValue } == ["n-1", "n-2"])
        #expect(waiting.last?["text"]?.stringValue?.contains("January 31, 2027") == true)
        _ = h.send(again, ["type": "notification.seen", "id": "s", "ids": .array(["n-1", "n-2"])])
        #expect(h.broker.unseen[ParticipantID("a-17")] == nil)
    }

    @Test func onlyTheApplicationSystemNotifiesAndArgumentsAreChecked() throws {
        var h = try Harness([.layla])
        let bad = notify(&h, id: "n-3", args: ["reference": "X", "status": "maybe"])
        #expect(bad.frames(to: ConnectionID(9999), type: "error").first?["code"] == "bad_request")
        let layla = h.login("a-17")
        let forged = h.send(
            layla, ["type": "notify", "id": "f", "notification_id": "n-4", "applicant": "a-17", "key": "application.status_changed"])
        #expect(forged.frames(to: layla, type: "error").first?["code"] == "forbidden")
    }
}

@Suite struct TemplateCatalogueTests {
    /// Every reply and notification template renders in every shipped locale with sample
    /// arguments of its declared types: never the "unavailable" fallback, never a raw {name}.
    @Test func everyTemplateRendersInEveryLocale() throws {
        let localizer = try shippedLocalizer()
        let templates = try shippedTemplates()
        #expect(templates.replies.count >= 15)
        let samples: [ReplyTemplates.ArgumentType: JSONValue] = [
            .date: "2026-12-15", .datetime: "2026-12-15T09:30", .number: 3, .money: 2_500_000, .text: "Kantor Imigrasi Jakarta Selatan",
            .status: "in_review",
        ]
        let unavailable = localizer.catalog.locales.map { localizer.render("message.unavailable", locale: $0) }
        for (key, template) in templates.replies.map({ ($0.key, $0.value) }) + templates.notifications.map({ ($0.key, $0.value) }) {
            var raw = JSONObject()
            for argument in template.arguments { raw[argument.name] = samples[argument.type]! }
            let args = try ReplyTemplates.arguments(template, raw, timeZone: localizer.timeZone).get()
            let pattern = templates.replies[key] != nil ? ReplyTemplates.patternKey(key) : ReplyTemplates.notificationKey(key)
            for locale in localizer.catalog.locales {
                let text = localizer.render(pattern, args, locale: locale)
                #expect(!unavailable.contains(text) && !text.contains("{"), "\(key) in \(locale)")
                if templates.replies[key] != nil {
                    #expect(localizer.catalog.hasKey(ReplyTemplates.titleKey(key)), "\(key) has no title")
                }
            }
        }
    }
}
