import Foundation
import JembatanCore
import Testing

@testable import JembatanStore

@Suite struct ReadTests {
    @Test(arguments: StoreKind.allCases) func historyPagesWithMore(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        _ = store.perform((2...10).map { .append(Fixture.text("m\($0)", at: Int64($0))) })
        let id = SessionID("s-1")
        func page(after: Int, limit: Int) throws -> ([Int], Bool) {
            let page = try #require(store.one(.history(id, afterSeq: after, limit: limit)).history)
            return (page.messages.map(\.seq), page.more)
        }
        #expect(try page(after: 0, limit: 4) == ([1, 2, 3, 4], true))
        #expect(try page(after: 4, limit: 4) == ([5, 6, 7, 8], true))
        #expect(try page(after: 8, limit: 4) == ([9, 10], false))
        #expect(try page(after: 6, limit: 4) == ([7, 8, 9, 10], false))  // exactly the rest
        #expect(try page(after: 10, limit: 4) == ([], false))
        #expect(try page(after: 3, limit: 0) == ([], true))
        #expect(store.one(.history(SessionID("s-9"), afterSeq: 0, limit: 4)).failure?.kind == .notFound)
    }

    @Test(arguments: StoreKind.allCases) func transcriptHasMembersWithTheirNamesAndSenderNames(_ kind: StoreKind) throws {
        let store = try kind.make()
        // The core only had a placeholder name for the applicant; the saved identity wins.
        var placeholder = Fixture.members()
        placeholder[0].name = ""
        _ = store.perform([
            .saveParticipant(Fixture.applicant), .openTicket(Fixture.ticket()),
            .openSession(Fixture.session(), members: placeholder, messages: [Fixture.joined()]),
            .append(Fixture.text("halo", from: Fixture.applicant)),
            .append(Fixture.text("halo juga", from: Fixture.officer, at: 2_001)),
        ])
        let transcript = try #require(store.one(.transcript(SessionID("s-1"))).transcript)
        #expect(transcript.members.map(\.id) == [Fixture.applicant.id, Fixture.officer.id])
        #expect(transcript.members.map(\.name) == ["Siti Rahma", "Budi"])
        #expect(transcript.members.map(\.langs) == [["id"], ["id", "en"]])
        #expect(transcript.members.map(\.role) == [.applicant, .officer])
        #expect(transcript.messages.map(\.seq) == [1, 2, 3])
        #expect(transcript.messages.map(\.senderName) == [nil, "Siti Rahma", "Budi"])
        #expect(
            transcript.session
                == {
                    var s = Fixture.session(); s.lastSeq = 3; return s
                }())
        #expect(store.one(.transcript(SessionID("s-9"))) == .transcript(nil))
    }

    @Test(arguments: [
        "مرحبا، أريد تجديد تأشيرتي \u{200F}(رقم ١٢٣)",  // Arabic with an RLM and Arabic-Indic digits
        "您好，我想延长居留许可。谢谢！",
        "e\u{301} vs \u{E9}, 👩🏽‍💻, \u{1}, \"quotes\"\n\\",  // NFD kept as NFD, ZWJ, control, escapes
    ])
    func textRoundTripsByteExact(_ text: String) throws {
        let store = try SQLiteStore.inMemory()
        _ = store.perform([
            .saveParticipant(Fixture.interpreter), .openTicket(Fixture.ticket()),
            .openSession(
                Fixture.session(), members: Fixture.members(),
                messages: [
                    .system(SessionID("s-1"), key: "session.joined", args: ["name": .string(text), "position": 3], at: Fixture.at())
                ]),
        ])
        var message = Fixture.text(text, from: Fixture.interpreter)
        message.dir = "rtl"
        let appended = try #require(store.one(.append(message)).appended)
        let read = try #require(store.one(.history(SessionID("s-1"), afterSeq: 0, limit: 10)).history).messages
        // Compare bytes: String's == would forgive a change of normalisation.
        #expect(Array(try #require(read[1].message.text).utf8) == Array(text.utf8))
        #expect(Array(try #require(appended.message.message.text).utf8) == Array(text.utf8))
        #expect(read[1].message == message)
        #expect(Array(try #require(read[1].senderName).utf8) == Array("ليلى".utf8))
        let args = try #require(read[0].message.templateArgs)
        #expect(Array(try #require(args["name"]?.stringValue).utf8) == Array(text.utf8))
        #expect(args["position"] == .number(3))
    }

    @Test(arguments: StoreKind.allCases) func textWithNULIsRefusedNotTruncated(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        #expect(store.one(.append(Fixture.text("before\u{0}after"))).failure?.kind == .badReference)
        #expect(store.one(.append(Fixture.text("first", clientID: "c"))).appended?.message.seq == 2)
        // Bound up to its NUL this id would read "c" and pass for a retry of the message above.
        #expect(store.one(.append(Fixture.text("ok", clientID: "c\u{0}1"))).failure?.kind == .badReference)
        #expect(try store.messageCount(session: SessionID("s-1")) == 2)
    }

    @Test(arguments: StoreKind.allCases) func failureDetailsCarryNoUserContent(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        _ = store.one(.append(Fixture.text("rahasia pribadi", clientID: "secret-client-key")))
        let failures = store.perform([
            .append(Fixture.text("rahasia pribadi", from: Fixture.officer, clientID: "secret-client-key")),
            .append(Fixture.text("rahasia pribadi", replyTo: 42)),
            .openSession(Fixture.session(), members: Fixture.members(), messages: [Fixture.text("rahasia pribadi")]),
        ]).compactMap(\.failure)
        #expect(failures.count == 3)
        for failure in failures {
            for secret in ["rahasia", "secret-client-key", "Siti", "Budi"] {
                #expect(!failure.detail.contains(secret), "\(failure.kind) detail leaks user content")
            }
        }
    }
}
