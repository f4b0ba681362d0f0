import Foundation
import JembatanText
import Testing

@testable import JembatanCore

@Suite struct BrokerFlowTests {
    /// An applicant and a counsellor logged in, the counsellor available, and a session
    /// opened for a counselling request in Arabic.
    func openArabicSession() throws -> (Harness, applicant: ConnectionID, counsellor: ConnectionID, session: SessionID) {
        var h = try Harness([.layla, .siti])
        let counsellor = h.login("c-1", locale: "id")
        _ = h.send(counsellor, ["type": "status", "availability": "available"])
        let applicant = h.login("a-17")
        let actions = h.send(applicant, ["type": "request", "id": "2", "service": "counselling", "language": "ar"])
        let started = try #require(actions.frames(to: applicant, type: "session.started").first)
        let session = SessionID(try #require(started["session"]?.objectValue?["id"]?.stringValue))
        return (h, applicant, counsellor, session)
    }

    @Test func badTokenIsUnauthorizedThenClosed4401() throws {
        var h = try Harness([.layla])
        let c = h.connect()
        let actions = h.send(c, ["type": "hello", "id": "1", "token": "forged"])
        #expect(actions.frames(to: c, type: "error").first?["code"] == "unauthorized")
        #expect(actions.closes(c) == [.unauthenticated])
        #expect(h.commands.isEmpty)
    }

    @Test func anythingBeforeHelloCloses4401() throws {
        var h = try Harness([.layla])
        let c = h.connect()
        let actions = h.send(c, ["type": "request", "service": "visa", "language": "ar"])
        #expect(actions.closes(c) == [.unauthenticated])
        #expect(h.commands.isEmpty)
    }

    @Test func helloTimeoutClosesOnlyUnauthenticated() throws {
        var h = try Harness([.layla])
        let waiting = h.connect()
        let authed = h.login("a-17")
        #expect(h.broker.helloDeadlinePassed(waiting) == [.close(waiting, .unauthenticated)])
        #expect(h.broker.helloDeadlinePassed(authed).isEmpty)
    }

    @Test func welcomeNegotiatesTheLocale() throws {
        var h = try Harness([.wei])
        let c = h.connect()
        let actions = h.send(c, ["type": "hello", "id": "1", "token": "a-18", "locale": "zh-Hans-CN"])
        let welcome = try #require(actions.frames(to: c, type: "welcome").first)
        #expect(welcome["re"] == "1")
        #expect(welcome["locale"] == "zh")
        #expect(welcome["participant"]?.objectValue?["id"] == "a-18")
    }

    @Test func requestIsQueuedWithLocalisedPosition() throws {
        var h = try Harness([.layla])
        let c = h.login("a-17")
        let actions = h.send(c, ["type": "request", "id": "2", "service": "visa", "language": "ar"])
        let queued = try #require(actions.frames(to: c, type: "queued").first)
        #expect(queued["re"] == "2")
        #expect(queued["position"] == 1)
        let text = try #require(queued["text"]?.stringValue)
        #expect(!text.isEmpty && text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) })
        #expect(h.commands.contains { if case .openTicket = $0 { true } else { false } })
    }

    @Test func assignmentStartsTheSessionForBothWithAJoinedMessage() throws {
        var (h, applicant, _, session) = try openArabicSession()
        let history = h.send(applicant, ["type": "history", "id": "h1", "session": .string(session.rawValue)])
        let messages = try #require(history.frames(to: applicant, type: "history").first?["messages"]?.arrayValue)
        #expect(messages.count == 1)
        let joined = try #require(messages.first?.objectValue)
        #expect(joined["key"] == "session.joined")
        #expect(joined["from"]?.objectValue?["role"] == "system")
        // Rendered in the reader's locale (Arabic for the applicant) from language-free args.
        #expect(joined["lang"] == "ar")
        #expect(joined["dir"] == "rtl")
        #expect(joined["args"]?.objectValue?["role"] == "counsellor")
    }

    @Test func sendIsAckedAndDeliveredToEveryoneAfterTheStore() throws {
        var (h, applicant, counsellor, session) = try openArabicSession()
        let actions = h.send(
            applicant, ["type": "send", "id": "3", "session": .string(session.rawValue), "client_msg_id": "u-1", "text": "مرحبا"])
        let ack = try #require(actions.frames(to: applicant, type: "ack").first)
        #expect(ack["seq"] == 2)
        #expect(ack["re"] == "3")
        for c in [applicant, counsellor] {
            let message = try #require(actions.frames(to: c, type: "message").first)
            #expect(message["text"] == "مرحبا")
            #expect(message["dir"] == "rtl")
            #expect(message["lang"] == "ar")
            #expect(message["seq"] == 2)
        }
    }

    @Test func aRetriedClientMessageIDIsAckedWithTheOriginalSeqAndNotRedelivered() throws {
        var (h, applicant, counsellor, session) = try openArabicSession()
        let send: JSONObject = ["type": "send", "session": .string(session.rawValue), "client_msg_id": "u-1", "text": "سلام"]
        _ = h.send(applicant, send)
        let retry = h.send(applicant, send)
        #expect(retry.frames(to: applicant, type: "ack").first?["seq"] == 2)
        #expect(retry.frames(to: counsellor, type: "message").isEmpty)
        #expect(retry.frames(to: applicant, type: "message").isEmpty)
    }

    @Test func seqHasNoGaps() throws {
        var (h, applicant, counsellor, session) = try openArabicSession()
        var seqs: [Int] = []
        for i in 0..<20 {
            let from = i % 2 == 0 ? applicant : counsellor
            let actions = h.send(
                from,
                ["type": "send", "session": .string(session.rawValue), "client_msg_id": .string("m\(i)"), "text": .string("pesan \(i)")])
            seqs += actions.frames(to: counsellor, type: "message").compactMap { $0["seq"]?.numberValue.map(Int.init) }
        }
        #expect(seqs == Array(2...21))
    }

    @Test func sendingIntoSomeoneElsesSessionIsForbiddenAndStoresNothing() throws {
        var (h, _, _, session) = try openArabicSession()
        let intruder = Identity(id: ParticipantID("a-99"), role: .applicant, name: "X", langs: ["en"])
        h = try rebuild(h, adding: intruder)
        let c = h.login("a-99")
        let before = h.commands.count
        let actions = h.send(c, ["type": "send", "id": "x", "session": .string(session.rawValue), "client_msg_id": "z", "text": "hi"])
        #expect(actions.frames(to: c, type: "error").first?["code"] == "forbidden")
        #expect(!h.commands[before...].contains { if case .append = $0 { true } else { false } })
    }

    @Test func emptyAndOverlongTextAreRefused() throws {
        var config = BrokerConfiguration()
        config.maxTextGraphemes = 5
        var h = try Harness([.layla, .siti], configuration: config)
        let counsellor = h.login("c-1")
        _ = h.send(counsellor, ["type": "status", "availability": "available"])
        let applicant = h.login("a-17")
        let started = h.send(applicant, ["type": "request", "service": "counselling", "language": "ar"])
        let session = try #require(started.frames(to: applicant, type: "session.started").first?["session"]?.objectValue?["id"])
        let empty = h.send(applicant, ["type": "send", "session": session, "client_msg_id": "a", "text": "  "])
        #expect(empty.frames(to: applicant, type: "error").first?["code"] == "bad_request")
        // Six flags are six graphemes (twelve scalars): one over the limit of five.
        let long = h.send(applicant, ["type": "send", "session": session, "client_msg_id": "b", "text": "🇮🇩🇮🇩🇮🇩🇮🇩🇮🇩🇮🇩"])
        #expect(long.frames(to: applicant, type: "error").first?["code"] == "too_large")
        let five = h.send(applicant, ["type": "send", "session": session, "client_msg_id": "c", "text": "🇮🇩🇮🇩🇮🇩🇮🇩🇮🇩"])
        #expect(five.frames(to: applicant, type: "ack").count == 1)
    }

    @Test func historyPagesForwardAndBackward() throws {
        var (h, applicant, counsellor, session) = try openArabicSession()
        for i in 0..<9 {
            _ = h.send(counsellor, ["type": "send", "session": .string(session.rawValue), "client_msg_id": .string("p\(i)"), "text": "x"])
        }
        // seq 1 is the joined message, 2...10 the texts.
        func page(_ query: JSONObject) throws -> (seqs: [Int], more: Bool) {
            var frame: JSONObject = ["type": "history", "id": "p", "session": .string(session.rawValue)]
            for (key, value) in query.pairs { frame[key] = value }
            let reply = try #require(h.send(applicant, frame).frames(to: applicant, type: "history").first)
            let seqs = (reply["messages"]?.arrayValue ?? []).compactMap { $0.objectValue?["seq"]?.numberValue.map(Int.init) }
            return (seqs, reply["more"] == .bool(true))
        }
        #expect(try page(["after_seq": 0, "limit": 4]) == ([1, 2, 3, 4], true))
        #expect(try page(["after_seq": 8, "limit": 4]) == ([9, 10], false))
        #expect(try page(["before_seq": 11, "limit": 4]) == ([7, 8, 9, 10], true))
        #expect(try page(["before_seq": 4, "limit": 4]) == ([1, 2, 3], false))
        #expect(try page(["before_seq": 1, "limit": 4]) == ([], false))
    }

    @Test func closeTellsEveryoneAndFreesCapacity() throws {
        var (h, applicant, counsellor, session) = try openArabicSession()
        let actions = h.send(counsellor, ["type": "close", "id": "7", "session": .string(session.rawValue), "reason": "resolved"])
        for c in [applicant, counsellor] {
            let closed = try #require(actions.frames(to: c, type: "session.closed").first)
            #expect(closed["reason"] == "resolved")
            #expect(actions.frames(to: c, type: "message").first?["key"] == "session.closed.by")
        }
        let after = h.send(
            applicant, ["type": "send", "id": "8", "session": .string(session.rawValue), "client_msg_id": "late", "text": "?"])
        #expect(after.frames(to: applicant, type: "error").first?["code"] == "not_found")
    }

    @Test func repeatedAbuseCloses1008() throws {
        var config = BrokerConfiguration()
        config.maxConsecutiveErrors = 3
        var h = try Harness([.layla], configuration: config)
        let c = h.login("a-17")
        var closes: [CloseCode] = []
        for _ in 0..<3 { closes += h.settle(h.broker.received(Array("nope".utf8), from: c, now: h.now)).closes(c) }
        #expect(closes == [.policy])
    }

    @Test func resumeReplaysLaterMessagesInOrderAndOnlyOnce() throws {
        var (h, applicant, counsellor, session) = try openArabicSession()
        for i in 0..<5 {
            _ = h.send(
                counsellor,
                ["type": "send", "session": .string(session.rawValue), "client_msg_id": .string("r\(i)"), "text": .string("balasan \(i)")])
        }
        h.broker.disconnected(applicant, now: h.now)
        let c = h.connect()
        let actions = h.send(
            c, ["type": "hello", "token": "a-17", "resume": .array([.object(["session": .string(session.rawValue), "after_seq": 3])])])
        let seqs = actions.frames(to: c, type: "message").compactMap { $0["seq"]?.numberValue.map(Int.init) }
        #expect(seqs == [4, 5, 6])
        let welcome = try #require(actions.frames(to: c, type: "welcome").first)
        #expect(welcome["sessions"]?.arrayValue?.count == 1)
    }

    @Test func aMessageStoredButNeverDeliveredIsSentBeforeTheNextOne() throws {
        var (h, applicant, counsellor, session) = try openArabicSession()
        let first = h.send(counsellor, ["type": "send", "session": .string(session.rawValue), "client_msg_id": "g0", "text": "satu"])
        let firstSeq = try #require(first.frames(to: applicant, type: "message").first?["seq"]?.numberValue.map(Int.init))
        // A commit whose answer was lost (cluster mode): stored, but the broker was told it failed.
        let lost = h.append(
            NewMessage(
                session: session, sender: Identity.siti.id, senderRole: .counsellor, kind: .text, text: "dua", createdAt: h.now),
            session: session)
        #expect(lost.seq == firstSeq + 1)
        let next = h.send(counsellor, ["type": "send", "session": .string(session.rawValue), "client_msg_id": "g2", "text": "tiga"])
        let seqs = next.frames(to: applicant, type: "message").compactMap { $0["seq"]?.numberValue.map(Int.init) }
        #expect(seqs == [firstSeq + 1, firstSeq + 2])
        #expect(h.commands.contains(.history(session, afterSeq: firstSeq, limit: h.broker.configuration.replayPageSize)))
        // The counsellor's own connection repairs its gap the same way.
        #expect(next.frames(to: counsellor, type: "message").compactMap { $0["seq"]?.numberValue.map(Int.init) } == seqs)
    }

    func rebuild(_ h: Harness, adding identity: Identity) throws -> Harness {
        // The harness verifier is fixed at creation; re-create the broker's verifier by
        // replaying nothing: a fresh broker would lose state, so instead extend the table.
        var copy = h
        copy.broker = Broker(
            configuration: h.broker.configuration, localizer: try shippedLocalizer(),
            verifier: TableVerifier(identities: [identity.id.rawValue: identity, "a-17": .layla, "c-1": .siti]),
            ids: SequentialIDSource(),
            recovered: RecoveredState(activeSessions: h.broker.sessions.values.map { .init(record: $0.record, members: $0.members) }))
        return copy
    }
}

@Suite struct LocalizerTests {
    @Test func namesInsideSentencesAreIsolatedAndCodesAreLocalised() throws {
        let localizer = try shippedLocalizer()
        let english = localizer.render("session.joined", ["name": "ليلى", "role": "counsellor"], locale: "en")
        #expect(english.contains("\u{2068}ليلى\u{2069}"))
        #expect(!english.contains("counsellor"))  // the role code became its English name
        let arabic = localizer.render("session.joined", ["name": "Siti", "role": "counsellor"], locale: "ar")
        #expect(arabic.contains("\u{2068}Siti\u{2069}"))
        #expect(arabic != english)
    }
}

@Suite struct StoredDateArgumentTests {
    @Test func aStoredDateArgumentRendersInTheOfficeTimeZone() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let catalog = try TemplateCatalog(directory: root.appendingPathComponent("Locales"), timeZone: "Asia/Jayapura")
        let localizer = Localizer(catalog: catalog, timeZone: "Asia/Jayapura")
        // As the store gives it back: {"date": "<RFC 3339>"}; 08:30 UTC is 17:30 in Jayapura.
        let text = localizer.render("ui.session.started_at", ["when": .object(["date": "2026-12-05T08:30:00Z"])], locale: "id")
        #expect(text.contains("17.30"))
        #expect(text.contains("Desember"))
    }
}
