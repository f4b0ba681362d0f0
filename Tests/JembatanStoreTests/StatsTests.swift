import Foundation
import JembatanCore
import Testing

@testable import JembatanStore

/// Figures from the database: tickets, waits, abandoned tickets, durations, ratings, outcomes,
/// interpreter use, grouped by day (office time), service, language and office.
@Suite struct StatsTests {
    /// Tickets at `minute` past 2026-11-30 00:00 Jakarta (17:00 UTC the day before).
    static let midnight = ISO8601DateFormatter().date(from: "2026-11-30T00:00:00+07:00")!
    func at(_ minutes: Double) -> Date { Self.midnight.addingTimeInterval(minutes * 60) }

    func ticket(_ id: String, _ service: Service, _ language: String, at minutes: Double) -> TicketRecord {
        TicketRecord(
            id: TicketID(id), applicant: ParticipantID("a-\(id)"), service: service, language: language, note: nil, createdAt: at(minutes))
    }

    /// A ticket served after `wait` minutes for `duration` minutes, rated and with an outcome.
    func served(_ store: any BrokerStore, _ t: TicketRecord, wait: Double, duration: Double, rating: Int?, outcome: String?) {
        let opened = t.createdAt.addingTimeInterval(wait * 60)
        let session = SessionRecord(id: SessionID("s-\(t.id)"), ticket: t.id, service: t.service, language: t.language, openedAt: opened)
        let members = [
            SessionMember(id: t.applicant, role: .applicant, name: "A", langs: [t.language], joinedAt: opened),
            SessionMember(Fixture.officer, joinedAt: opened),
        ]
        let closing = NewMessage.system(session.id, key: "session.closed.by", args: [:], at: opened.addingTimeInterval(duration * 60))
        var commands: [StoreCommand] = [
            .openTicket(t),
            .openSession(session, members: members, messages: [.system(session.id, key: "session.joined", args: [:], at: opened)]),
            .closeSession(session.id, reason: "resolved", message: closing),
        ]
        if let rating {
            commands.append(
                .submitFeedback(session.id, applicant: t.applicant, rating: rating, comment: nil, at: closing.createdAt, window: 60))
        }
        if let outcome {
            commands.append(.setOutcome(session.id, by: Fixture.officer.id, code: outcome, followUp: nil, at: closing.createdAt))
        }
        #expect(store.perform(commands).allSatisfy { $0.failure == nil })
    }

    @Test(arguments: StoreKind.allCases) func figuresPerDayServiceAndLanguage(_ kind: StoreKind) throws {
        let store = try kind.make()
        served(store, ticket("1", .visa, "ar", at: 60), wait: 2, duration: 10, rating: 5, outcome: "resolved")
        served(store, ticket("2", .visa, "ar", at: 120), wait: 4, duration: 20, rating: 3, outcome: "referred")
        served(store, ticket("3", .visa, "ar", at: 180), wait: 10, duration: 30, rating: nil, outcome: "resolved")
        _ = store.perform([.openTicket(ticket("4", .visa, "ar", at: 200)), .updateTicket(TicketID("4"), .cancelled)])
        served(store, ticket("5", .counselling, "id", at: 1440 + 30), wait: 1, duration: 5, rating: 4, outcome: nil)  // next day
        _ = store.one(.openTicket(ticket("6", .visa, "ar", at: -30)))  // the day before: outside

        let query = StatsQuery(
            from: Self.midnight, to: Self.midnight.addingTimeInterval(2 * 86400), groupBy: [.day, .service, .language],
            timeZone: "Asia/Jakarta", office: "jakarta-selatan")
        let report = try statsResults(store, query)
        guard case .stats(let figures) = report.first else {
            Issue.record("expected figures, got \(report)")
            return
        }
        #expect(figures.rows.count == 2)
        let visa = try #require(figures.rows.first)
        #expect(visa.group == [.day: "2026-11-30", .service: "visa", .language: "ar"])
        #expect(visa.tickets == 4 && visa.abandoned == 1 && visa.sessions == 3)
        #expect(visa.waitMedian == 240 && visa.waitP90 == 600)
        #expect(visa.durationMedian == 1200 && visa.durationP90 == 1800)
        #expect(visa.ratings == 2 && visa.ratingAverage == 4)
        #expect(visa.outcomes == ["resolved": 2, "referred": 1])
        #expect(figures.rows.last?.group[.day] == "2026-12-01")

        let byOffice = StatsQuery(
            from: Self.midnight, to: Self.midnight.addingTimeInterval(2 * 86400), groupBy: [.office], timeZone: "Asia/Jakarta",
            office: "jakarta-selatan")
        guard case .stats(let whole) = try statsResults(store, byOffice).first else { return }
        #expect(whole.rows.map(\.tickets) == [5] && whole.rows.first?.group == [.office: "jakarta-selatan"])
    }

    /// SQLite's figures come from its reports connection, which must agree with the store's own.
    func statsResults(_ store: any BrokerStore, _ query: StatsQuery) throws -> [StoreResult] {
        let own = store.perform([.stats(query)])
        guard let sqlite = store as? SQLiteStore else { return own }
        let reports = SQLiteReports(sharing: sqlite).perform([.stats(query)])
        #expect(reports == own)
        return reports
    }

    @Test func theReportsConnectionOnlyReads() throws {
        let store = try SQLiteStore.inMemory()
        let results = SQLiteReports(sharing: store).perform([.openTicket(ticket("1", .visa, "ar", at: 0))])
        #expect(results.first?.failure?.kind == .unavailable)
        #expect(try store.recover().queuedTickets.isEmpty)
    }
}
